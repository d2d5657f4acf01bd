using System.Globalization;

namespace Omo.Clienteling.Bench;

/// <summary>The benchmark's output: one row per figure, printed as a Markdown table at the end.</summary>
public sealed class Report
{
    private readonly List<(string Section, string Figure, string Value, string Target)> _rows = [];

    public void Add(string section, string figure, string value, string target = "")
    {
        _rows.Add((section, figure, value, target));
        Console.WriteLine($"  {section} | {figure}: {value}");
    }

    public void AddLatencies(string section, string figure, IReadOnlyList<double> milliseconds, string target = "")
    {
        var sorted = milliseconds.Order().ToArray();
        Add(section, figure, $"p50 {Ms(Percentile(sorted, 50))} · p95 {Ms(Percentile(sorted, 95))} · p99 {Ms(Percentile(sorted, 99))} (n={sorted.Length})", target);
    }

    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    public static string Ms(double ms) => ms < 1 ? $"{ms * 1000:F0} µs" : $"{ms:F2} ms";

    public static string Number(double n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public void Print()
    {
        Console.WriteLine();
        Console.WriteLine("| section | figure | value | target |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var r in _rows) Console.WriteLine($"| {r.Section} | {r.Figure} | {r.Value} | {r.Target} |");
    }
}

public interface IBenchSection
{
    string Name { get; }
    void Run(BenchOptions options, DatasetBench dataset, Report report);
}

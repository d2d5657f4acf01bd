using System.Globalization;
using Omo.Clienteling.Data;

namespace Omo.Clienteling.Bench;

/// <summary>The benchmark's output: one row per figure and a column per provider, printed as a Markdown table at the end.</summary>
public sealed class Report(IReadOnlyList<DatabaseProvider> providers)
{
    private readonly List<(string Section, string Figure, string Target)> _rows = [];
    private readonly Dictionary<(string Section, string Figure, DatabaseProvider Provider), string> _values = [];

    /// <summary>The provider whose figures are being measured now.</summary>
    public DatabaseProvider Provider { get; set; } = providers[0];

    public void Add(string section, string figure, string value, string target = "")
    {
        if (!_rows.Any(r => r.Section == section && r.Figure == figure)) _rows.Add((section, figure, target));
        _values[(section, figure, Provider)] = value;
        Console.WriteLine($"  [{Provider}] {section} | {figure}: {value}");
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
        Console.WriteLine($"| section | figure | {string.Join(" | ", providers.Select(p => p == DatabaseProvider.Sqlite ? "SQLite" : "PostgreSQL"))} | target |");
        Console.WriteLine($"|---|---|{string.Concat(providers.Select(_ => "---|"))}---|");
        foreach (var (section, figure, target) in _rows)
            Console.WriteLine($"| {section} | {figure} | {string.Join(" | ", providers.Select(p => _values.GetValueOrDefault((section, figure, p), "")))} | {target} |");
    }
}

public interface IBenchSection
{
    string Name { get; }
    Task RunAsync(BenchOptions options, DatasetBench dataset, Report report);
}

using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Omo.Clienteling.Data;
using Omo.Clienteling.Demo;

namespace Omo.Clienteling.Bench;

/// <summary>Builds (or reuses) the large dataset with the demo generator and reports how long it took and its size.</summary>
public sealed class DatasetBench(BenchOptions options, Report report)
{
    public static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9));

    public OmoDatabase Database { get; } = new(Options.Create(new DatabaseOptions { ConnectionString = $"Data Source={options.DatabasePath}" }));

    public string Path => options.DatabasePath;

    public void Run()
    {
        DapperTypeHandlers.Register();
        var complete = File.Exists(options.DatabasePath + ".complete");
        if (options.Fresh || !complete)
        {
            foreach (var suffix in new[] { "", "-wal", "-shm", ".complete" }) File.Delete(options.DatabasePath + suffix);
            Console.WriteLine($"Building a {options.Members:N0}-member dataset in {options.DatabasePath} ...");
            new Migrator(Database, NullLogger<Migrator>.Instance).Apply();
            var watch = Stopwatch.StartNew();
            DemoDataGenerator.Result result;
            using (var connection = Database.Open()) result = new DemoDataGenerator(options.Seed, Today, options.Members).Generate(connection);
            var generated = watch.Elapsed;
            using (var connection = Database.Open())
            {
                connection.Execute("PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;");
            }
            report.Add("dataset", "members generated", Report.Number(result.Members));
            report.Add("dataset", "rows written", Report.Number(result.Rows));
            report.Add("dataset", "generation time", $"{generated.TotalSeconds:F1} s ({Report.Number(result.Members / generated.TotalSeconds)} members/s, {Report.Number(result.Rows / generated.TotalSeconds)} rows/s)");
            report.Add("dataset", "ANALYZE time", $"{(watch.Elapsed - generated).TotalSeconds:F1} s");
            File.WriteAllText(options.DatabasePath + ".complete", DateTime.UtcNow.ToString("O"));
        }
        else
        {
            Console.WriteLine($"Reusing {options.DatabasePath} (pass --fresh to rebuild)");
            report.Add("dataset", "members", Report.Number(options.Members) + " (reused; --fresh rebuilds and times it)");
        }
        report.Add("dataset", "size on disk", $"{new FileInfo(options.DatabasePath).Length / 1024.0 / 1024.0:F0} MiB");
    }

    /// <summary>Random member ids of the dataset (personas and merged duplicates left out), the same for a given seed.</summary>
    public long[] SampleMembers(int count, int seed = 1)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (long)rng.Next(DemoPersonas.All.Count + 1, options.Members + 1)).ToArray();
    }
}

public static class BenchSections
{
    public static IReadOnlyList<IBenchSection> All { get; } = [new IndexedReadsBench(), new ProfileBench(), new IngestionBench(), new CheckInBench()];
}

/// <summary>The indexed reads the profile is made of: one member's most recent events of one kind.</summary>
public sealed class IndexedReadsBench : IBenchSection
{
    public string Name => "reads";

    private static readonly (string Kind, string Sql)[] Reads =
    [
        ("product views", "SELECT * FROM product_views WHERE member_id = @m ORDER BY occurred_at DESC LIMIT 100"),
        ("page views", "SELECT * FROM page_views WHERE member_id = @m ORDER BY occurred_at DESC LIMIT 50"),
        ("cart", "SELECT * FROM cart_lines WHERE member_id = @m"),
        ("orders + lines", "SELECT * FROM orders o JOIN order_lines l USING (order_id) WHERE o.order_id IN (SELECT order_id FROM orders WHERE member_id = @m ORDER BY placed_at DESC LIMIT 20)"),
        ("receipts + lines", "SELECT * FROM receipts r JOIN receipt_lines l USING (receipt_id) WHERE r.receipt_id IN (SELECT receipt_id FROM receipts WHERE member_id = @m ORDER BY occurred_at DESC LIMIT 20)"),
        ("try-ons", "SELECT * FROM try_ons WHERE member_id = @m ORDER BY occurred_at DESC LIMIT 20"),
        ("check-ins", "SELECT * FROM check_ins WHERE member_id = @m ORDER BY occurred_at DESC LIMIT 20"),
    ];

    public void Run(BenchOptions options, DatasetBench dataset, Report report)
    {
        var members = dataset.SampleMembers(options.Samples);
        using var connection = dataset.Database.Open();
        foreach (var (kind, sql) in Reads)
        {
            foreach (var m in members.Take(200)) connection.Query(sql, new { m }).AsList(); // warm the page cache
            var times = new List<double>(members.Length);
            foreach (var m in members)
            {
                var start = Stopwatch.GetTimestamp();
                connection.Query(sql, new { m }).AsList();
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            report.AddLatencies("indexed reads", $"one member's {kind}", times);
        }
    }
}

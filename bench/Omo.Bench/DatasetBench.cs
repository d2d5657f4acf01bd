using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Omo.Clienteling.Data;
using Omo.Clienteling.Demo;
using Omo.Clienteling.LocalServers;

namespace Omo.Clienteling.Bench;

/// <summary>
/// Builds (or reuses) the large dataset on one provider with the demo generator and reports how long it took and its
/// size. SQLite: a file. PostgreSQL: a database in the given server, or in a cluster of the benchmark's own (kept in
/// a folder between runs, with PostgreSQL's durable defaults and the usual sizing for a bulk load).
/// </summary>
public sealed class DatasetBench : IAsyncDisposable
{
    public static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9));

    /// <summary>Written into demo_state when a build finished: an interrupted build is not reused.</summary>
    private const string CompleteKey = "bench";

    private readonly BenchOptions _options;
    private readonly PostgresCluster? _cluster;

    private DatasetBench(BenchOptions options, DatabaseProvider provider, string connectionString, PostgresCluster? cluster)
    {
        _options = options;
        _cluster = cluster;
        Provider = provider;
        ConnectionString = connectionString;
        Dialect = DataModule.CreateDialect(new DatabaseOptions { Provider = provider, ConnectionString = connectionString });
        Database = new OmoDatabase(Dialect);
    }

    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }
    public SqlDialect Dialect { get; }
    public OmoDatabase Database { get; }

    /// <summary>
    /// The sizing a chain's own PostgreSQL would have for this load; durability stays as PostgreSQL ships it. One server
    /// without replicas, so <c>wal_level = minimal</c>: rows loaded into tables emptied in the same transaction skip the
    /// write-ahead log (PostgreSQL's manual, "Populating a Database").
    /// </summary>
    private static readonly string[] ServerSettings =
        ["shared_buffers=1GB", "max_wal_size=8GB", "checkpoint_timeout=30min", "max_connections=200", "work_mem=16MB", "maintenance_work_mem=512MB", "wal_level=minimal", "max_wal_senders=0"];

    public static async Task<DatasetBench> OpenAsync(BenchOptions options, DatabaseProvider provider, Report report)
    {
        DapperTypeHandlers.Register();
        DatasetBench dataset;
        if (provider == DatabaseProvider.Sqlite)
        {
            if (options.Fresh)
                foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(options.SqlitePath + suffix);
            dataset = new DatasetBench(options, provider, $"Data Source={options.SqlitePath}", null);
        }
        else if (options.PostgresConnection is { } given)
            dataset = new DatasetBench(options, provider, given, null);
        else
        {
            var cluster = await PostgresCluster.StartAsync(ServerSettings, options.PostgresFolder);
            var name = $"omo_bench_{options.Members}_{options.Seed}";
            if (options.Fresh && await cluster.DatabaseExistsAsync(name)) await cluster.DropDatabaseAsync(name);
            if (!await cluster.DatabaseExistsAsync(name)) await cluster.CreateDatabaseAsync(name: name);
            dataset = new DatasetBench(options, provider, cluster.ConnectionString(name), cluster);
        }
        await dataset.BuildAsync(report);
        return dataset;
    }

    private async Task BuildAsync(Report report)
    {
        var migrator = new Migrator(Database, NullLogger<Migrator>.Instance);
        await migrator.ApplyAsync();
        if (!_options.Fresh && await IsCompleteAsync())
        {
            Console.WriteLine($"Reusing the {_options.Members:N0}-member dataset on {Provider} (pass --fresh to rebuild)");
            report.Add("dataset", "members", Report.Number(_options.Members) + " (reused; --fresh rebuilds and times it)");
            return;
        }
        await using (var connection = await Database.OpenAsync())
            if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM stores") > 0)
                throw new InvalidOperationException($"The {Provider} benchmark database holds an unfinished build: run again with --fresh.");
        Console.WriteLine($"Building a {_options.Members:N0}-member dataset on {Provider} ...");
        var watch = Stopwatch.StartNew();
        var result = await DemoDataService.LoadAsync(Database, new DemoDataGenerator(_options.Seed, Today, _options.Members));
        var generated = watch.Elapsed;
        await Dialect.AnalyzeAsync();
        await Dialect.CheckpointAsync();
        await using (var connection = await Database.OpenAsync())
            await connection.ExecuteAsync("INSERT INTO demo_state (key, value) VALUES (@CompleteKey, @at)", new { CompleteKey, at = DateTimeOffset.UtcNow.ToString("O") });
        report.Add("dataset", "members generated", Report.Number(result.Members));
        report.Add("dataset", "rows written", Report.Number(result.Rows));
        report.Add("dataset", "generation time", $"{generated.TotalSeconds:F1} s ({Report.Number(result.Members / generated.TotalSeconds)} members/s, {Report.Number(result.Rows / generated.TotalSeconds)} rows/s)",
            "≤ 60 s at 1M");
        report.Add("dataset", "ANALYZE and checkpoint time", $"{(watch.Elapsed - generated).TotalSeconds:F1} s");
    }

    private async Task<bool> IsCompleteAsync()
    {
        await using var connection = await Database.OpenAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT value FROM demo_state WHERE key = @CompleteKey", new { CompleteKey }) is not null;
    }

    /// <summary>
    /// A copy of the dataset for sections that write (the events API), so the dataset stays as generated: a file copy
    /// on SQLite, <c>CREATE DATABASE … TEMPLATE</c> on PostgreSQL. Returns its connection string and how to drop it.
    /// </summary>
    public async Task<(string ConnectionString, Func<Task> Drop)> CopyAsync()
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            await Dialect.CheckpointAsync();
            await using (var connection = await Database.OpenAsync()) await connection.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
            var copy = Path.Combine(Path.GetTempPath(), $"omo-bench-server-{Guid.NewGuid():N}.db");
            File.Copy(_options.SqlitePath, copy);
            // On disk before anything is measured: otherwise writing back 1.5 GB competes with the server's fsyncs.
            await using (var file = new FileStream(copy, FileMode.Open, FileAccess.ReadWrite)) file.Flush(flushToDisk: true);
            return ($"Data Source={copy}", () =>
            {
                foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(copy + suffix);
                return Task.CompletedTask;
            });
        }
        if (_cluster is null) throw new InvalidOperationException("Copying a PostgreSQL dataset needs the benchmark's own cluster (leave out --pg).");
        Dialect.ReleasePools();
        var source = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        var name = await _cluster.CreateDatabaseAsync("bench_copy", template: source);
        return (_cluster.ConnectionString(name), () => _cluster.DropDatabaseAsync(name));
    }

    /// <summary>Random member ids of the dataset (personas and merged duplicates left out), the same for a given seed.</summary>
    public long[] SampleMembers(int count, int seed = 1)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (long)rng.Next(DemoPersonas.All.Count + 1, _options.Members + 1)).ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        Dialect.ReleasePools();
        if (Dialect is IAsyncDisposable disposable) await disposable.DisposeAsync();
        if (_cluster is not null) await _cluster.StopAsync();
    }
}

public static class BenchSections
{
    public static IReadOnlyList<IBenchSection> All { get; } = [new IndexedReadsBench(), new ProfileBench(), new IngestionBench(), new CheckInBench(), new ImportBench(), new BrowserBench(), new HoldsBench(), new WebhookBench()];
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

    public async Task RunAsync(BenchOptions options, DatasetBench dataset, Report report)
    {
        var members = dataset.SampleMembers(options.Samples);
        await using var connection = await dataset.Database.OpenAsync();
        foreach (var (kind, sql) in Reads)
        {
            foreach (var m in members.Take(200)) (await connection.QueryAsync(sql, new { m })).AsList(); // warm the page cache
            var times = new List<double>(members.Length);
            foreach (var m in members)
            {
                var start = Stopwatch.GetTimestamp();
                (await connection.QueryAsync(sql, new { m })).AsList();
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            report.AddLatencies("indexed reads", $"one member's {kind}", times);
        }
    }
}

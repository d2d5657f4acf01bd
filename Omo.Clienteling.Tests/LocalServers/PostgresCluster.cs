using System.Diagnostics;
using Npgsql;

namespace Omo.Clienteling.LocalServers;

/// <summary>
/// A throwaway PostgreSQL cluster of the test run's own (Debian's postgresql package, no Docker): initdb into a
/// temporary folder, pg_ctl start on a free loopback port, one database per test fixture, stopped and deleted when the
/// process exits. Clusters left behind by a run that was killed are cleaned up by the next one.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private const string ServerUser = "postgres";
    private const string FolderPrefix = "omo-pg-";
    private static readonly SemaphoreSlim Creating = new(1, 1);
    private static Task<PostgresCluster>? _shared;
    private int _databases;
    private bool _stopped;
    private readonly bool _keep;

    private PostgresCluster(string folder, int port, bool keep)
    {
        Folder = folder;
        Port = port;
        _keep = keep;
    }

    public string Folder { get; }
    public int Port { get; }
    private string Data => Path.Combine(Folder, "data");

    /// <summary>
    /// Settings for a test cluster: durability off (a crashed test run loses nothing worth keeping) and room for the
    /// connection pools of the app servers a run keeps open at once.
    /// </summary>
    public static readonly string[] TestSettings = ["fsync=off", "synchronous_commit=off", "full_page_writes=off", "max_connections=400"];

    /// <summary>The cluster shared by every test of this process, started on first use.</summary>
    public static Task<PostgresCluster> SharedAsync()
    {
        lock (Creating)
            return _shared ??= StartSharedAsync();
    }

    private static async Task<PostgresCluster> StartSharedAsync()
    {
        var cluster = await StartAsync(TestSettings);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.StopAsync().GetAwaiter().GetResult();
        return cluster;
    }

    /// <summary>
    /// A new cluster in a temporary folder, removed when stopped; or, with <paramref name="keptFolder"/>, one that lives
    /// in that folder between runs (the benchmark's million members are built once), created there if it is not yet.
    /// </summary>
    public static async Task<PostgresCluster> StartAsync(IEnumerable<string>? settings = null, string? keptFolder = null)
    {
        await RemoveAbandonedAsync();
        string folder;
        if (keptFolder is null) folder = await LocalProcess.FolderForAsync($"{FolderPrefix}{Environment.ProcessId}-", ServerUser);
        else
        {
            folder = Path.GetFullPath(keptFolder);
            Directory.CreateDirectory(folder);
            if (LocalProcess.IsRoot) await LocalProcess.RunAsync("chown", [$"{ServerUser}:{ServerUser}", folder]);
        }
        var cluster = new PostgresCluster(folder, FreePort.Next(), keep: keptFolder is not null);
        if (File.Exists(Path.Combine(cluster.Data, "postmaster.pid")))
        {
            // A kept cluster still running from an interrupted run: stop it, to start it on this run's port.
            try { await LocalProcess.RunAsync(Binary("pg_ctl"), ["-D", cluster.Data, "-m", "fast", "-w", "stop"], ServerUser, TimeSpan.FromMinutes(5)); }
            catch (InvalidOperationException) { /* a stale pid file of a server that is gone */ }
        }
        if (!File.Exists(Path.Combine(cluster.Data, "PG_VERSION")))
            await LocalProcess.RunAsync(Binary("initdb"), ["-D", cluster.Data, "-A", "trust", "-U", "postgres", "--encoding=UTF8", "--locale=C.UTF-8"], ServerUser);
        var options = string.Join(" ", new[] { $"-p {cluster.Port}", $"-k {folder}", "-c listen_addresses=127.0.0.1" }
            .Concat((settings ?? []).Select(s => $"-c {s}")));
        await LocalProcess.RunAsync(Binary("pg_ctl"), ["-D", cluster.Data, "-l", Path.Combine(folder, "server.log"), "-o", options, "-w", "start"], ServerUser);
        return cluster;
    }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Include Error Detail=true";

    /// <summary>A new database in this cluster: empty, or a copy of <paramref name="template"/> (a file copy, fast even for millions of rows).</summary>
    public async Task<string> CreateDatabaseAsync(string purpose = "t", string? template = null, string? name = null)
    {
        name ??= $"omo_{purpose}_{Interlocked.Increment(ref _databases)}";
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE {template ?? "template0"} ENCODING 'UTF8'", connection) { CommandTimeout = 600 };
        await create.ExecuteNonQueryAsync();
        return name;
    }

    public async Task<bool> DatabaseExistsAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = @name)", connection);
        exists.Parameters.AddWithValue("name", name);
        return (bool)(await exists.ExecuteScalarAsync())!;
    }

    /// <summary>Drops a database, closing whatever connections are still open to it.</summary>
    public async Task DropDatabaseAsync(string name)
    {
        if (_stopped) return;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        NpgsqlConnection.ClearAllPools();
        try { await LocalProcess.RunAsync(Binary("pg_ctl"), ["-D", Data, "-m", "fast", "-w", "stop"], ServerUser, TimeSpan.FromMinutes(5)); }
        catch (InvalidOperationException) { /* already stopped */ }
        if (_keep) return;
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>Debian's PostgreSQL binaries (the newest installed), or OMO_PG_BIN.</summary>
    public static string Binary(string name)
    {
        var folder = Environment.GetEnvironmentVariable("OMO_PG_BIN")
            ?? (Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                    .Select(d => Path.Combine(d, "bin")).FirstOrDefault(Directory.Exists)
                : null)
            ?? throw new InvalidOperationException("PostgreSQL is not installed: apt-get install postgresql (.ci/run does), or set OMO_PG_BIN.");
        return Path.Combine(folder, name);
    }

    /// <summary>Clusters of test processes that no longer run (killed before they could stop them).</summary>
    private static async Task RemoveAbandonedAsync()
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            var pid = Path.GetFileName(folder)[FolderPrefix.Length..].Split('-')[0];
            if (!int.TryParse(pid, out var owner) || owner == Environment.ProcessId || IsRunning(owner)) continue;
            try { await LocalProcess.RunAsync(Binary("pg_ctl"), ["-D", Path.Combine(folder, "data"), "-m", "immediate", "stop"], ServerUser, TimeSpan.FromSeconds(20)); }
            catch (InvalidOperationException) { }
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static bool IsRunning(int pid)
    {
        try { return !Process.GetProcessById(pid).HasExited; }
        catch (ArgumentException) { return false; }
    }
}

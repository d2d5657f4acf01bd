using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Omo.Clienteling.Data.Sqlite;

/// <summary>The embedded default: one SQLite file in WAL mode, one writer at a time.</summary>
public sealed class SqliteDialect(string connectionString) : SqlDialect, IDisposable
{
    // Per-connection settings: WAL itself is persistent and set once in PrepareAsync. synchronous = FULL makes every
    // commit (an accepted events batch) survive a power cut, not only a process restart; DatabaseMaintenance copies the
    // log into the file in the background, with SQLite's own checkpoint kept as a backstop at 64 MiB of log.
    // secure_delete zeroes deleted content, so an erased member cannot be read back from free space in the file.
    // mmap_size lets reads take pages straight from the operating system's file cache instead of copying each one into
    // the connection (SQLite's largest mapping, 2 GiB): a profile assembles about a tenth faster at 1M members. Writes
    // still go through the log, so a crash loses nothing more than before.
    private const string ConnectionPragmas =
        "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL; PRAGMA cache_size = -32768; PRAGMA wal_autocheckpoint = 16384; PRAGMA secure_delete = ON; PRAGMA mmap_size = 2147418112;";

    /// <summary>
    /// SQLite as this app uses it, set once per process before the first connection opens. Every connection is used by
    /// one caller at a time (as Microsoft.Data.Sqlite requires anyway), so SQLite's own per-call locking is left out
    /// (multi-thread mode), and so is its count of allocated memory, which takes a process-wide lock on every allocation.
    /// Measured on the 1M-member load: a quarter less time per written row. If something opened SQLite before this ran,
    /// SQLite refuses the change and keeps its defaults: slower, just as correct.
    /// </summary>
    static SqliteDialect()
    {
        SQLitePCL.Batteries_V2.Init();
        SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MULTITHREAD);
        SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MEMSTATUS, 0);
    }

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public string ConnectionString => connectionString;

    private readonly PreparedConnectionPool _pool = new(connectionString, connection => connection.Execute(ConnectionPragmas));

    /// <summary>A pooled connection that keeps its statements compiled (SQLite opens in-process: nothing to await).</summary>
    public override Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) => Task.FromResult<DbConnection>(_pool.Open());

    public override DbConnection OpenBlocking() => _pool.Open();

    /// <summary>The Microsoft.Data.Sqlite connection under one of this dialect's connections.</summary>
    internal static SqliteConnection Native(DbConnection connection) => ((PreparingSqliteConnection)connection).Inner;

    public override string InArray(string parameter) => $"IN (SELECT value FROM json_each({parameter}))";

    public override string ArrayRows(string parameter) => $"json_each({parameter})";

    public override object Array<T>(IEnumerable<T> values) => JsonSerializer.Serialize(values);

    public override string Greatest(string a, string b) => $"MAX({a}, {b})";

    public override string Least(string a, string b) => $"MIN({a}, {b})";

    public override string ForUpdate => "";

    public override string ForUpdateSkipLocked => "";

    public override string RowId => "rowid";

    public override string MigrationsResourcePrefix => "Omo.Clienteling.Data.Sqlite.Migrations.";

    public override async Task PrepareAsync(CancellationToken cancellationToken = default)
    {
        var path = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (!string.IsNullOrEmpty(path) && path != ":memory:" && !path.StartsWith("file:", StringComparison.Ordinal))
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        }
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL");
    }

    /// <summary>One file, one server: migrations already run in IMMEDIATE transactions, one writer at a time.</summary>
    public override Task<IAsyncDisposable> LockForStartupAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IAsyncDisposable>(NoLock.Instance);

    public override async Task<IReadOnlyList<string>> TablesAsync(DbConnection connection, DbTransaction? transaction = null) =>
        (await connection.QueryAsync<string>(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name", transaction: transaction)).ToList();

    public override async Task<IReadOnlyList<string>> ColumnsAsync(DbConnection connection, string table, DbTransaction? transaction = null) =>
        (await connection.QueryAsync<string>("SELECT name FROM pragma_table_info(@table) ORDER BY cid", new { table }, transaction)).ToList();

    public override Task DeferForeignKeysAsync(DbConnection connection, DbTransaction transaction) =>
        connection.ExecuteAsync("PRAGMA defer_foreign_keys = ON", transaction: transaction);

    public override async Task CheckpointAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // PASSIVE copies what it can without blocking readers or the writer.
        await connection.ExecuteAsync("PRAGMA wal_checkpoint(PASSIVE)");
    }

    public override async Task ScrubAsync(IReadOnlyList<string> tables, CancellationToken cancellationToken = default)
    {
        // The log still holds the pages as they were before the deletes: copy everything into the file (where the
        // deleted content is now zeros) and cut the log to nothing. A reader in the middle of a long read can hold the
        // checkpoint back; try again a few times.
        await using var connection = await OpenAsync(cancellationToken);
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var (busy, _, _) = await connection.QuerySingleAsync<(int Busy, int Log, int Checkpointed)>("PRAGMA wal_checkpoint(TRUNCATE)");
            if (busy == 0) return;
            await Task.Delay(100, cancellationToken);
        }
        throw new InvalidOperationException("The write-ahead log could not be truncated after the erasure: a reader held it for five seconds.");
    }

    public override async Task AnalyzeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // A one-word command would be taken for a stored procedure's name.
        await connection.ExecuteAsync(new CommandDefinition("ANALYZE", commandType: System.Data.CommandType.Text, commandTimeout: 600, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// A load into an empty file: foreign keys are checked once at the end; the commit is not flushed to disk at once
    /// (a power cut may undo the whole load, never half of it: the next start finds the file empty and loads again);
    /// and the log is copied into the file by the background checkpoint rather than inside the commit, so the data
    /// can be read as soon as it is committed.
    /// </summary>
    public override Task BeforeBulkLoadAsync(DbConnection connection) =>
        connection.ExecuteAsync("PRAGMA foreign_keys = OFF; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0");

    public override async Task<Func<Task>> SetAsideForBulkLoadAsync(DbConnection connection, DbTransaction transaction)
    {
        var indexes = (await connection.QueryAsync<(string Name, string Sql)>(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name", transaction: transaction)).ToList();
        foreach (var (name, _) in indexes) await connection.ExecuteAsync($"DROP INDEX {name}", transaction: transaction);
        return async () =>
        {
            // Index builds sort: SQLite's sorter may use helper threads (one per core), which it does not by default.
            await connection.ExecuteAsync($"PRAGMA threads = {Environment.ProcessorCount}", transaction: transaction);
            foreach (var (_, sql) in indexes) await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, commandTimeout: 1800));
            // Foreign keys were not enforced row by row: they are checked once, all of them, before the load commits.
            var orphans = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM pragma_foreign_key_check", transaction: transaction);
            if (orphans > 0) throw new InvalidOperationException($"The load left {orphans} rows without their parent row; nothing was written.");
        };
    }

    /// <summary>The connection goes back to the pool with the settings every connection has (<see cref="ConnectionPragmas"/>).</summary>
    public override Task AfterBulkLoadAsync(DbConnection connection) =>
        connection.ExecuteAsync("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 16384; PRAGMA threads = 0");

    public override BulkWriter BulkWriter(DbConnection connection) => new SqliteBulkWriter(this, connection);

    public override PendingWrites PendingWrites(DbConnection connection, DbTransaction transaction) => new SqlitePendingWrites(connection, transaction);

    // SQLITE_IOERR, SQLITE_READONLY, SQLITE_FULL, SQLITE_CANTOPEN.
    public override bool IsUnavailable(Exception exception) => exception is SqliteException { SqliteErrorCode: 8 or 10 or 13 or 14 };

    public override bool IsTransient(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 5 or 6 }; // SQLITE_BUSY, SQLITE_LOCKED

    public override int ConcurrentWriters => 1;

    public override void ReleasePools()
    {
        _pool.Clear();
        SqliteConnection.ClearAllPools();
    }

    public void Dispose() => ReleasePools();

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

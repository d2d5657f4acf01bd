using System.Collections.Concurrent;
using System.Data.Common;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Omo.Clienteling.Data.Postgres;

/// <summary>PostgreSQL through Npgsql: one database for a chain's several app servers.</summary>
public sealed class PostgresDialect(string connectionString) : SqlDialect, IAsyncDisposable
{
    /// <summary>The advisory lock servers take while they migrate and seed (any constant unique to this app).</summary>
    private const long StartupLockKey = 0x4F4D4F_5354_4152; // "OMO" "STAR"

    private readonly NpgsqlDataSource _source = new NpgsqlDataSourceBuilder(WithPreparedStatements(connectionString)) { Name = "omo" }.Build();

    /// <summary>
    /// The app runs the same few dozen statements all day: Npgsql prepares those it sees repeatedly, so PostgreSQL
    /// plans each once per connection instead of on every call. A connection string that says otherwise wins.
    /// </summary>
    private static string WithPreparedStatements(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Max Auto Prepare", StringComparison.OrdinalIgnoreCase)) builder.MaxAutoPrepare = 256;
        if (!connectionString.Contains("Auto Prepare Min Usages", StringComparison.OrdinalIgnoreCase)) builder.AutoPrepareMinUsages = 2;
        return builder.ConnectionString;
    }

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        await _source.OpenConnectionAsync(cancellationToken);

    public override DbConnection OpenBlocking() => _source.OpenConnection();

    public override string InArray(string parameter) => $"= ANY({parameter})";

    public override string ArrayRows(string parameter) => $"unnest({parameter}) AS array_rows(value)";

    public override object Array<T>(IEnumerable<T> values) => values.ToArray();

    public override string Greatest(string a, string b) => $"GREATEST({a}, {b})";

    public override string Least(string a, string b) => $"LEAST({a}, {b})";

    public override string ForUpdate => " FOR UPDATE";

    public override string ForUpdateSkipLocked => " FOR UPDATE SKIP LOCKED";

    public override string RowId => "ctid";

    public override string MigrationsResourcePrefix => "Omo.Clienteling.Data.Postgres.Migrations.";

    /// <summary>The database itself is made by its administrator (<c>createdb omo</c>); the app brings its tables.</summary>
    public override Task PrepareAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public override async Task<IAsyncDisposable> LockForStartupAsync(CancellationToken cancellationToken = default)
    {
        var connection = await _source.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync("SELECT pg_advisory_lock(@StartupLockKey)", new { StartupLockKey });
        return new AdvisoryLock(connection);
    }

    public override async Task<IReadOnlyList<string>> TablesAsync(DbConnection connection, DbTransaction? transaction = null) =>
        (await connection.QueryAsync<string>("""
            SELECT table_name FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name
            """, transaction: transaction)).ToList();

    public override async Task<IReadOnlyList<string>> ColumnsAsync(DbConnection connection, string table, DbTransaction? transaction = null) =>
        (await connection.QueryAsync<string>("""
            SELECT column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = @table ORDER BY ordinal_position
            """, new { table }, transaction)).ToList();

    /// <summary>The schema declares its foreign keys DEFERRABLE for this.</summary>
    public override Task DeferForeignKeysAsync(DbConnection connection, DbTransaction transaction) =>
        connection.ExecuteAsync("SET CONSTRAINTS ALL DEFERRED", transaction: transaction);

    /// <summary>Autovacuum and the server's own checkpoints look after the files.</summary>
    public override Task CheckpointAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>
    /// Deleted rows stay in the table files as dead versions until VACUUM removes them: it runs at once on the tables
    /// the erasure touched (VACUUM cannot run inside a transaction, hence after the commit). What it does not reach is
    /// said in the README: free space is reused rather than zeroed, and the server's write-ahead log and backups keep
    /// their own copies for as long as the DBA retains them.
    /// </summary>
    public override async Task ScrubAsync(IReadOnlyList<string> tables, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition($"VACUUM (INDEX_CLEANUP ON) {string.Join(", ", tables)}",
            commandType: System.Data.CommandType.Text, commandTimeout: 1800, cancellationToken: cancellationToken));
    }

    public override async Task AnalyzeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // A one-word command would be taken for a stored procedure's name.
        await connection.ExecuteAsync(new CommandDefinition("ANALYZE", commandType: System.Data.CommandType.Text, commandTimeout: 600, cancellationToken: cancellationToken));
    }

    public override Task BeforeBulkLoadAsync(DbConnection connection) => Task.CompletedTask;

    public override async Task<Func<Task>> SetAsideForBulkLoadAsync(DbConnection connection, DbTransaction transaction)
    {
        // Constraints that check each row (foreign keys, then the primary and unique keys they lean on) and the other
        // indexes: each row would update them one at a time, while building them afterwards is one sorted pass.
        var constraints = (await connection.QueryAsync<(string Table, string Name, string Kind, string Definition)>("""
            SELECT conrelid::regclass::text, conname, contype::text, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE contype IN ('f', 'p', 'u') AND connamespace = current_schema()::regnamespace
            ORDER BY CASE contype WHEN 'f' THEN 0 ELSE 1 END, conname
            """, transaction: transaction)).ToList();
        var indexes = (await connection.QueryAsync<(string Name, string Definition)>("""
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema()
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.contype IN ('p', 'u'))
            ORDER BY i.indexname
            """, transaction: transaction)).ToList();
        foreach (var (table, name, _, _) in constraints) await connection.ExecuteAsync($"ALTER TABLE {table} DROP CONSTRAINT {name}", transaction: transaction);
        foreach (var (name, _) in indexes) await connection.ExecuteAsync($"DROP INDEX {name}", transaction: transaction);
        return async () =>
        {
            // Keys before the foreign keys that need them; adding a foreign key checks every row against its parent at once.
            foreach (var (table, name, _, definition) in constraints.Where(c => c.Kind != "f").Concat(constraints.Where(c => c.Kind == "f")))
                await connection.ExecuteAsync(new CommandDefinition($"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}", transaction: transaction, commandTimeout: 1800));
            foreach (var (_, definition) in indexes) await connection.ExecuteAsync(new CommandDefinition(definition, transaction: transaction, commandTimeout: 1800));
        };
    }

    public override Task AfterBulkLoadAsync(DbConnection connection) => Task.CompletedTask;

    public override BulkWriter BulkWriter(DbConnection connection) => new PostgresBulkWriter(this, connection);

    public override PendingWrites PendingWrites(DbConnection connection, DbTransaction transaction) => new PostgresPendingWrites(connection, transaction);

    public override bool IsUnavailable(Exception exception) => exception switch
    {
        // Read-only transaction (a standby, or default_transaction_read_only), disk full, out of memory or connections,
        // the server shutting down or starting up, and every connection failure.
        PostgresException p => p.SqlState is PostgresErrorCodes.ReadOnlySqlTransaction or PostgresErrorCodes.DiskFull or PostgresErrorCodes.OutOfMemory
            or PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            || p.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException { InnerException: System.Net.Sockets.SocketException or IOException or TimeoutException } => true,
        NpgsqlException e when e.Message.Contains("pool", StringComparison.OrdinalIgnoreCase) => true,
        _ => false,
    };

    public override bool IsTransient(Exception exception) => exception switch
    {
        PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected } => true,
        NpgsqlException { IsTransient: true } => true,
        _ => false,
    };

    public override int ConcurrentWriters => 4;

    private readonly ConcurrentDictionary<string, NpgsqlDbType[]> _copyTypes = new(StringComparer.Ordinal);

    /// <summary>
    /// The types binary COPY must write for these columns, read once per table from the schema (which does not change
    /// while the app runs): an events batch copies a few hundred rows and should not ask every time.
    /// </summary>
    internal async Task<NpgsqlDbType[]> CopyTypesAsync(DbConnection connection, DbTransaction? transaction, string table, string[] columns)
    {
        var key = table + "(" + string.Join(",", columns) + ")";
        if (_copyTypes.TryGetValue(key, out var cached)) return cached;
        var types = (await connection.QueryAsync<(string Column, string Type)>("""
            SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table
            """, new { table }, transaction)).ToDictionary(c => c.Column, c => c.Type);
        return _copyTypes[key] = columns.Select(c => types.TryGetValue(c, out var type)
            ? type switch
            {
                "bigint" => NpgsqlDbType.Bigint,
                "integer" => NpgsqlDbType.Integer,
                "smallint" => NpgsqlDbType.Smallint,
                "boolean" => NpgsqlDbType.Boolean,
                "double precision" => NpgsqlDbType.Double,
                "date" => NpgsqlDbType.Date,
                _ => NpgsqlDbType.Text,
            }
            : throw new InvalidOperationException($"{table} has no column {c}.")).ToArray();
    }

    public override void ReleasePools() => _source.Clear();

    public ValueTask DisposeAsync() => _source.DisposeAsync();

    private sealed class AdvisoryLock(DbConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@StartupLockKey)", new { StartupLockKey });
            await connection.DisposeAsync();
        }
    }
}

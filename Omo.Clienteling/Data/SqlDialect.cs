using System.Data.Common;

namespace Omo.Clienteling.Data;

/// <summary>
/// What differs between SQLite and PostgreSQL, and nothing else: every statement in the app is the same SQL text on
/// both, except for the fragments this object writes. Portable SQL used everywhere: <c>TRUE</c>/<c>FALSE</c>,
/// <c>ON CONFLICT … DO NOTHING / DO UPDATE</c> (with the target table named in <c>SET</c> expressions),
/// <c>RETURNING</c>, <c>COUNT(*) FILTER (WHERE …)</c>, <c>LIMIT</c>, times as <c>bigint</c> unix milliseconds and dates
/// as <c>'yyyy-MM-dd'</c> text.
/// </summary>
public abstract class SqlDialect
{
    public abstract DatabaseProvider Provider { get; }

    /// <summary>An open connection with the settings every connection of this provider needs.</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// A connection opened synchronously, only for framework interfaces that are synchronous themselves (the Data
    /// Protection key ring's repository). Everything else opens with <see cref="OpenAsync"/>.
    /// </summary>
    public abstract DbConnection OpenBlocking();

    // ---------- SQL text ----------

    /// <summary>Membership in an array parameter made by <see cref="Array{T}"/>: <c>WHERE sku {InArray("@skus")}</c>.</summary>
    public abstract string InArray(string parameter);

    /// <summary>The elements of an array parameter as rows of one column, <c>value</c>: <c>SELECT value FROM {ArrayRows("@ids")}</c>.</summary>
    public abstract string ArrayRows(string parameter);

    /// <summary>An array parameter's value: a native array on PostgreSQL, JSON on SQLite.</summary>
    public abstract object Array<T>(IEnumerable<T> values);

    public abstract string Greatest(string a, string b);

    public abstract string Least(string a, string b);

    /// <summary>
    /// Appended to a SELECT of rows the transaction is about to change, so a second writer (another server) waits for
    /// this one instead of deciding on the same stale rows. SQLite has one writer at a time and needs nothing.
    /// </summary>
    public abstract string ForUpdate { get; }

    /// <summary>
    /// Appended to a SELECT of rows to claim: PostgreSQL locks them and passes over rows another server has claimed;
    /// SQLite has one writer at a time, so a claim inside a write transaction is already alone.
    /// </summary>
    public abstract string ForUpdateSkipLocked { get; }

    /// <summary>
    /// The column that names one stored row of a table without a key (SQLite <c>rowid</c>, PostgreSQL <c>ctid</c>), to
    /// change exactly one of several identical rows: <c>WHERE {RowId} = (SELECT {RowId} FROM … LIMIT 1)</c>. It is good
    /// only inside the statement that reads it.
    /// </summary>
    public abstract string RowId { get; }

    // ---------- schema, maintenance, bulk writes ----------

    /// <summary>Where this provider's numbered migration scripts are embedded.</summary>
    public abstract string MigrationsResourcePrefix { get; }

    /// <summary>Before the first migration: the database file's folder (SQLite), nothing on a server database.</summary>
    public abstract Task PrepareAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Held while a server migrates, creates its key ring and seeds an empty database, so two servers starting at
    /// once do it one after the other.
    /// </summary>
    public abstract Task<IAsyncDisposable> LockForStartupAsync(CancellationToken cancellationToken = default);

    /// <summary>The app's tables (not the provider's own).</summary>
    public abstract Task<IReadOnlyList<string>> TablesAsync(DbConnection connection, DbTransaction? transaction = null);

    /// <summary>A table's columns in declaration order.</summary>
    public abstract Task<IReadOnlyList<string>> ColumnsAsync(DbConnection connection, string table, DbTransaction? transaction = null);

    /// <summary>Foreign keys are checked at commit in this transaction: a bulk load or a reset writes children before parents.</summary>
    public abstract Task DeferForeignKeysAsync(DbConnection connection, DbTransaction transaction);

    /// <summary>Periodic upkeep in the background (the write-ahead log into the file on SQLite; nothing on PostgreSQL, whose autovacuum does it).</summary>
    public abstract Task CheckpointAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// After an erasure committed: what the database keeps of deleted rows outside the tables goes too (SQLite: the
    /// write-ahead log, checkpointed and truncated; deleted content is zeroed as it is deleted, secure_delete.
    /// PostgreSQL: the dead row versions of the tables named, removed by VACUUM).
    /// </summary>
    public abstract Task ScrubAsync(IReadOnlyList<string> tables, CancellationToken cancellationToken = default);

    /// <summary>Fresh planner statistics after a large load.</summary>
    public abstract Task AnalyzeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Loading an empty database: before its transaction begins (SQLite's foreign-key enforcement can only be switched
    /// outside one). Undone by <see cref="AfterBulkLoadAsync"/>.
    /// </summary>
    public abstract Task BeforeBulkLoadAsync(DbConnection connection);

    /// <summary>
    /// Loading an empty database, inside its transaction: sets aside what every inserted row would otherwise maintain one
    /// at a time (secondary indexes; on PostgreSQL also foreign keys) and returns what builds them again in one pass
    /// each, in the same transaction, once the rows are in (and fails the load if a row lacks its parent).
    /// </summary>
    public abstract Task<Func<Task>> SetAsideForBulkLoadAsync(DbConnection connection, DbTransaction transaction);

    /// <summary>After the load committed (or rolled back): the connection goes back to normal use.</summary>
    public abstract Task AfterBulkLoadAsync(DbConnection connection);

    /// <summary>Writes many rows fast: prepared batches on SQLite, binary COPY on PostgreSQL.</summary>
    public abstract BulkWriter BulkWriter(DbConnection connection);

    /// <summary>Writes inside a transaction that no read needs before commit, sent together where that saves round trips.</summary>
    public abstract PendingWrites PendingWrites(DbConnection connection, DbTransaction transaction);

    /// <summary>
    /// The database cannot take writes or answer at all right now (read-only, disk full, unreachable, shutting down):
    /// the caller is told to come back later (503 with Retry-After), not that something broke.
    /// </summary>
    public abstract bool IsUnavailable(Exception exception);

    /// <summary>A failure worth running the same transaction again for (a deadlock, a busy database).</summary>
    public abstract bool IsTransient(Exception exception);

    /// <summary>
    /// How many event batches may be written at once. SQLite has one writer, so batches queue in the app rather than
    /// spin on the lock; PostgreSQL takes row locks and can write several.
    /// </summary>
    public abstract int ConcurrentWriters { get; }

    /// <summary>Closes pooled connections (tests and the benchmark delete database files afterwards).</summary>
    public abstract void ReleasePools();
}

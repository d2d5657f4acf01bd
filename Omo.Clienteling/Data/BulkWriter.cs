using System.Data.Common;

namespace Omo.Clienteling.Data;

/// <summary>
/// Writes many rows by each provider's fast path: the demo dataset and the benchmark's million members, and the
/// append-only history rows of an events batch. Rows are buffered per table and written in batches, so whoever produces
/// them stays a plain loop. Three ways to run:
/// <list type="bullet">
/// <item><see cref="BeginLoadAsync"/>: loading an empty database. One transaction; secondary indexes (and PostgreSQL's
/// foreign keys) are set aside and built once at the end; a crash leaves the database as empty as it was.</item>
/// <item><see cref="BeginAsync"/>: the writer's own transaction (a demo reset, which readers must see whole or not at
/// all), foreign keys checked at commit.</item>
/// <item><see cref="Join"/>: inside the caller's transaction, which the caller commits (an events batch).</item>
/// </list>
/// With its own transaction, a full buffer is written in the background while the producer fills the next one: on two
/// cores, generating rows and writing them overlap.
/// </summary>
public abstract class BulkWriter(DbConnection connection) : IAsyncDisposable
{
    /// <summary>
    /// Rows held in memory before they are written (twice over while the previous batch is written). Each provider sets
    /// its own: large batches for PostgreSQL's COPY, small ones for SQLite, which has no round trips to save.
    /// </summary>
    protected virtual int BufferedRows => 100_000;

    private readonly Dictionary<string, Table> _tables = new(StringComparer.Ordinal);
    private readonly List<Table> _inOrder = [];
    private int _buffered;
    private bool _ownsTransaction, _completed;
    private Func<Task>? _rebuild;
    private Task _writing = Task.CompletedTask;

    public DbConnection Connection { get; } = connection;
    public DbTransaction Transaction { get; private set; } = null!;
    public long RowsWritten { get; private set; }

    /// <summary>Loading an empty database (<see cref="BeginLoadAsync"/>).</summary>
    protected bool Loading { get; private set; }

    public abstract SqlDialect Dialect { get; }

    /// <summary>One table's rows: the same columns, in the order given. <see cref="State"/> is the writer's per-table cache.</summary>
    protected sealed class Table(string name, string[] columns)
    {
        public string Name { get; } = name;
        public string[] Columns { get; } = columns;
        public List<object?[]> Rows { get; set; } = [];
        public object? State { get; set; }
    }

    /// <summary>Loads an empty database in one transaction, building indexes (and foreign keys) once at the end.</summary>
    public async Task BeginLoadAsync(CancellationToken cancellationToken = default)
    {
        await Dialect.BeforeBulkLoadAsync(Connection);
        await BeforeLoadAsync();
        Loading = true;
        _ownsTransaction = true;
        Transaction = await Connection.BeginTransactionAsync(cancellationToken);
        _rebuild = await Dialect.SetAsideForBulkLoadAsync(Connection, Transaction);
    }

    /// <summary>What the provider's writer looks at before a load's transaction begins.</summary>
    protected virtual Task BeforeLoadAsync() => Task.CompletedTask;

    /// <summary>Starts the writer's own transaction, foreign keys checked at commit.</summary>
    public async Task BeginAsync(CancellationToken cancellationToken = default)
    {
        _ownsTransaction = true;
        Transaction = await Connection.BeginTransactionAsync(cancellationToken);
        await Dialect.DeferForeignKeysAsync(Connection, Transaction);
    }

    /// <summary>Writes inside a transaction the caller owns and commits.</summary>
    public BulkWriter Join(DbTransaction transaction)
    {
        Transaction = transaction;
        return this;
    }

    /// <summary>Buffers one row; <paramref name="columns"/> is a comma-separated list that must stay the same per table.</summary>
    public void Add(string table, string columns, params object?[] values)
    {
        if (!_tables.TryGetValue(table, out var t))
        {
            t = new Table(table, columns.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            _tables[table] = t;
            _inOrder.Add(t);
        }
        if (values.Length != t.Columns.Length) throw new ArgumentException($"{table} takes {t.Columns.Length} values, not {values.Length}.", nameof(values));
        t.Rows.Add(values);
        _buffered++;
    }

    /// <summary>
    /// Once enough rows are buffered, hands them to the writer: in the background with its own transaction (the
    /// previous batch has to be written first: one connection, one writer), at once inside the caller's.
    /// </summary>
    public async ValueTask FlushIfFullAsync(CancellationToken cancellationToken = default)
    {
        if (_buffered < BufferedRows) return;
        if (!_ownsTransaction)
        {
            await FlushAsync(cancellationToken);
            return;
        }
        await _writing;
        var batch = TakeBuffered();
        _writing = Task.Run(() => WriteAllAsync(batch, cancellationToken), cancellationToken);
    }

    /// <summary>Writes everything buffered, and waits for what is being written: afterwards the rows are in the database.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _writing;
        await WriteAllAsync(TakeBuffered(), cancellationToken);
    }

    /// <summary>The buffered rows, tables in the order they were first used (parents before children); fresh buffers for the producer.</summary>
    private List<(Table Table, List<object?[]> Rows)> TakeBuffered()
    {
        var batch = _inOrder.Where(t => t.Rows.Count > 0).Select(t => (t, t.Rows)).ToList();
        foreach (var (table, _) in batch) table.Rows = [];
        _buffered = 0;
        return batch;
    }

    private async Task WriteAllAsync(List<(Table Table, List<object?[]> Rows)> batch, CancellationToken cancellationToken)
    {
        foreach (var (table, rows) in batch)
        {
            await WriteAsync(table, rows, cancellationToken);
            RowsWritten += rows.Count;
        }
    }

    protected abstract Task WriteAsync(Table table, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken);

    /// <summary>
    /// Writes what is buffered and builds what a load set aside, so the rows can be queried and changed as usual (the
    /// generator's merges run after this: without indexes each would scan whole tables).
    /// </summary>
    public async Task IndexAsync(CancellationToken cancellationToken = default)
    {
        await FlushAsync(cancellationToken);
        if (_rebuild is { } rebuild)
        {
            _rebuild = null;
            await rebuild();
        }
    }

    /// <summary>Writes the rest, builds what a load set aside and, with its own transaction, commits.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        await IndexAsync(cancellationToken);
        if (_ownsTransaction) await Transaction.CommitAsync(cancellationToken);
        _completed = true;
    }

    public virtual async ValueTask DisposeAsync()
    {
        // Not completed: an exception is on its way; what is being written is abandoned with the transaction.
        try { await _writing; }
        catch (Exception) when (!_completed) { }
        if (_ownsTransaction)
        {
            if (!_completed) await Transaction.RollbackAsync();
            await Transaction.DisposeAsync();
        }
        if (Loading) await Dialect.AfterBulkLoadAsync(Connection);
        GC.SuppressFinalize(this);
    }
}

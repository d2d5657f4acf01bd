using System.Data.Common;

namespace Omo.Clienteling.Data;

/// <summary>
/// Writes many rows by each provider's fast path: the demo dataset and the benchmark's million members, and the
/// append-only history rows of an events batch. Rows are buffered per table and written at <see cref="FlushAsync"/>
/// (or <see cref="FlushIfFullAsync"/>), so whoever produces them stays a plain loop and the I/O happens in batches.
/// Either the writer runs its own transactions (<see cref="BeginAsync"/>: foreign keys checked at commit, chunks
/// committed every <c>rowsPerTransaction</c> rows, or once at the end for a demo reset that readers must see whole or
/// not at all), or it writes inside the caller's (<see cref="Join"/>), which the caller commits.
/// </summary>
public abstract class BulkWriter(DbConnection connection) : IAsyncDisposable
{
    /// <summary>Rows held in memory before they are written.</summary>
    protected const int BufferedRows = 20_000;

    private readonly Dictionary<string, Table> _tables = new(StringComparer.Ordinal);
    private readonly List<Table> _inOrder = [];
    private int _buffered;
    private long _sinceCommit;
    private int _rowsPerTransaction = int.MaxValue;
    private bool _ownsTransaction, _completed;

    public DbConnection Connection { get; } = connection;
    public DbTransaction Transaction { get; private set; } = null!;
    public long RowsWritten { get; private set; }

    /// <summary>One table's buffered rows: the same columns, in the order given.</summary>
    protected sealed class Table(string name, string[] columns)
    {
        public string Name { get; } = name;
        public string[] Columns { get; } = columns;
        public List<object?[]> Rows { get; } = [];
        public object? State { get; set; }
    }

    /// <summary>Starts the writer's own transaction; with <paramref name="rowsPerTransaction"/> set, it commits in chunks.</summary>
    public async Task BeginAsync(int rowsPerTransaction = int.MaxValue, CancellationToken cancellationToken = default)
    {
        _rowsPerTransaction = rowsPerTransaction;
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

    public abstract SqlDialect Dialect { get; }

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

    /// <summary>Writes what is buffered once enough has piled up, and commits a chunk when it is due.</summary>
    public async ValueTask FlushIfFullAsync(CancellationToken cancellationToken = default)
    {
        if (_buffered >= BufferedRows) await FlushAsync(cancellationToken);
    }

    /// <summary>Writes everything buffered (tables in the order they were first used: parents before children).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        foreach (var table in _inOrder.Where(t => t.Rows.Count > 0))
        {
            await WriteAsync(table, cancellationToken);
            RowsWritten += table.Rows.Count;
            _sinceCommit += table.Rows.Count;
            table.Rows.Clear();
        }
        _buffered = 0;
        if (_ownsTransaction && _rowsPerTransaction != int.MaxValue && _sinceCommit >= _rowsPerTransaction)
        {
            await Transaction.CommitAsync(cancellationToken);
            await Transaction.DisposeAsync();
            Transaction = await Connection.BeginTransactionAsync(cancellationToken);
            await Dialect.DeferForeignKeysAsync(Connection, Transaction);
            _sinceCommit = 0;
        }
    }

    protected abstract Task WriteAsync(Table table, CancellationToken cancellationToken);

    /// <summary>Writes the rest and commits the writer's own transaction.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        await FlushAsync(cancellationToken);
        if (_ownsTransaction) await Transaction.CommitAsync(cancellationToken);
        _completed = true;
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (_ownsTransaction)
        {
            // Not completed: an exception is on its way, and the transaction rolls back.
            if (!_completed) await Transaction.RollbackAsync();
            await Transaction.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}

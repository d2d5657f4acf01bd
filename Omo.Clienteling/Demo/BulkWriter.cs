using Microsoft.Data.Sqlite;

namespace Omo.Clienteling.Demo;

/// <summary>
/// Writes generated rows through one prepared INSERT per table, committing every 100,000 rows by default: one transaction per chunk is what makes millions of rows a matter of seconds on SQLite.
/// </summary>
internal sealed class BulkWriter : IDisposable
{
    private readonly int _rowsPerTransaction;
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = new();
    private SqliteTransaction _transaction;
    private int _pending;

    /// <param name="rowsPerTransaction">Rows per commit; int.MaxValue writes everything in one transaction (a demo reset,
    /// which readers must see all at once or not at all).</param>
    public BulkWriter(SqliteConnection connection, int rowsPerTransaction = 100_000)
    {
        _connection = connection;
        _rowsPerTransaction = rowsPerTransaction;
        // A large page cache keeps the indexes' hot pages in memory while millions of rows go in.
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA cache_size = -262144";
            pragma.ExecuteNonQuery();
        }
        _transaction = connection.BeginTransaction();
    }

    public long RowsWritten { get; private set; }

    public SqliteConnection Connection => _connection;
    public SqliteTransaction Transaction => _transaction;

    public void Insert(string table, string columns, params object?[] values)
    {
        var key = table + "|" + columns;
        if (!_commands.TryGetValue(key, out var command))
        {
            command = _connection.CreateCommand();
            command.Transaction = _transaction;
            command.CommandText = $"INSERT INTO {table} ({columns}) VALUES ({string.Join(", ", values.Select((_, i) => "$p" + i))})";
            for (var i = 0; i < values.Length; i++) command.Parameters.Add(new SqliteParameter("$p" + i, null));
            command.Prepare();
            _commands[key] = command;
        }
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        command.ExecuteNonQuery();
        RowsWritten++;
        if (++_pending >= _rowsPerTransaction) Commit();
    }

    /// <summary>Commits what is pending and carries on in a new transaction (a no-op in one-transaction mode).</summary>
    public void Commit()
    {
        if (_rowsPerTransaction == int.MaxValue) return;
        _transaction.Commit();
        _transaction.Dispose();
        _transaction = _connection.BeginTransaction();
        foreach (var command in _commands.Values) command.Transaction = _transaction;
        _pending = 0;
    }

    public void Dispose()
    {
        _transaction.Commit();
        _transaction.Dispose();
        foreach (var command in _commands.Values) command.Dispose();
    }
}

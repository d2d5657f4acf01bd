using Microsoft.Data.Sqlite;

namespace Omo.Clienteling.Demo;

/// <summary>
/// Writes generated rows through one prepared INSERT per table, committing every <see cref="RowsPerTransaction"/>
/// rows: one transaction per chunk is what makes millions of rows a matter of seconds on SQLite.
/// </summary>
internal sealed class BulkWriter : IDisposable
{
    private const int RowsPerTransaction = 100_000;
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = new();
    private SqliteTransaction _transaction;
    private int _pending;

    public BulkWriter(SqliteConnection connection)
    {
        _connection = connection;
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
        if (++_pending >= RowsPerTransaction) Commit();
    }

    /// <summary>Commits what is pending and carries on in a new transaction.</summary>
    public void Commit()
    {
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

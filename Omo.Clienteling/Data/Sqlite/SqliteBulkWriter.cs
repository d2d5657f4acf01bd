using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Omo.Clienteling.Data.Sqlite;

/// <summary>
/// SQLite's fast path: one prepared INSERT per table, executed for each row inside large transactions. SQLite is
/// in-process, so there is no round trip to save; measured here, binding parameters costs more than stepping
/// statements, and multi-row INSERTs (more parameters per statement) are slower per row, not faster.
/// </summary>
internal sealed class SqliteBulkWriter(SqliteDialect dialect, DbConnection connection) : BulkWriter(connection)
{
    private readonly List<SqliteCommand> _commands = [];
    private bool _largeCache;

    public override SqlDialect Dialect => dialect;

    protected override Task WriteAsync(Table table, CancellationToken cancellationToken)
    {
        if (!_largeCache)
        {
            // A large page cache keeps the indexes' hot pages in memory while many rows go in.
            using var pragma = SqliteDialect.Native(Connection).CreateCommand();
            pragma.CommandText = "PRAGMA cache_size = -262144";
            pragma.ExecuteNonQuery();
            _largeCache = true;
        }
        var command = (SqliteCommand)(table.State ??= Prepare(table));
        command.Transaction = (SqliteTransaction)Transaction;
        var parameters = command.Parameters;
        foreach (var row in table.Rows)
        {
            for (var c = 0; c < row.Length; c++) parameters[c].Value = row[c] ?? DBNull.Value;
            command.ExecuteNonQuery();
        }
        return Task.CompletedTask;
    }

    private SqliteCommand Prepare(Table table)
    {
        var command = SqliteDialect.Native(Connection).CreateCommand();
        var names = table.Columns.Select((_, i) => $"$p{i}").ToList();
        command.CommandText = $"INSERT INTO {table.Name} ({string.Join(", ", table.Columns)}) VALUES ({string.Join(", ", names)})";
        foreach (var name in names) command.Parameters.Add(new SqliteParameter(name, null));
        command.Transaction = (SqliteTransaction)Transaction;
        command.Prepare();
        _commands.Add(command);
        return command;
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var command in _commands) await command.DisposeAsync();
        if (_largeCache)
        {
            // The connection goes back to the pool: back to the page cache every connection has.
            await using var pragma = SqliteDialect.Native(Connection).CreateCommand();
            pragma.CommandText = "PRAGMA cache_size = -32768";
            await pragma.ExecuteNonQueryAsync();
        }
        await base.DisposeAsync();
    }
}

using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Omo.Clienteling.Data.Sqlite;

/// <summary>
/// SQLite's fast path: prepared multi-row INSERTs (many rows per statement step) in large transactions. SQLite is
/// in-process, so the cost is per statement executed: fewer, larger statements are what make millions of rows quick.
/// </summary>
internal sealed class SqliteBulkWriter(SqliteDialect dialect, DbConnection connection) : BulkWriter(connection)
{
    private const int RowsPerStatement = 64;

    private readonly List<SqliteCommand> _commands = [];

    public override SqlDialect Dialect => dialect;

    private sealed record Commands(SqliteCommand Many, SqliteCommand One);

    private bool _largeCache;

    protected override Task WriteAsync(Table table, CancellationToken cancellationToken)
    {
        if (!_largeCache)
        {
            // A large page cache keeps the indexes' hot pages in memory while millions of rows go in.
            using var pragma = ((SqliteConnection)Connection).CreateCommand();
            pragma.CommandText = "PRAGMA cache_size = -262144";
            pragma.ExecuteNonQuery();
            _largeCache = true;
        }
        var commands = (Commands)(table.State ??= Prepare(table));
        var rows = table.Rows;
        var width = table.Columns.Length;
        var i = 0;
        for (; i + RowsPerStatement <= rows.Count; i += RowsPerStatement)
        {
            commands.Many.Transaction = (SqliteTransaction)Transaction;
            for (var r = 0; r < RowsPerStatement; r++)
                for (var c = 0; c < width; c++) commands.Many.Parameters[r * width + c].Value = rows[i + r][c] ?? DBNull.Value;
            commands.Many.ExecuteNonQuery();
        }
        for (; i < rows.Count; i++)
        {
            commands.One.Transaction = (SqliteTransaction)Transaction;
            for (var c = 0; c < width; c++) commands.One.Parameters[c].Value = rows[i][c] ?? DBNull.Value;
            commands.One.ExecuteNonQuery();
        }
        return Task.CompletedTask;
    }

    private Commands Prepare(Table table) => new(Command(table, RowsPerStatement), Command(table, 1));

    private SqliteCommand Command(Table table, int rows)
    {
        var width = table.Columns.Length;
        var sql = new StringBuilder($"INSERT INTO {table.Name} ({string.Join(", ", table.Columns)}) VALUES ");
        var command = ((SqliteConnection)Connection).CreateCommand();
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < width; c++)
            {
                var name = $"$p{r * width + c}";
                sql.Append(c == 0 ? name : ", " + name);
                command.Parameters.Add(new SqliteParameter(name, null));
            }
            sql.Append(')');
        }
        command.CommandText = sql.ToString();
        command.Transaction = (SqliteTransaction)Transaction;
        command.Prepare();
        _commands.Add(command);
        return command;
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var command in _commands) await command.DisposeAsync();
        await base.DisposeAsync();
    }
}

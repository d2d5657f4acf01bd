using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Omo.Clienteling.Data.Sqlite;

/// <summary>
/// SQLite's fast path: one prepared INSERT per table, run for each row inside the transaction. SQLite is in-process,
/// so there is no round trip to save; what costs is handing values over. Measured here: Microsoft.Data.Sqlite's
/// parameter objects take about twice as long per row as binding through SQLitePCL directly, and multi-row INSERTs
/// (more parameters per statement) are slower per row, not faster. So the statement is driven through the same
/// native connection with SQLitePCL's bind, step and reset; it runs in the connection's open transaction like any other.
/// </summary>
internal sealed class SqliteBulkWriter(SqliteDialect dialect, DbConnection connection) : BulkWriter(connection)
{
    private readonly List<sqlite3_stmt> _statements = [];
    private bool _largeCache;

    public override SqlDialect Dialect => dialect;

    private SqliteConnection Native => SqliteDialect.Native(Connection);

    protected override Task WriteAsync(Table table, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        if (!_largeCache)
        {
            // A large page cache (up to 1 GiB, used only as the file grows) keeps the tables' and keys' pages in memory
            // while many rows go in, instead of writing them to the log and reading them back: on the 1M-member load
            // (1.5 GB), a quarter less time than with 256 MiB.
            Execute("PRAGMA cache_size = -1048576");
            _largeCache = true;
        }
        var statement = (sqlite3_stmt)(table.State ??= Prepare(table));
        foreach (var row in rows)
        {
            for (var c = 0; c < row.Length; c++) Check(Bind(statement, c + 1, row[c]));
            var stepped = raw.sqlite3_step(statement);
            raw.sqlite3_reset(statement);
            if (stepped != raw.SQLITE_DONE) Check(stepped);
        }
        return Task.CompletedTask;
    }

    private static int Bind(sqlite3_stmt statement, int index, object? value) => value switch
    {
        null or DBNull => raw.sqlite3_bind_null(statement, index),
        long l => raw.sqlite3_bind_int64(statement, index, l),
        int i => raw.sqlite3_bind_int64(statement, index, i),
        short s => raw.sqlite3_bind_int64(statement, index, s),
        bool b => raw.sqlite3_bind_int64(statement, index, b ? 1 : 0),
        double d => raw.sqlite3_bind_double(statement, index, d),
        string text => raw.sqlite3_bind_text(statement, index, text),
        // Calendar dates as Microsoft.Data.Sqlite writes them: 'yyyy-MM-dd' text.
        DateOnly day => raw.sqlite3_bind_text(statement, index, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        _ => throw new ArgumentException($"A bulk row cannot hold a {value.GetType().Name}; pass plain values (times as unix milliseconds)."),
    };

    private sqlite3_stmt Prepare(Table table)
    {
        var sql = $"INSERT INTO {table.Name} ({string.Join(", ", table.Columns)}) VALUES ({string.Join(", ", table.Columns.Select(_ => "?"))})";
        Check(raw.sqlite3_prepare_v2(Native.Handle, sql, out sqlite3_stmt statement));
        _statements.Add(statement);
        return statement;
    }

    private void Execute(string sql)
    {
        using var command = Native.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>A SQLite error code as the exception Microsoft.Data.Sqlite would have thrown (so retries and messages are the same).</summary>
    private void Check(int result)
    {
        if (result is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW))
            throw new SqliteException(raw.sqlite3_errmsg(Native.Handle).utf8_to_string(), result, raw.sqlite3_extended_errcode(Native.Handle));
    }

    public override async ValueTask DisposeAsync()
    {
        // First whatever is still being written, and the end of the transaction.
        await base.DisposeAsync();
        foreach (var statement in _statements) statement.Dispose();
        // The connection goes back to the pool: back to the page cache every connection has.
        if (_largeCache) Execute("PRAGMA cache_size = -32768");
    }
}

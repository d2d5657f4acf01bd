using System.Data.Common;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
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

    /// <summary>
    /// SQLite takes rows one by one with no round trip to save, so batches only need to be large enough to overlap writing
    /// with generating. Small batches die young: on the 1M-member load, 10,000 rather than 100,000 rows spent a third less
    /// time in the garbage collector and saved about 7 s of 60.
    /// </summary>
    protected override int BufferedRows => 10_000;

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
        // The raw handle, held by the statement object for as long as this writer lives: each call through SQLitePCL's
        // safe handle would add and release a reference (about 5 % of the 1M-member load's CPU).
        var handle = statement.DangerousGetHandle();
        Span<byte> text = stackalloc byte[512];
        foreach (var row in rows)
        {
            for (var c = 0; c < row.Length; c++) Check(Bind(handle, c + 1, row[c], text));
            var stepped = Sqlite3.Step(handle);
            Sqlite3.Reset(handle);
            if (stepped != raw.SQLITE_DONE) Check(stepped);
        }
        return Task.CompletedTask;
    }

    private static int Bind(IntPtr statement, int index, object? value, Span<byte> buffer) => value switch
    {
        null or DBNull => Sqlite3.BindNull(statement, index),
        long l => Sqlite3.BindInt64(statement, index, l),
        int i => Sqlite3.BindInt64(statement, index, i),
        short s => Sqlite3.BindInt64(statement, index, s),
        bool b => Sqlite3.BindInt64(statement, index, b ? 1 : 0),
        double d => Sqlite3.BindDouble(statement, index, d),
        string text => BindText(statement, index, text, buffer),
        // Calendar dates as Microsoft.Data.Sqlite writes them: 'yyyy-MM-dd' text.
        DateOnly day => BindText(statement, index, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), buffer),
        _ => throw new ArgumentException($"A bulk row cannot hold a {value.GetType().Name}; pass plain values (times as unix milliseconds)."),
    };

    /// <summary>UTF-8 in a reused buffer (SQLite copies it: SQLITE_TRANSIENT), or a new array for the rare long text.</summary>
    private static int BindText(IntPtr statement, int index, string text, Span<byte> buffer)
    {
        var bytes = Encoding.UTF8.GetMaxByteCount(text.Length) <= buffer.Length ? buffer : new byte[Encoding.UTF8.GetByteCount(text)];
        var length = Encoding.UTF8.GetBytes(text, bytes);
        return Sqlite3.BindText(statement, index, ref MemoryMarshal.GetReference(bytes), length, Sqlite3.Transient);
    }

    /// <summary>
    /// The few calls of the load's inner loop, straight into the e_sqlite3 library SQLitePCLRaw loads (the same name, so the
    /// same library and the same connection). The binds return at once and need no GC transition; a step may write pages.
    /// </summary>
    private static class Sqlite3
    {
        private const string Library = "e_sqlite3";

        public static readonly IntPtr Transient = -1;

        [DllImport(Library, EntryPoint = "sqlite3_bind_int64"), SuppressGCTransition]
        public static extern int BindInt64(IntPtr statement, int index, long value);

        [DllImport(Library, EntryPoint = "sqlite3_bind_double"), SuppressGCTransition]
        public static extern int BindDouble(IntPtr statement, int index, double value);

        [DllImport(Library, EntryPoint = "sqlite3_bind_null"), SuppressGCTransition]
        public static extern int BindNull(IntPtr statement, int index);

        [DllImport(Library, EntryPoint = "sqlite3_bind_text"), SuppressGCTransition]
        public static extern int BindText(IntPtr statement, int index, ref byte text, int length, IntPtr destructor);

        [DllImport(Library, EntryPoint = "sqlite3_step")]
        public static extern int Step(IntPtr statement);

        [DllImport(Library, EntryPoint = "sqlite3_reset"), SuppressGCTransition]
        public static extern int Reset(IntPtr statement);
    }

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

using System.Data.Common;
using System.Globalization;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Omo.Clienteling.Data.Postgres;

/// <summary>
/// PostgreSQL's fast path: each table's buffered rows go in with one binary <c>COPY … FROM STDIN</c>. Binary COPY
/// needs every value in its column's exact type, so the column types are read once per table and values converted
/// (an <c>int</c> into a <c>bigint</c> column, a <c>0/1</c> into a <c>boolean</c>).
/// </summary>
internal sealed class PostgresBulkWriter(PostgresDialect dialect, DbConnection connection) : BulkWriter(connection)
{
    /// <summary>Each batch is one COPY per table: on the 1M-member load, 250,000 rows took 2 s less than 100,000, and 30,000 4 s more.</summary>
    protected override int BufferedRows => 250_000;

    public override SqlDialect Dialect => dialect;

    protected override async Task WriteAsync(Table table, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        if (table.State is null && Loading) await EmptyForLoadAsync(table.Name);
        var types = (NpgsqlDbType[])(table.State ??= await dialect.CopyTypesAsync(Connection, Transaction, table.Name, table.Columns));
        var npgsql = (NpgsqlConnection)Connection;
        await using var import = await npgsql.BeginBinaryImportAsync(
            $"COPY {table.Name} ({string.Join(", ", table.Columns)}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            await import.StartRowAsync(cancellationToken);
            for (var c = 0; c < row.Length; c++)
            {
                if (row[c] is null) await import.WriteNullAsync(cancellationToken);
                else await WriteAsync(import, row[c]!, types[c], cancellationToken);
            }
        }
        await import.CompleteAsync(cancellationToken);
    }

    /// <summary>The tables that were empty when the load began, before its transaction took any lock.</summary>
    private HashSet<string> _emptyAtStart = [];

    protected override async Task BeforeLoadAsync()
    {
        var tables = await dialect.TablesAsync(Connection);
        _emptyAtStart = (await Connection.QueryAsync<string>(string.Join(" UNION ALL ",
            tables.Select(t => $"SELECT '{t}' WHERE NOT EXISTS (SELECT 1 FROM {t})")))).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// A load's first rows for a table: the table is empty (a load never goes over data) and is truncated in the load's
    /// transaction. That is free, and it lets a server with <c>wal_level = minimal</c> skip writing the loaded rows to
    /// its write-ahead log (PostgreSQL's manual, "Populating a Database"): a failed load leaves the table as it was.
    /// Emptiness is checked before the load's transaction: a read inside it, before the truncation, cost the 1M-member
    /// load a third more time.
    /// </summary>
    private async Task EmptyForLoadAsync(string table)
    {
        if (!_emptyAtStart.Contains(table)) throw new InvalidOperationException($"A load goes into an empty database, and {table} has rows.");
        await Connection.ExecuteAsync($"TRUNCATE {table}", transaction: Transaction);
    }

    private static Task WriteAsync(NpgsqlBinaryImporter import, object value, NpgsqlDbType type, CancellationToken cancellationToken) => type switch
    {
        NpgsqlDbType.Bigint => import.WriteAsync(Convert.ToInt64(value, CultureInfo.InvariantCulture), type, cancellationToken),
        NpgsqlDbType.Integer => import.WriteAsync(Convert.ToInt32(value, CultureInfo.InvariantCulture), type, cancellationToken),
        NpgsqlDbType.Smallint => import.WriteAsync(Convert.ToInt16(value, CultureInfo.InvariantCulture), type, cancellationToken),
        NpgsqlDbType.Boolean => import.WriteAsync(Convert.ToBoolean(value, CultureInfo.InvariantCulture), type, cancellationToken),
        NpgsqlDbType.Double => import.WriteAsync(Convert.ToDouble(value, CultureInfo.InvariantCulture), type, cancellationToken),
        NpgsqlDbType.Date => import.WriteAsync(value is DateOnly d ? d : DateOnly.Parse((string)value, CultureInfo.InvariantCulture), type, cancellationToken),
        _ => import.WriteAsync(Convert.ToString(value, CultureInfo.InvariantCulture)!, NpgsqlDbType.Text, cancellationToken),
    };
}

using System.Data.Common;
using System.Globalization;
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
    public override SqlDialect Dialect => dialect;

    protected override async Task WriteAsync(Table table, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
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

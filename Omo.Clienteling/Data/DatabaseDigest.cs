using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;

namespace Omo.Clienteling.Data;

/// <summary>
/// A SHA-256 over the contents of every table: equal digests mean equal data. Rows are compared as text, sorted in
/// memory by ordinal comparison and with booleans written as 0/1, so the digest does not depend on insertion order,
/// on the database's collation or on the provider: the same dataset has the same digest on SQLite and PostgreSQL.
/// Used to prove the demo generator is deterministic and that a demo reset restores the generated state, and (over one
/// member's rows) that a split gives a merged member back exactly what it had.
/// </summary>
public static class DatabaseDigest
{
    /// <summary>Tables whose rows record the app's own running (not the dataset) are left out.</summary>
    private static readonly HashSet<string> Excluded =
        ["schema_version", "audit_log", "ingested_events", "demo_state", "data_versions", "data_protection_keys", "staff_sessions", "sign_in_throttle"];

    /// <summary>
    /// Salted PIN hashes and sign-in state differ on every generation by design; generated ids number rows in the
    /// order they were written (a PostgreSQL sequence keeps counting after a reset, SQLite starts again), which is
    /// history, not data.
    /// </summary>
    private static readonly HashSet<string> ExcludedColumns =
    [
        "staff.pin_hash", "staff.failed_pin_attempts", "staff.locked_until",
        "check_ins.check_in_id", "staff_notes.note_id", "talking_point_feedback.feedback_id", "merge_journal.merge_id", "merge_journal.moved",
    ];

    /// <summary>The whole dataset's digest, or only the rows that belong to <paramref name="memberId"/> (when it was last changed aside).</summary>
    public static async Task<string> ComputeAsync(SqlDialect dialect, DbConnection connection, long? memberId = null)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var table in (await dialect.TablesAsync(connection)).Where(t => !Excluded.Contains(t)))
        {
            var columns = (await dialect.ColumnsAsync(connection, table)).Where(c => !ExcludedColumns.Contains($"{table}.{c}")).ToList();
            // A member's own data: not the record of what was done with it (merges, messages about it).
            if (memberId is not null && (!columns.Contains("member_id") || table is "merge_journal" or "webhook_messages")) continue;
            if (memberId is not null && table == "members") columns.Remove("updated_at");
            sha.AppendData(Encoding.UTF8.GetBytes($"#{table}\n"));
            var rows = new List<string>();
            await using (var reader = await connection.ExecuteReaderAsync(
                $"SELECT {string.Join(", ", columns)} FROM {table}{(memberId is null ? "" : " WHERE member_id = @memberId")}", new { memberId }))
            {
                var row = new StringBuilder();
                while (await reader.ReadAsync())
                {
                    row.Clear();
                    for (var i = 0; i < reader.FieldCount; i++) row.Append(Text(reader.IsDBNull(i) ? null : reader.GetValue(i))).Append('\u241F');
                    rows.Add(row.ToString());
                }
            }
            rows.Sort(StringComparer.Ordinal);
            foreach (var row in rows) sha.AppendData(Encoding.UTF8.GetBytes(row + "\n"));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static string Text(object? value) => value switch
    {
        null => "\u2400",
        bool b => b ? "1" : "0",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}

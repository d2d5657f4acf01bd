using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Omo.Clienteling.Data;

/// <summary>
/// A SHA-256 over the contents of every table, row by row in primary-key order: equal digests mean equal data.
/// Used to prove the demo generator is deterministic and that a demo reset restores the generated state.
/// </summary>
public static class DatabaseDigest
{
    /// <summary>Tables whose rows record the app's own running (not the dataset) are left out.</summary>
    private static readonly HashSet<string> Excluded = ["schema_version", "audit_log", "ingested_events", "demo_state"];

    /// <summary>Salted PIN hashes and sign-in state differ on every generation by design.</summary>
    private static readonly HashSet<string> ExcludedColumns = ["staff.pin_hash", "staff.failed_pin_attempts", "staff.locked_until"];

    public static string Compute(SqliteConnection connection)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var tables = connection.Query<string>(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").Where(t => !Excluded.Contains(t));
        foreach (var table in tables)
        {
            sha.AppendData(Encoding.UTF8.GetBytes($"#{table}\n"));
            using var command = connection.CreateCommand();
            // Ordering by every column makes the order independent of insertion order and rowids.
            var columns = connection.Query<string>($"SELECT name FROM pragma_table_info('{table}') ORDER BY cid")
                .Where(c => !ExcludedColumns.Contains($"{table}.{c}")).ToList();
            var list = string.Join(", ", columns.Select(c => $"\"{c}\""));
            command.CommandText = $"SELECT {list} FROM \"{table}\" ORDER BY {list}";
            using var reader = command.ExecuteReader();
            var row = new StringBuilder();
            while (reader.Read())
            {
                row.Clear();
                for (var i = 0; i < reader.FieldCount; i++)
                    row.Append(reader.IsDBNull(i) ? "\u2400" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('\u241F');
                row.Append('\n');
                sha.AppendData(Encoding.UTF8.GetBytes(row.ToString()));
            }
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}

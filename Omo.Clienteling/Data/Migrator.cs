using System.Reflection;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Omo.Clienteling.Data;

/// <summary>
/// Applies the numbered scripts in Data/Migrations (embedded in the assembly) in order, each in its own
/// transaction, and records them in schema_version, so applying twice changes nothing.
/// </summary>
public sealed class Migrator(OmoDatabase database, ILogger<Migrator> logger)
{
    public sealed record Migration(int Version, string Name, string Sql);

    public static IReadOnlyList<Migration> All { get; } = Load();

    public IReadOnlyList<int> Apply()
    {
        database.EnsureFolder();
        using var connection = database.Open();
        connection.Execute("PRAGMA journal_mode = WAL;");
        connection.Execute("""
            CREATE TABLE IF NOT EXISTS schema_version (
                version    INTEGER PRIMARY KEY,
                name       TEXT NOT NULL,
                applied_at INTEGER NOT NULL
            )
            """);
        var applied = connection.Query<int>("SELECT version FROM schema_version").ToHashSet();
        var newlyApplied = new List<int>();
        foreach (var migration in All.Where(m => !applied.Contains(m.Version)))
        {
            using var transaction = connection.BeginTransaction();
            connection.Execute(migration.Sql, transaction: transaction);
            connection.Execute(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (@Version, @Name, @At)",
                new { migration.Version, migration.Name, At = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
                transaction);
            transaction.Commit();
            newlyApplied.Add(migration.Version);
            logger.LogInformation("Applied migration {Version} {Name}", migration.Version, migration.Name);
        }
        return newlyApplied;
    }

    private static List<Migration> Load()
    {
        var assembly = typeof(Migrator).Assembly;
        const string prefix = "Omo.Clienteling.Data.Migrations.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var name = n[prefix.Length..^4];
                var version = int.Parse(name[..name.IndexOf('_')]);
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return new Migration(version, name, reader.ReadToEnd());
            })
            .OrderBy(m => m.Version)
            .ToList();
    }
}

using Dapper;

namespace Omo.Clienteling.Data;

/// <summary>
/// Applies the provider's numbered scripts (Data/Sqlite/Migrations or Data/Postgres/Migrations, embedded in the
/// assembly) in order, each in its own transaction, and records them in <c>schema_version</c> the same way on both
/// providers, so applying twice changes nothing. Both folders carry the same versions: one change, two dialects.
/// </summary>
public sealed class Migrator(OmoDatabase database, ILogger<Migrator> logger)
{
    public sealed record Migration(int Version, string Name, string Sql);

    private static readonly Dictionary<string, IReadOnlyList<Migration>> Loaded = [];

    /// <summary>This provider's migrations, in order.</summary>
    public IReadOnlyList<Migration> All => For(database.Dialect);

    public static IReadOnlyList<Migration> For(SqlDialect dialect)
    {
        lock (Loaded)
        {
            if (!Loaded.TryGetValue(dialect.MigrationsResourcePrefix, out var migrations))
                Loaded[dialect.MigrationsResourcePrefix] = migrations = Load(dialect.MigrationsResourcePrefix);
            return migrations;
        }
    }

    public async Task<IReadOnlyList<int>> ApplyAsync(CancellationToken cancellationToken = default)
    {
        await database.Dialect.PrepareAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        // Only created when missing: a database that refuses writes (a full disk, a standby) still lets a server start and
        // show profiles when it is up to date.
        if (!(await database.Dialect.TablesAsync(connection)).Contains("schema_version"))
            await connection.ExecuteAsync("""
            CREATE TABLE IF NOT EXISTS schema_version (
                version    INTEGER PRIMARY KEY,
                name       TEXT NOT NULL,
                applied_at BIGINT NOT NULL
            )
            """);
        var applied = (await connection.QueryAsync<int>("SELECT version FROM schema_version")).ToHashSet();
        var newlyApplied = new List<int>();
        foreach (var migration in All.Where(m => !applied.Contains(m.Version)))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, commandTimeout: 600, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (@Version, @Name, @At)",
                new { migration.Version, migration.Name, At = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, transaction);
            await transaction.CommitAsync(cancellationToken);
            newlyApplied.Add(migration.Version);
            logger.LogInformation("Applied migration {Version} {Name} ({Provider})", migration.Version, migration.Name, database.Provider);
        }
        return newlyApplied;
    }

    /// <summary>The newest version this build knows: a database behind it is not ready.</summary>
    public int LatestVersion => All[^1].Version;

    private static List<Migration> Load(string prefix)
    {
        var assembly = typeof(Migrator).Assembly;
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

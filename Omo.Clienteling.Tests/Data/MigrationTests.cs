using Dapper;
using Omo.Clienteling.Data;
using Omo.Clienteling.Data.Postgres;
using Omo.Clienteling.Data.Sqlite;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.Data;

public abstract class MigrationTests(DatabaseProvider provider)
{
    [Fact]
    public async Task Applies_every_script_to_an_empty_database_and_records_it()
    {
        await using var db = await TestDatabase.CreateAsync(provider, migrate: false);

        var applied = await db.Migrator.ApplyAsync();

        Assert.Equal(db.Migrator.All.Select(m => m.Version), applied);
        await using var connection = await db.OpenAsync();
        if (provider == DatabaseProvider.Sqlite) Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        var tables = (await db.Dialect.TablesAsync(connection)).ToHashSet();
        Assert.Superset(new HashSet<string> { "members", "member_identifiers", "member_merges", "product_views", "cart_lines", "orders", "receipts", "check_ins", "audit_log" }, tables);
        Assert.Equal(db.Migrator.All.Count, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM schema_version"));
    }

    [Fact]
    public async Task Applying_again_to_a_migrated_database_changes_nothing()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var connection = await db.OpenAsync();
        var versionsBefore = (await connection.QueryAsync<(long, long)>("SELECT version, applied_at FROM schema_version ORDER BY version")).ToList();
        var digestBefore = await db.DigestAsync();

        var applied = await db.Migrator.ApplyAsync();

        Assert.Empty(applied);
        Assert.Equal(versionsBefore, await connection.QueryAsync<(long, long)>("SELECT version, applied_at FROM schema_version ORDER BY version"));
        Assert.Equal(digestBefore, await db.DigestAsync());
    }

    [Fact]
    public async Task Times_round_trip_as_unix_milliseconds_and_member_numbers_as_64_bit()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var connection = await db.OpenAsync();
        var at = new DateTimeOffset(2026, 11, 22, 10, 15, 0, TimeSpan.FromHours(9));
        const long tenDigits = 9_999_999_999;
        await connection.ExecuteAsync("INSERT INTO page_views (member_id, occurred_at, page, channel) VALUES (@tenDigits, @at, 'size_guide', 'ec')", new { at, tenDigits });

        Assert.Equal(at.ToUnixTimeMilliseconds(), await connection.ExecuteScalarAsync<long>("SELECT occurred_at FROM page_views"));
        Assert.Equal(at, await connection.ExecuteScalarAsync<DateTimeOffset>("SELECT occurred_at FROM page_views"));
        Assert.Equal(tenDigits, await connection.ExecuteScalarAsync<long>("SELECT member_id FROM page_views"));
    }

    public sealed class OnSqlite() : MigrationTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : MigrationTests(DatabaseProvider.Postgres);
}

public class MigrationSetTests
{
    [Fact]
    public void Both_providers_have_the_same_migration_versions_with_the_same_names()
    {
        var sqlite = Migrator.For(new SqliteDialect("Data Source=:memory:")).Select(m => m.Name).ToList();
        var postgres = Migrator.For(new PostgresDialect("Host=127.0.0.1")).Select(m => m.Name).ToList();
        Assert.NotEmpty(sqlite);
        Assert.Equal(sqlite, postgres);
    }
}

using Dapper;
using Omo.Clienteling.Data;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.Data;

public class MigrationTests
{
    [Fact]
    public void Applies_every_script_to_an_empty_database_in_wal_mode()
    {
        using var db = new TestDatabase(migrate: false);

        var applied = db.Migrator.Apply();

        Assert.Equal(Migrator.All.Select(m => m.Version), applied);
        using var connection = db.Open();
        Assert.Equal("wal", connection.ExecuteScalar<string>("PRAGMA journal_mode"));
        var tables = connection.Query<string>("SELECT name FROM sqlite_master WHERE type = 'table'").ToHashSet();
        Assert.Superset(new HashSet<string> { "members", "member_identifiers", "member_merges", "product_views", "cart_lines", "orders", "receipts", "check_ins", "audit_log" }, tables);
        Assert.Equal(Migrator.All.Count, connection.ExecuteScalar<int>("SELECT COUNT(*) FROM schema_version"));
    }

    [Fact]
    public void Applying_again_to_a_migrated_database_changes_nothing()
    {
        using var db = new TestDatabase();
        using var connection = db.Open();
        var schemaBefore = connection.Query<string>("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name").ToList();
        var versionsBefore = connection.Query<(long, long)>("SELECT version, applied_at FROM schema_version ORDER BY version").ToList();

        var applied = db.Migrator.Apply();

        Assert.Empty(applied);
        Assert.Equal(schemaBefore, connection.Query<string>("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name").ToList());
        Assert.Equal(versionsBefore, connection.Query<(long, long)>("SELECT version, applied_at FROM schema_version ORDER BY version").ToList());
    }

    [Fact]
    public void Times_round_trip_as_unix_milliseconds()
    {
        using var db = new TestDatabase();
        using var connection = db.Open();
        var at = new DateTimeOffset(2026, 11, 22, 10, 15, 0, TimeSpan.FromHours(9));
        connection.Execute("INSERT INTO page_views (member_id, occurred_at, page, channel) VALUES (1, @at, 'size_guide', 'ec')", new { at });

        Assert.Equal(at.ToUnixTimeMilliseconds(), connection.ExecuteScalar<long>("SELECT occurred_at FROM page_views"));
        Assert.Equal(at, connection.ExecuteScalar<DateTimeOffset>("SELECT occurred_at FROM page_views"));
    }
}

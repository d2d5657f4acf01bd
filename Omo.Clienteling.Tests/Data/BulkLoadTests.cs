using Dapper;
using Omo.Clienteling.Data;
using Omo.Clienteling.Demo;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.Data;

/// <summary>The load that fills an empty database (demo start, the benchmark): fast, and never over existing data.</summary>
public abstract class BulkLoadTests(DatabaseProvider provider)
{
    [Fact]
    public async Task A_load_fills_an_empty_database_and_leaves_its_connections_as_they_were()
    {
        await using var db = await TestDatabase.CreateAsync(provider);

        var result = await DemoDataService.LoadAsync(db.Database, new DemoDataGenerator(7, TestDatabase.Today, 120));

        await using var connection = await db.OpenAsync();
        Assert.Equal(120, result.Members);
        Assert.True(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM members") >= 120);
        Assert.True(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM product_views") > 0);
        if (provider == DatabaseProvider.Sqlite)
        {
            // The load's relaxed settings went back to every connection's own.
            Assert.Equal(1, await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));
            Assert.Equal(2, await connection.ExecuteScalarAsync<long>("PRAGMA synchronous")); // FULL
            Assert.Equal(16384, await connection.ExecuteScalarAsync<long>("PRAGMA wal_autocheckpoint"));
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>("PRAGMA threads"));
        }
    }

    [Fact]
    public async Task Every_kind_of_value_goes_in_as_written_short_and_long_text_dates_nulls_and_numbers()
    {
        await using var db = await (await TestDatabase.CreateAsync(provider)).WithDemoDataAsync(members: 20);
        // Longer than the writer's reused text buffer once in UTF-8 (three bytes a character).
        var note = string.Concat(Enumerable.Repeat("丈を気にしていた。", 80));
        await using (var connection = await db.OpenAsync())
        await using (var writer = db.Database.Dialect.BulkWriter(connection))
        {
            await writer.BeginAsync();
            writer.Add("staff_notes", "member_id, staff_code, store_id, body, created_at", 1L, "A001", null, note, 1_795_000_000_000L);
            writer.Add("staff_notes", "member_id, staff_code, store_id, body, created_at", 2, "A001", "S01", "Mサイズ", 1_795_000_000_001L);
            writer.Add("members", "member_id, points, points_expire_on, consent_marketing, tier, created_at, updated_at",
                9_500_000_001L, (short)120, new DateOnly(2027, 3, 31), true, "gold", 1_795_000_000_000L, 1_795_000_000_000L);
            await writer.CompleteAsync();
        }

        await using var c = await db.OpenAsync();
        Assert.Equal((note, (string?)null), await c.QuerySingleAsync<(string, string?)>("SELECT body, store_id FROM staff_notes WHERE member_id = 1 AND created_at = 1795000000000"));
        Assert.Equal("Mサイズ", await c.ExecuteScalarAsync<string>("SELECT body FROM staff_notes WHERE member_id = 2 AND created_at = 1795000000001"));
        var member = await c.QuerySingleAsync<(int Points, DateOnly Expires, bool Marketing)>(
            "SELECT points, points_expire_on, consent_marketing FROM members WHERE member_id = 9500000001");
        Assert.Equal((120, new DateOnly(2027, 3, 31), true), member);
    }

    [Fact]
    public async Task A_load_over_existing_data_is_refused_and_changes_nothing()
    {
        await using var db = await (await TestDatabase.CreateAsync(provider)).WithDemoDataAsync(members: 50);
        var before = await db.DigestAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => DemoDataService.LoadAsync(db.Database, new DemoDataGenerator(8, TestDatabase.Today, 50)));

        Assert.Equal(before, await db.DigestAsync());
    }

    public sealed class OnSqlite() : BulkLoadTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : BulkLoadTests(DatabaseProvider.Postgres);
}

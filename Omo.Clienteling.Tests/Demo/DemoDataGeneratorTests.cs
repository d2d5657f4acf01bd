using Dapper;
using Omo.Clienteling.Data;
using Omo.Clienteling.Demo;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.Demo;

public abstract class DemoDataGeneratorTests(DemoDatabaseFixture demo)
{
    private static readonly long Day = TimeSpan.FromDays(1).Ticks / TimeSpan.TicksPerMillisecond;
    private static readonly long NowMs = TestDatabase.Now.ToUnixTimeMilliseconds();

    [Fact]
    public async Task The_same_seed_on_the_same_day_gives_the_same_data_on_either_provider_and_another_seed_does_not()
    {
        await using var again = await (await TestDatabase.CreateAsync(DatabaseProvider.Sqlite)).WithDemoDataAsync();
        await using var onPostgres = await (await TestDatabase.CreateAsync(DatabaseProvider.Postgres)).WithDemoDataAsync();
        await using var other = await (await TestDatabase.CreateAsync(demo.Db.Provider)).WithDemoDataAsync(seed: 7);

        var digest = await demo.Db.DigestAsync();
        Assert.Equal(digest, await again.DigestAsync());
        Assert.Equal(digest, await onPostgres.DigestAsync());
        Assert.NotEqual(digest, await other.DigestAsync());
    }

    [Fact]
    public async Task Has_the_five_tokyo_shops_the_web_shop_and_a_catalogue_with_stock()
    {
        await using var c = await demo.Db.OpenAsync();
        Assert.Equal(["EC", "S01", "S02", "S03", "S04", "S05"], await c.QueryAsync<string>("SELECT store_id FROM stores ORDER BY store_id"));
        Assert.Equal("渋谷店", await c.ExecuteScalarAsync<string>("SELECT name_ja FROM stores WHERE store_id = 'S01'"));
        Assert.Equal(300, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM products"));
        Assert.True(await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM stock WHERE quantity = 0") > 0, "some sizes are sold out");
        Assert.True(await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM stock WHERE quantity > 0") > 1000);
        Assert.Equal(6, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM staff"));
    }

    [Fact]
    public async Task Members_have_identifiers_history_and_a_share_without_online_consent()
    {
        await using var c = await demo.Db.OpenAsync();
        var survivors = await c.ExecuteScalarAsync<double>("SELECT COUNT(*) FROM members WHERE member_id NOT IN (SELECT merged_member_id FROM member_merges)");
        var withoutConsent = await c.ExecuteScalarAsync<double>("SELECT COUNT(*) FROM members WHERE consent_online_behaviour = FALSE AND member_id NOT IN (SELECT merged_member_id FROM member_merges)");
        Assert.Equal(300, survivors);
        Assert.InRange(withoutConsent / survivors, 0.1, 0.3);
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM members m WHERE NOT EXISTS (SELECT 1 FROM member_identifiers i WHERE i.member_id = m.member_id) AND m.member_id NOT IN (SELECT merged_member_id FROM member_merges)"));
        foreach (var table in new[] { "product_views", "page_views", "cart_lines", "orders", "receipts", "try_ons", "check_ins" })
            Assert.True(await c.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM {table}") > 0, table);
        Assert.True(await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM receipts WHERE kind = 'return'") > 0, "some purchases were returned");
        Assert.True(await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM member_identifiers WHERE status = 'revoked'") > 0, "some cards were reported lost");
    }

    [Fact]
    public async Task The_ten_personas_have_their_member_numbers_and_point_cards()
    {
        await using var c = await demo.Db.OpenAsync();
        Assert.Equal("2900000000018", DemoPersonas.All[0].PointCard);
        Assert.Equal("2900000000025", DemoPersonas.All[1].PointCard);
        foreach (var persona in DemoPersonas.All)
        {
            Assert.Equal(persona.FamilyName, await c.ExecuteScalarAsync<string>("SELECT family_name FROM members WHERE member_id = @MemberId", persona));
            var hasCard = await c.ExecuteScalarAsync<long?>("SELECT member_id FROM member_identifiers WHERE kind = 'point_card' AND value = @PointCard", persona);
            var hasApp = await c.ExecuteScalarAsync<long?>("SELECT member_id FROM member_identifiers WHERE kind = 'app_member' AND value = @MemberNo", persona);
            Assert.True(hasCard == persona.MemberId || hasApp == persona.MemberId, $"persona {persona.Number} can be scanned");
        }
    }

    [Fact]
    public async Task Persona_1_viewed_the_dress_three_times_checked_in_at_shibuya_tried_it_on_and_did_not_buy_it()
    {
        await using var c = await demo.Db.OpenAsync();
        var views = (await c.QueryAsync<(string Sku, string Channel)>("SELECT sku, channel FROM product_views WHERE member_id = 1")).ToList();
        var dress = Assert.Single(views.Select(v => v.Sku).Distinct());
        Assert.StartsWith("DR-", dress);
        Assert.Equal(2, views.Count(v => v.Channel == "ec"));
        Assert.Equal(3, views.Count);
        Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM page_views WHERE member_id = 1 AND page LIKE 'campaign%'"));
        var checkIn = await c.QuerySingleAsync<(string Store, long At)>("SELECT store_id, occurred_at FROM check_ins WHERE member_id = 1");
        Assert.Equal("S01", checkIn.Store);
        var tryOn = await c.QuerySingleAsync<(string Sku, long At)>("SELECT sku, occurred_at FROM try_ons WHERE member_id = 1");
        Assert.Equal(dress, tryOn.Sku);
        Assert.True(tryOn.At > checkIn.At);
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM receipts r JOIN receipt_lines l USING (receipt_id) WHERE r.member_id = 1 AND l.sku = @dress", new { dress }));
    }

    [Fact]
    public async Task Personas_2_to_8_and_10_carry_their_stories_in_their_rows()
    {
        await using var c = await demo.Db.OpenAsync();
        // 2: one item viewed at least five times in 14 days and still in the online cart.
        Assert.Equal(1, await c.ExecuteScalarAsync<int>("""
            SELECT COUNT(*) FROM cart_lines l WHERE l.member_id = 2
              AND (SELECT COUNT(*) FROM product_views v WHERE v.member_id = 2 AND v.sku = l.sku AND v.occurred_at >= @since) >= 5
            """, new { since = NowMs - 14 * Day }));
        // 3: the store-reservation page, no booking.
        Assert.True(await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM page_views WHERE member_id = 3 AND page = 'store_reservation' AND occurred_at >= @since", new { since = NowMs - 14 * Day }) >= 1);
        // 4: four or more purchases in 90 days.
        Assert.True(await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM receipts WHERE member_id = 4 AND kind = 'sale' AND occurred_at >= @since", new { since = NowMs - 90 * Day }) >= 4);
        // 5: a click-and-collect order ready at Shibuya.
        Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM orders WHERE member_id = 5 AND fulfilment = 'click_and_collect' AND status = 'ready_for_pickup' AND pickup_store_id = 'S01'"));
        // 6: points expiring within 30 days.
        Assert.InRange(DateOnly.Parse((await c.ExecuteScalarAsync<string>("SELECT CAST(points_expire_on AS TEXT) FROM members WHERE member_id = 6"))!), TestDatabase.Today, TestDatabase.Today.AddDays(30));
        // 7: birthday this month, marketing consent.
        Assert.Equal((11, true), await c.QuerySingleAsync<(int, bool)>("SELECT birth_month, consent_marketing FROM members WHERE member_id = 7"));
        // 8: no purchase in 120 days, but purchases before.
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM receipts WHERE member_id = 8 AND occurred_at >= @since", new { since = NowMs - 120 * Day }));
        Assert.True(await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM receipts WHERE member_id = 8") > 0);
        // 10: no consent to online behaviour, yet purchases.
        Assert.False(await c.ExecuteScalarAsync<bool>("SELECT consent_online_behaviour FROM members WHERE member_id = 10"));
        Assert.True(await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM receipts WHERE member_id = 10") > 0);
    }

    [Fact]
    public async Task Persona_9s_two_records_are_merged_and_both_identifiers_resolve_to_the_survivor()
    {
        await using var c = await demo.Db.OpenAsync();
        Assert.Equal(9, await c.ExecuteScalarAsync<long>("SELECT member_id FROM member_identifiers WHERE kind = 'point_card' AND value = '2900000000094'"));
        var webAccountOwner = await c.ExecuteScalarAsync<long>("SELECT member_id FROM member_identifiers WHERE kind = 'ec_account' AND value = 'EC-1000000009'");
        Assert.Equal(9, webAccountOwner);
        Assert.Equal(9, await c.ExecuteScalarAsync<long>("SELECT survivor_member_id FROM member_merges WHERE merged_member_id = 1000000009"));
        // The dress bought under the web-shop account is now in the survivor's history; the duplicate keeps no personal data.
        Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM orders WHERE member_id = 9"));
        Assert.Null(await c.ExecuteScalarAsync<string>("SELECT family_name FROM members WHERE member_id = 1000000009"));
    }

    public sealed class OnSqlite(DemoDatabaseFixture.OnSqlite demo) : DemoDataGeneratorTests(demo), IClassFixture<DemoDatabaseFixture.OnSqlite>;

    public sealed class OnPostgres(DemoDatabaseFixture.OnPostgres demo) : DemoDataGeneratorTests(demo), IClassFixture<DemoDatabaseFixture.OnPostgres>;
}

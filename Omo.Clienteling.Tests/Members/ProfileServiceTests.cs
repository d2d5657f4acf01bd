using Omo.Clienteling.Members;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.Members;

public abstract class ProfileServiceTests(DemoDatabaseFixture demo)
{
    private async Task<UnifiedProfile> Profile(long memberId, string store = "S01") => (await (await ProfileServices.ForAsync(demo.Db)).AssembleAsync(memberId, store))!;

    [Fact]
    public async Task Persona_1s_timeline_reads_as_one_journey_from_the_ad_to_the_fitting_room()
    {
        var p = await Profile(1);
        var journey = p.Timeline.Where(e => e.At >= TestDatabase.Now.AddDays(-7)).OrderBy(e => e.At).Select(e => (e.Kind, e.Channel)).ToList();
        Assert.Equal(
        [
            (TimelineKind.PageViewed, SalesChannel.App), (TimelineKind.ProductViewed, SalesChannel.App), (TimelineKind.ProductViewed, SalesChannel.Ec),
            (TimelineKind.ProductViewed, SalesChannel.Ec), (TimelineKind.CheckedIn, SalesChannel.Store), (TimelineKind.TriedOn, SalesChannel.Store),
            (TimelineKind.Note, SalesChannel.Store),
        ], journey);
        var dress = Assert.Single(p.Views);
        Assert.Equal(3, dress.Views);
        Assert.Equal(dress.Item.Product.Sku, Assert.Single(p.TryOns).Item.Product.Sku);
        Assert.True(dress.Item.Availability.InStockHere);
    }

    [Fact]
    public async Task A_member_without_consent_gets_purchases_but_no_browsing_cart_or_wishlist()
    {
        var p = await Profile(10);
        Assert.False(p.OnlineBehaviourShown);
        Assert.Empty(p.Views);
        Assert.Empty(p.PageViews);
        Assert.Empty(p.Cart);
        Assert.Empty(p.Wishlist);
        Assert.DoesNotContain(p.Timeline, e => e.Kind is TimelineKind.ProductViewed or TimelineKind.PageViewed or TimelineKind.CartAdded);
        Assert.NotEmpty(p.Purchases);
    }

    [Fact]
    public async Task An_item_sold_out_here_names_the_nearest_shop_that_has_it()
    {
        var jacket = Assert.Single((await Profile(3)).Views);
        Assert.False(jacket.Item.Availability.InStockHere);
        Assert.Equal("S03", jacket.Item.Availability.NearestStoreWithIt);
    }

    [Fact]
    public async Task Click_and_collect_orders_waiting_in_this_store_come_first()
    {
        var here = Assert.Single((await Profile(5, "S01")).Pickups);
        Assert.True(here.AtThisStore && here.Ready);
        Assert.False(Assert.Single((await Profile(5, "S02")).Pickups).AtThisStore);
    }

    [Fact]
    public async Task Purchases_span_the_web_shop_and_the_stores_after_a_merge()
    {
        var p = await Profile(9);
        Assert.Contains(p.Purchases, x => x.Channel == SalesChannel.Ec && x.Lines.Any(l => l.Product.Category == "dress"));
        Assert.Contains(p.Purchases, x => x.Channel == SalesChannel.Store);
        Assert.Contains(p.Identifiers, i => i.Kind == "ec_account");
        Assert.Contains(p.Identifiers, i => i.Kind == "point_card");
    }

    [Fact]
    public async Task Contact_details_are_masked()
    {
        var p = await Profile(1);
        Assert.Equal("m***@example.jp", p.Member.EmailMasked);
        Assert.StartsWith("***-****-", p.Member.PhoneMasked);
        Assert.DoesNotContain(p.Identifiers, i => i.DisplayValue.Contains("misaki.sato"));
    }

    [Fact]
    public async Task An_unknown_or_erased_member_has_no_profile()
    {
        Assert.Null(await (await ProfileServices.ForAsync(demo.Db)).AssembleAsync(999_999_999, "S01"));
    }

    public sealed class OnSqlite(DemoDatabaseFixture.OnSqlite demo) : ProfileServiceTests(demo), IClassFixture<DemoDatabaseFixture.OnSqlite>;

    public sealed class OnPostgres(DemoDatabaseFixture.OnPostgres demo) : ProfileServiceTests(demo), IClassFixture<DemoDatabaseFixture.OnPostgres>;
}

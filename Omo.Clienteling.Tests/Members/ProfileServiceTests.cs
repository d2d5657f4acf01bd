using Omo.Clienteling.Members;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.Members;

public class ProfileServiceTests(DemoDatabaseFixture demo) : IClassFixture<DemoDatabaseFixture>
{
    private UnifiedProfile Profile(long memberId, string store = "S01") => ProfileServices.For(demo.Db).Assemble(memberId, store)!;

    [Fact]
    public void Persona_1s_timeline_reads_as_one_journey_from_the_ad_to_the_fitting_room()
    {
        var p = Profile(1);
        var journey = p.Timeline.Where(e => e.At >= TestDatabase.Now.AddDays(-7)).OrderBy(e => e.At).Select(e => (e.Kind, e.Channel)).ToList();
        Assert.Equal(
        [
            (TimelineKind.PageViewed, "app"), (TimelineKind.ProductViewed, "app"), (TimelineKind.ProductViewed, "ec"), (TimelineKind.ProductViewed, "ec"),
            (TimelineKind.CheckedIn, "store"), (TimelineKind.TriedOn, "store"), (TimelineKind.Note, "store"),
        ], journey);
        var dress = Assert.Single(p.Views);
        Assert.Equal(3, dress.Views);
        Assert.Equal(dress.Item.Product.Sku, Assert.Single(p.TryOns).Item.Product.Sku);
        Assert.True(dress.Item.Availability.InStockHere);
    }

    [Fact]
    public void A_member_without_consent_gets_purchases_but_no_browsing_cart_or_wishlist()
    {
        var p = Profile(10);
        Assert.False(p.OnlineBehaviourShown);
        Assert.Empty(p.Views);
        Assert.Empty(p.PageViews);
        Assert.Empty(p.Cart);
        Assert.Empty(p.Wishlist);
        Assert.DoesNotContain(p.Timeline, e => e.Kind is TimelineKind.ProductViewed or TimelineKind.PageViewed or TimelineKind.CartAdded);
        Assert.NotEmpty(p.Purchases);
    }

    [Fact]
    public void An_item_sold_out_here_names_the_nearest_shop_that_has_it()
    {
        var jacket = Assert.Single(Profile(3).Views);
        Assert.False(jacket.Item.Availability.InStockHere);
        Assert.Equal("S03", jacket.Item.Availability.NearestStoreWithIt);
    }

    [Fact]
    public void Click_and_collect_orders_waiting_in_this_store_come_first()
    {
        var here = Assert.Single(Profile(5, "S01").Pickups);
        Assert.True(here.AtThisStore && here.Ready);
        Assert.False(Assert.Single(Profile(5, "S02").Pickups).AtThisStore);
    }

    [Fact]
    public void Purchases_span_the_web_shop_and_the_stores_after_a_merge()
    {
        var p = Profile(9);
        Assert.Contains(p.Purchases, x => x.Channel == "ec" && x.Lines.Any(l => l.Product.Category == "dress"));
        Assert.Contains(p.Purchases, x => x.Channel == "store");
        Assert.Contains(p.Identifiers, i => i.Kind == "ec_account");
        Assert.Contains(p.Identifiers, i => i.Kind == "point_card");
    }

    [Fact]
    public void Contact_details_are_masked()
    {
        var p = Profile(1);
        Assert.Equal("m***@example.jp", p.Member.EmailMasked);
        Assert.StartsWith("***-****-", p.Member.PhoneMasked);
        Assert.DoesNotContain(p.Identifiers, i => i.DisplayValue.Contains("misaki.sato"));
    }

    [Fact]
    public void An_unknown_or_erased_member_has_no_profile()
    {
        Assert.Null(ProfileServices.For(demo.Db).Assemble(999_999_999, "S01"));
    }
}

using Omo.Clienteling.TalkingPoints;

namespace Omo.Clienteling.Tests.TalkingPoints;

/// <summary>Each rule fires on its evidence and not just below its threshold; the clock is fixed at <see cref="ProfileBuilder.Now"/>.</summary>
public class TalkingPointEngineTests
{
    private static IEnumerable<string> Fired(IReadOnlyList<TalkingPoint> points) => points.Select(p => p.RuleId);

    [Fact]
    public void Pickup_waiting_fires_for_a_ready_order_at_this_store_and_suggests_what_goes_with_it()
    {
        var points = new ProfileBuilder().PickupReady("DR-0001-M-NAVY", 1).Stocked("CD-0002-M-GRAY").Suggest();
        var pickup = Assert.Single(points, p => p.RuleId == Rules.PickupWaiting);
        Assert.Equal(pickup, points[0]);
        Assert.Contains(pickup.Products, i => i.Product.Sku == "CD-0002-M-GRAY");
        Assert.Contains(pickup.Evidence, e => e.Key == "Ev.PickupReady");

        Assert.DoesNotContain(Rules.PickupWaiting, Fired(new ProfileBuilder().PickupReady("DR-0001-M-NAVY", 1, atThisStore: false).Suggest()));
    }

    [Fact]
    public void High_intent_cart_needs_five_views_in_fourteen_days_of_an_item_in_the_cart()
    {
        var five = new ProfileBuilder().Viewed("CT-0002-M-BLACK", 1, 3, 6, 9, 13).InCart("CT-0002-M-BLACK", 9).Suggest();
        var point = Assert.Single(five, p => p.RuleId == Rules.HighIntentCart);
        Assert.Equal(5, point.Evidence[0].Args[0]);

        var fourRecent = new ProfileBuilder().Viewed("CT-0002-M-BLACK", 1, 3, 6, 9, 15).InCart("CT-0002-M-BLACK", 9).Suggest();
        Assert.DoesNotContain(Rules.HighIntentCart, Fired(fourRecent));
        var notInCart = new ProfileBuilder().Viewed("CT-0002-M-BLACK", 1, 3, 6, 9, 13).Suggest();
        Assert.DoesNotContain(Rules.HighIntentCart, Fired(notInCart));
    }

    [Fact]
    public void The_high_intent_threshold_comes_from_the_options()
    {
        var profile = new ProfileBuilder().Viewed("CT-0002-M-BLACK", 1, 3, 6).InCart("CT-0002-M-BLACK", 2);
        Assert.DoesNotContain(Rules.HighIntentCart, Fired(profile.Suggest()));
        Assert.Contains(Rules.HighIntentCart, Fired(profile.Suggest(new TalkingPointOptions { HighIntentViews = 3 })));
    }

    [Fact]
    public void Tried_not_bought_fires_within_thirty_days_unless_bought_since()
    {
        Assert.Contains(Rules.TriedNotBought, Fired(new ProfileBuilder().TriedOn("DR-0001-M-NAVY", 30).Suggest()));
        Assert.DoesNotContain(Rules.TriedNotBought, Fired(new ProfileBuilder().TriedOn("DR-0001-M-NAVY", 31).Suggest()));
        // Bought in another size after trying: not "not bought".
        Assert.DoesNotContain(Rules.TriedNotBought, Fired(new ProfileBuilder().TriedOn("DR-0001-M-NAVY", 5).Bought("DR-0001-L-NAVY", 3, channel: "ec").Suggest()));
        // Bought before trying on: still a point.
        Assert.Contains(Rules.TriedNotBought, Fired(new ProfileBuilder().TriedOn("DR-0001-M-NAVY", 5).Bought("DR-0001-L-NAVY", 8).Suggest()));
    }

    [Fact]
    public void Online_viewed_in_stock_needs_a_view_in_fourteen_days_and_stock_here_in_their_size()
    {
        Assert.Contains(Rules.OnlineViewedInStock, Fired(new ProfileBuilder().Viewed("KN-0001-M-RED", 14).Suggest()));
        Assert.DoesNotContain(Rules.OnlineViewedInStock, Fired(new ProfileBuilder().Viewed("KN-0001-M-RED", 15).Suggest()));
        Assert.DoesNotContain(Rules.OnlineViewedInStock, Fired(new ProfileBuilder().Viewed(ProfileBuilder.Item("KN-0001-M-RED", here: 0), 2).Suggest()));
        Assert.DoesNotContain(Rules.OnlineViewedInStock, Fired(new ProfileBuilder().UsualSize("L").Viewed("KN-0001-M-RED", 2).Suggest()));
    }

    [Fact]
    public void Reservation_abandoned_needs_the_page_in_fourteen_days_and_no_visit_since()
    {
        Assert.Contains(Rules.ReservationAbandoned, Fired(new ProfileBuilder().PageView("store_reservation", 14).Suggest()));
        Assert.DoesNotContain(Rules.ReservationAbandoned, Fired(new ProfileBuilder().PageView("store_reservation", 15).Suggest()));
        Assert.DoesNotContain(Rules.ReservationAbandoned, Fired(new ProfileBuilder().PageView("store_reservation", 4).Visit(2).Suggest()));
        Assert.DoesNotContain(Rules.ReservationAbandoned, Fired(new ProfileBuilder().PageView("size_guide", 2).Suggest()));
    }

    [Fact]
    public void Cross_sell_suggests_a_complement_they_do_not_own_that_is_on_the_shelf()
    {
        var points = new ProfileBuilder().Bought("JK-0001-L-BLACK", 12).Stocked("SC-0002-F-IVORY").Suggest();
        var point = Assert.Single(points, p => p.RuleId == Rules.CrossSellComplement);
        Assert.Equal("SC-0002-F-IVORY", point.Products[0].Product.Sku);

        // Owns a scarf already; trousers are the next pairing but none in their size here.
        var owns = new ProfileBuilder().Bought("JK-0001-L-BLACK", 12).Bought("SC-0001-F-RED", 40).Stocked("SC-0002-F-IVORY").Stocked("PT-0001-S-BLACK").Suggest();
        Assert.DoesNotContain(Rules.CrossSellComplement, Fired(owns));
        Assert.DoesNotContain(Rules.CrossSellComplement, Fired(new ProfileBuilder().Bought("JK-0001-L-BLACK", 12).Suggest()));
    }

    [Fact]
    public void Upsell_needs_four_purchases_in_ninety_days_mostly_in_the_lowest_price_band()
    {
        ProfileBuilder Buyer(int count, int price) =>
            Enumerable.Range(0, count).Aggregate(new ProfileBuilder().Stocked("TS-0009-M-WHITE", price: 4500), (b, i) => b.Bought("TS-0001-M-WHITE", 5 + i * 20, price));
        var point = Assert.Single(Buyer(4, 1990).Suggest(), p => p.RuleId == Rules.UpsellFrequentLowPrice);
        Assert.Equal("TS-0009-M-WHITE", point.Products[0].Product.Sku);
        Assert.DoesNotContain(Rules.UpsellFrequentLowPrice, Fired(Buyer(3, 1990).Suggest()));
        Assert.DoesNotContain(Rules.UpsellFrequentLowPrice, Fired(Buyer(4, 4500).Suggest()));
    }

    [Fact]
    public void Points_expiring_fires_within_thirty_days()
    {
        var today = ShopTime.DayOf(ProfileBuilder.Now);
        var point = Assert.Single(new ProfileBuilder().Points(3200, today.AddDays(30)).Suggest(), p => p.RuleId == Rules.PointsExpiring);
        Assert.Equal(3200, point.Evidence[0].Args[0]);
        Assert.DoesNotContain(Rules.PointsExpiring, Fired(new ProfileBuilder().Points(3200, today.AddDays(31)).Suggest()));
        Assert.DoesNotContain(Rules.PointsExpiring, Fired(new ProfileBuilder().Points(0, today.AddDays(3)).Suggest()));
    }

    [Fact]
    public void Birthday_month_needs_marketing_consent()
    {
        var month = ProfileBuilder.Now.ToOffset(ShopTime.Offset).Month;
        Assert.Contains(Rules.BirthdayMonth, Fired(new ProfileBuilder().BirthMonth(month).Suggest()));
        Assert.DoesNotContain(Rules.BirthdayMonth, Fired(new ProfileBuilder().BirthMonth(month).NoMarketingConsent().Suggest()));
        Assert.DoesNotContain(Rules.BirthdayMonth, Fired(new ProfileBuilder().BirthMonth(month % 12 + 1).Suggest()));
    }

    [Fact]
    public void Lapsed_welcome_back_fires_after_120_days_without_a_purchase()
    {
        var point = Assert.Single(new ProfileBuilder().Bought("JK-0001-L-BLACK", 120).Stocked("JK-0007-M-NAVY").Suggest(), p => p.RuleId == Rules.LapsedWelcomeBack);
        Assert.Equal("JK-0007-M-NAVY", point.Products[0].Product.Sku);
        Assert.DoesNotContain(Rules.LapsedWelcomeBack, Fired(new ProfileBuilder().Bought("JK-0001-L-BLACK", 119).Suggest()));
    }

    [Fact]
    public void Without_consent_no_online_rule_fires_even_if_the_data_reaches_the_engine()
    {
        var profile = new ProfileBuilder().NoOnlineConsent()
            .Viewed("CT-0002-M-BLACK", 1, 2, 3, 4, 5).InCart("CT-0002-M-BLACK", 2).PageView("store_reservation", 1);
        Assert.Empty(Fired(profile.SuggestIgnoringTheProfilesConsentFilter()).Intersect(Rules.Online));
        Assert.Empty(Fired(profile.Suggest()).Intersect(Rules.Online));
    }

    [Fact]
    public void Points_are_ranked_by_score_and_never_two_about_the_same_product()
    {
        // The dress was tried on and viewed online: one point about it (the try-on, the stronger one).
        var points = new ProfileBuilder().TriedOn("DR-0001-M-NAVY", 1).Viewed("DR-0001-M-NAVY", 2, 4, 6)
            .Points(500, DateOnly.FromDateTime(ProfileBuilder.Now.Date).AddDays(10)).PickupReady("BL-0002-M-WHITE", 0).Bought("TS-0001-M-WHITE", 10).Suggest();
        Assert.Equal([Rules.PickupWaiting, Rules.TriedNotBought, Rules.PointsExpiring], Fired(points));
        Assert.Equal(points.OrderByDescending(p => p.Score), points);
        Assert.Equal(points.Count, points.Where(p => p.ProductStyle is not null).Select(p => p.ProductStyle).Distinct().Count() + points.Count(p => p.ProductStyle is null));
    }
}

using Omo.Clienteling.TalkingPoints;
using static Omo.Clienteling.Tests.TalkingPoints.ProfileBuilder;

namespace Omo.Clienteling.Tests.TalkingPoints;

/// <summary>The rules on a retailer's own catalogue: its category words, its complement map, its shelves' price ranges.</summary>
public class RetailerCategoryTests
{
    private static readonly TalkingPointOptions TheirMap = new() { Complements = new() { ["trousers"] = ["Belts", "Shirts"] } };

    [Fact]
    public void Cross_sell_follows_the_retailers_own_map_whatever_the_case_of_its_words()
    {
        var trousers = RetailerProduct("TR-2001-M", "Trousers", "M", 12900);
        var belt = RetailerProduct("BLT-77", "belts", "F", 4900);

        var points = new ProfileBuilder().Bought(trousers, 3).Stocked(belt).Suggest(TheirMap);

        var cross = Assert.Single(points, p => p.RuleId == Rules.CrossSellComplement);
        Assert.Equal("BLT-77", Assert.Single(cross.Products).Product.Sku);
        Assert.Contains(cross.Evidence, e => e.Args.OfType<CategoryName>().Any(c => c.Word == "belts"));
        // The demo's map knows no "Trousers": no complement, and nothing breaks.
        Assert.DoesNotContain(new ProfileBuilder().Bought(trousers, 3).Stocked(belt).Suggest(), p => p.RuleId == Rules.CrossSellComplement);
    }

    [Fact]
    public void A_category_nobody_mapped_gives_no_complement_and_breaks_no_rule()
    {
        var socks = RetailerProduct("SO-1-M", "Socks", "M", 900);
        var newSocks = RetailerProduct("SO-9-M", "Socks", "M", 1200);

        var points = new ProfileBuilder().Bought(socks, 200).Bought(socks, 230).Stocked(newSocks).Suggest(TheirMap);

        Assert.DoesNotContain(points, p => p.RuleId == Rules.CrossSellComplement);
        var lapsed = Assert.Single(points, p => p.RuleId == Rules.LapsedWelcomeBack);
        Assert.Contains(lapsed.Evidence, e => e.Args.OfType<CategoryName>().Any(c => c.Word == "Socks" && c.En == "Socks" && c.Ja == "Socks"));
    }

    [Fact]
    public void The_upsell_reads_a_retailer_categorys_price_range_from_the_shelves_here()
    {
        var cheap = RetailerProduct("TR-1-M", "Trousers", "M", 3000);
        var builder = new ProfileBuilder();
        foreach (var daysAgo in new[] { 10, 20, 30, 40 }) builder.Bought(cheap, daysAgo);
        // On the shelves: 3,000 to 12,000 yen, so the lowest third ends at 6,000; the next line up is the 8,000 pair.
        builder.Stocked(cheap).Stocked(RetailerProduct("TR-2-M", "Trousers", "M", 8000)).Stocked(RetailerProduct("TR-3-M", "Trousers", "M", 12000));

        var upsell = Assert.Single(builder.Suggest(TheirMap), p => p.RuleId == Rules.UpsellFrequentLowPrice);
        Assert.Equal("TR-2-M", Assert.Single(upsell.Products).Product.Sku);
    }
}

using System.Globalization;
using Bunit;
using Omo.Clienteling.Members;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.Members;

/// <summary>One product on the profile: its picture, and the stock here with how old the count is. It reads no data.</summary>
public sealed class ProductTileTests(DemoDatabaseFixture.OnSqlite demo) : BunitTestBase(demo.Db), IClassFixture<DemoDatabaseFixture.OnSqlite>
{
    private static readonly ProductInfo Trousers =
        new("TR-2001-M-INK", "TR-2001", "テーパードパンツ", "Tapered trousers", "Trousers", 12900, "/catalog/images/TR-2001.svg", "M", "INK",
            PhotoUrl: "https://images.example.jp/tr-2001.jpg");

    [Fact]
    public void The_photo_lies_over_the_drawn_picture_and_the_stock_here_says_how_many_and_when_counted()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en-US");
        var counted = TestDatabase.Now.AddMinutes(-3);
        var tile = Ctx.Render<ProductTile>(p => p.Add(t => t.Product, Trousers).Add(t => t.Availability, new Availability(4, [], null, counted)));

        var picture = tile.Find(".product-picture");
        Assert.Contains("url('/catalog/images/TR-2001.svg')", picture.GetAttribute("style"));
        Assert.Equal("https://images.example.jp/tr-2001.jpg", picture.QuerySelector("img")!.GetAttribute("src"));
        Assert.Equal("lazy", picture.QuerySelector("img")!.GetAttribute("loading"));
        var stock = tile.Find("[data-testid=stock-here]");
        Assert.Equal(("TR-2001-M-INK", "4"), (stock.GetAttribute("data-sku"), stock.GetAttribute("data-quantity")));
        Assert.Contains("counted 3 min ago", tile.Markup);
        Assert.Empty(tile.FindAll(".count-stale"));
    }

    [Fact]
    public void A_count_older_than_a_day_and_a_half_is_marked_stale_and_no_photo_shows_the_drawn_picture()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("ja-JP");
        var tile = Ctx.Render<ProductTile>(p => p.Add(t => t.Product, Trousers with { PhotoUrl = null })
            .Add(t => t.Availability, new Availability(0, [], "S02", TestDatabase.Now.AddHours(-40))));

        Assert.Equal("/catalog/images/TR-2001.svg", tile.Find(".product-picture img").GetAttribute("src"));
        Assert.Equal("0", tile.Find("[data-testid=stock-here]").GetAttribute("data-quantity"));
        Assert.Contains("棚を確認", tile.Find(".count-stale").TextContent);
    }
}

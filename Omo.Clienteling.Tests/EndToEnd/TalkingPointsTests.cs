using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Omo.Clienteling.Data;
using Omo.Clienteling.Ingestion;
using Omo.Clienteling.Tests.Support;
using static Omo.Clienteling.Tests.Support.Events;

namespace Omo.Clienteling.Tests.EndToEnd;

public abstract class TalkingPointsTests(EndToEndFixture fixture)
{
    [Fact]
    public async Task A_point_marked_used_is_kept_and_the_sale_that_follows_shows_in_the_manager_report()
    {
        var page = await Chromium.OpenAsync(fixture.Browser, fixture.App.BaseUrl + "/members/0000000001");
        var point = page.Locator("[data-testid=talking-point][data-rule=tried-not-bought]");
        await Assertions.Expect(point).ToContainTextAsync("試着");
        await point.GetByTestId("talking-point-used").ClickAsync();
        await Assertions.Expect(point).ToHaveAttributeAsync("data-state", "used");

        // The customer buys at the till a little later (timestamps are whole seconds): the POS sends the sale.
        string sku;
        await using (var connection = await fixture.App.OpenAsync())
            sku = await connection.QueryFirstAsync<string>("SELECT sku FROM skus WHERE sku LIKE 'TS-%' ORDER BY sku LIMIT 1");
        using var pos = fixture.App.ClientWithKey(ApiKeyOptions.DemoKey);
        var (_, body) = await PostAsync(pos, Event("pos_sale", Card("2900000000018"),
            new { receiptId = $"E2E-{Guid.NewGuid():N}", lines = new[] { new { sku, quantity = 1, unitPrice = 2990 } } }, storeId: "S01", at: DateTimeOffset.UtcNow.AddSeconds(2)));
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());

        await page.CloseAsync();
        // The store's manager reads the report on their own tablet.
        page = await Chromium.OpenAsync(fixture.Browser, fixture.App.BaseUrl + "/reports/talking-points", "M001");
        var row = page.Locator("[data-testid=talking-point-report] tr[data-rule=tried-not-bought]");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-used", "1");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-sales", "2990");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "talking-point-report.png"), FullPage = true });
        await page.CloseAsync();
    }

    [Collection(EndToEndOnSqlite.Name)]
    public sealed class OnSqlite(EndToEndFixture.OnSqlite fixture) : TalkingPointsTests(fixture);

    [Collection(EndToEndOnPostgres.Name)]
    public sealed class OnPostgres(EndToEndFixture.OnPostgres fixture) : TalkingPointsTests(fixture);
}

using Dapper;
using Microsoft.Playwright;
using Omo.Clienteling.Ingestion;
using Omo.Clienteling.Tests.Support;
using static Omo.Clienteling.Tests.Support.Events;

namespace Omo.Clienteling.Tests.EndToEnd;

/// <summary>
/// A hold from the app to the till: it appears on the shop's preparation list, an assistant picks it into a fitting
/// room, the board says it is ready when she arrives, the till's sale completes it, and the manager's report counts it.
/// </summary>
public abstract class HoldsTests(EndToEndFixture fixture)
{
    private static readonly LocatorAssertionsToBeVisibleOptions Patient = new() { Timeout = 15_000 };

    [Fact]
    public async Task A_hold_from_the_app_is_prepared_announced_on_arrival_completed_at_the_till_and_counted()
    {
        using var app = fixture.App.ClientWithKey(ApiKeyOptions.DemoKey);
        var id = NewMemberId();
        var card = Card(CardOf(id));
        string sku;
        await using (var connection = await fixture.App.OpenAsync())
            sku = await connection.QueryFirstAsync<string>("""
                SELECT s.sku FROM stock s WHERE s.store_id = 'S01' AND s.quantity > 1
                  AND NOT EXISTS (SELECT 1 FROM hold_lines l WHERE l.sku = s.sku) ORDER BY s.sku DESC LIMIT 1
                """);
        var holdId = $"E2E-H-{Guid.NewGuid():N}"[..20];
        // Until tomorrow, so the hold is open whenever this runs (after closing time a hold until today is refused).
        var until = ShopTime.DayOf(DateTimeOffset.UtcNow).AddDays(1);
        var (_, body) = await PostAsync(app, NewMember(id, familyName: "取置"), Hold(card, "S01", holdId, until, lines: (sku, 1)));
        Assert.True(body.GetProperty("accepted").GetInt32() == 2, body.ToString());

        var manager = await Chromium.OpenAsync(fixture.Browser, fixture.App.BaseUrl + "/reports/talking-points", "M001");
        var purchases = manager.Locator("[data-testid=hold-report] tr[data-figure=hold-purchases]");
        await Assertions.Expect(purchases).ToBeVisibleAsync(Patient);
        var purchasedBefore = int.Parse((await purchases.GetAttributeAsync("data-value"))!);

        // The stockroom: the hold is on the list; picked into fitting room 2.
        var assistant = await Chromium.OpenAsync(fixture.Browser, fixture.App.BaseUrl + "/holds", "A001");
        var hold = assistant.Locator($"[data-testid=hold][data-hold-id='{holdId}']");
        await Assertions.Expect(hold).ToHaveAttributeAsync("data-status", "requested", new() { Timeout = 15_000 });
        await Assertions.Expect(hold.Locator($".pick-line[data-sku='{sku}']")).ToBeVisibleAsync();
        await hold.GetByTestId("hold-location").FillAsync("フィッティングルーム2");
        await hold.GetByTestId("hold-location").BlurAsync();
        await hold.GetByTestId("hold-prepare").ClickAsync();
        await Assertions.Expect(hold).ToHaveAttributeAsync("data-status", "prepared");
        await Assertions.Expect(hold.GetByTestId("hold-ready")).ToContainTextAsync("フィッティングルーム2");
        await assistant.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "holds.png"), FullPage = true });

        // She arrives: the board's card says her hold is ready, and where.
        await manager.GotoAsync(fixture.App.BaseUrl + "/board");
        await Assertions.Expect(manager.GetByTestId("live-state")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 15_000 });
        (_, body) = await PostAsync(app, Event("store_checked_in", card, new { source = "app" }, storeId: "S01"));
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        var alert = manager.Locator($"[data-testid=checkin-alert][data-member-no='{id:D10}']");
        await Assertions.Expect(alert).ToBeVisibleAsync(Patient);
        await Assertions.Expect(alert.Locator("[data-testid=checkin-highlight][data-rule=hold-waiting]")).ToContainTextAsync("準備済み: 1点、フィッティングルーム2");

        // The till sells her the held item: the hold is done and leaves the list.
        (_, body) = await PostAsync(app, Event("pos_sale", card, new { receiptId = $"E2E-{Guid.NewGuid():N}", lines = new[] { new { sku, quantity = 1, unitPrice = 9900 } } },
            storeId: "S01", at: DateTimeOffset.UtcNow.AddSeconds(1)));
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        await assistant.GetByTestId("holds-refresh").ClickAsync();
        await Assertions.Expect(assistant.Locator($"[data-testid=hold][data-hold-id='{holdId}']")).ToHaveCountAsync(0);

        await manager.GotoAsync(fixture.App.BaseUrl + "/reports/talking-points");
        await Assertions.Expect(manager.Locator("[data-testid=hold-report] tr[data-figure=hold-purchases]"))
            .ToHaveAttributeAsync("data-value", (purchasedBefore + 1).ToString());
        await Assertions.Expect(manager.Locator("[data-testid=hold-report] tr[data-figure=hold-visits]")).Not.ToHaveAttributeAsync("data-value", "0");
        await assistant.CloseAsync();
        await manager.CloseAsync();
    }

    [Collection(EndToEndOnSqlite.Name)]
    public sealed class OnSqlite(EndToEndFixture.OnSqlite fixture) : HoldsTests(fixture);

    [Collection(EndToEndOnPostgres.Name)]
    public sealed class OnPostgres(EndToEndFixture.OnPostgres fixture) : HoldsTests(fixture);
}

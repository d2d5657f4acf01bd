using Microsoft.Playwright;
using Omo.Clienteling.Ingestion;
using Omo.Clienteling.Tests.Support;
using static Omo.Clienteling.Tests.Support.Events;

namespace Omo.Clienteling.Tests.EndToEnd;

public abstract class BoardTests(EndToEndFixture fixture)
{
    private static readonly LocatorAssertionsToBeVisibleOptions Patient = new() { Timeout = 15_000 };

    [Fact]
    public async Task The_manager_s_board_shows_a_check_in_live_and_Shinjuku_s_assistant_gets_no_Shibuya_alert()
    {
        var board = await Chromium.OpenAsync(fixture.Browser, fixture.App.BaseUrl + "/board", "M001");
        var shinjuku = await Chromium.OpenAsync(fixture.Browser, fixture.App.BaseUrl + "/", "A002");
        await Assertions.Expect(board.GetByTestId("live-state")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 15_000 });

        using var app = fixture.App.ClientWithKey(ApiKeyOptions.DemoKey);
        var (_, body) = await PostAsync(app, Event("store_checked_in", Identity("app_member", "0000000006"), new { source = "app" }, storeId: "S01"));
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());

        var alert = board.Locator("[data-testid=checkin-alert][data-member-no='0000000006']");
        await Assertions.Expect(alert).ToBeVisibleAsync(Patient);
        await Assertions.Expect(alert).ToContainTextAsync("渡辺");
        await Assertions.Expect(alert).ToContainTextAsync("ポイントが");
        await board.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "board.png"), FullPage = true });

        // Claimed from the board: the card says who is looking after her.
        await alert.GetByTestId("checkin-claim").ClickAsync();
        await Assertions.Expect(alert).ToHaveAttributeAsync("data-claimed", "true");

        // A check-in at Shinjuku reaches A002; Shibuya's never did.
        await PostAsync(app, Event("store_checked_in", Identity("app_member", "0000000007"), new { source = "beacon" }, storeId: "S02"));
        await Assertions.Expect(shinjuku.Locator("[data-testid=checkin-toast][data-member-no='0000000007']")).ToBeVisibleAsync(Patient);
        await Assertions.Expect(shinjuku.Locator("[data-testid=checkin-toast][data-member-no='0000000006']")).ToHaveCountAsync(0);
        await board.CloseAsync();
        await shinjuku.CloseAsync();
    }

    [Collection(EndToEndOnSqlite.Name)]
    public sealed class OnSqlite(EndToEndFixture.OnSqlite fixture) : BoardTests(fixture);

    [Collection(EndToEndOnPostgres.Name)]
    public sealed class OnPostgres(EndToEndFixture.OnPostgres fixture) : BoardTests(fixture);
}

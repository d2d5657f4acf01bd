using Microsoft.Playwright;
using Omo.Clienteling.Data;
using Omo.Clienteling.Ingestion;
using Omo.Clienteling.Tests.Support;
using Omo.Clienteling.Tests.Webhooks;
using Omo.Clienteling.Webhooks;
using static Omo.Clienteling.Tests.Support.Events;

namespace Omo.Clienteling.Tests.EndToEnd;

/// <summary>
/// Back online after the visit: the assistant uses a talking point and sends a follow-up, the retailer's receiver hears
/// both, and an online order three days later shows in the manager's report as credited to the shop.
/// </summary>
public sealed class FollowUpTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_point_used_and_a_follow_up_reach_the_receiver_and_an_online_order_three_days_later_is_credited(DatabaseProvider provider)
    {
        await using var receiver = await new WebhookReceiver().StartAsync();
        var clock = new ShiftedClock();
        await using var app = new AppServer(provider, WebhookFixture.Settings(receiver), clock: clock);
        await app.InitializeAsync();
        var browser = await SharedBrowser.GetAsync();

        var tablet = await Chromium.OpenAsync(browser, app.BaseUrl + "/members/0000000001", "A001");
        var point = tablet.Locator("[data-testid=talking-point][data-rule=tried-not-bought]");
        await point.GetByTestId("talking-point-used").ClickAsync();
        await Assertions.Expect(point).ToHaveAttributeAsync("data-state", "used");

        await tablet.GetByTestId("followup-open").ClickAsync();
        var message = tablet.GetByTestId("followup-message");
        await Assertions.Expect(message).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("佐藤様"));
        await message.FillAsync("佐藤様　昨日はありがとうございました。ワンピースに合うカーディガンをご用意しています。");
        await tablet.GetByTestId("followup-send").ClickAsync();
        await Assertions.Expect(tablet.GetByTestId("followup-sent")).ToBeVisibleAsync();
        await Assertions.Expect(tablet.GetByTestId("profile-timeline")).ToContainTextAsync("カーディガン");

        var received = await receiver.WaitForAsync(r => r.Any(w => w.Type == WebhookTopics.TalkingPointUsed) && r.Any(w => w.Type == WebhookTopics.FollowUpRequested),
            what: "talking_point.used and followup.requested");
        var used = received.First(w => w.Type == WebhookTopics.TalkingPointUsed).Data;
        Assert.Equal(("0000000001", "S01", "tried-not-bought", "A001"),
            (used.GetProperty("memberNo").GetString(), used.GetProperty("storeId").GetString(), used.GetProperty("rule").GetString(), used.GetProperty("staffCode").GetString()));
        Assert.StartsWith("DR-0001-M-", used.GetProperty("skus")[0].GetString());
        var followUp = received.First(w => w.Type == WebhookTopics.FollowUpRequested).Data;
        Assert.Contains("カーディガン", followUp.GetProperty("message").GetString());
        Assert.Equal("0000000001", followUp.GetProperty("memberNo").GetString());
        Assert.NotEmpty(followUp.GetProperty("skus").EnumerateArray());
        await tablet.CloseAsync();

        // Three days later she orders the dress on the web shop.
        clock.Offset = TimeSpan.FromDays(3);
        using var webShop = app.ClientWithKey(ApiKeyOptions.DemoKey);
        var (_, body) = await PostAsync(webShop, Event("order_placed", Card("2900000000018"), new
        {
            orderId = $"EC-FU-{Guid.NewGuid():N}"[..20], channel = "ec", fulfilment = "delivery",
            lines = new[] { new { sku = used.GetProperty("skus")[0].GetString(), quantity = 1, unitPrice = 15900 } },
        }, at: clock.GetUtcNow().AddMinutes(-1)));
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());

        var manager = await Chromium.OpenAsync(browser, app.BaseUrl + "/reports/talking-points", "M001");
        var row = manager.Locator("[data-testid=talking-point-report] tr[data-rule=tried-not-bought]");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-online-orders", "1");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-online-sales", "15900");
        await Assertions.Expect(manager.Locator("[data-testid=online-credit-by-staff] tr[data-staff=A001]")).ToContainTextAsync("1");
        await manager.CloseAsync();
    }
}

using Microsoft.Playwright;
using Omo.Clienteling.Ingestion;
using Omo.Clienteling.Tests.Support;
using static Omo.Clienteling.Tests.Support.Events;

namespace Omo.Clienteling.Tests.EndToEnd;

/// <summary>
/// A wrong link from the web shop mixes two customers' histories; the assistant sees it, the manager splits the merge on
/// the merges page, and each card shows only its own person again.
/// </summary>
public abstract class MergeSplitTests(EndToEndFixture fixture)
{
    private static readonly LocatorAssertionsToBeVisibleOptions Patient = new() { Timeout = 15_000 };

    private static async Task ScanAsync(IPage page, string code, long expected)
    {
        await page.GetByTestId("scan-input").FillAsync(code);
        await page.GetByTestId("scan-input").PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("profile-header")).ToHaveAttributeAsync("data-member-no", expected.ToString("D10"), new() { Timeout = 15_000 });
    }

    [Fact]
    public async Task A_wrong_link_is_split_by_the_manager_and_each_card_shows_only_its_own_person_again()
    {
        using var api = fixture.App.ClientWithKey(ApiKeyOptions.DemoKey);
        var (kitamura, typo) = (NewMemberId(), NewMemberId());
        var receipt = $"E2E-R-{kitamura}";
        var order = $"E2E-ORD-{typo}";
        var (_, body) = await PostAsync(api,
            NewMember(kitamura, familyName: "北村", at: DateTimeOffset.UtcNow.AddDays(-60)),
            Event("pos_sale", Card(CardOf(kitamura)), new { receiptId = receipt, lines = new[] { new { sku = "TS-0003-M-WHITE", quantity = 1, unitPrice = 1990 } } },
                storeId: "S01", at: DateTimeOffset.UtcNow.AddDays(-3)),
            // Someone else's web-shop account, opened with a point card of their own and no name given.
            Event("member_upserted", null, new
            {
                memberNo = typo.ToString("D10"), homeStoreId = "S01", consent = new { onlineBehaviour = true, marketing = false },
                identities = new[] { Card(CardOf(typo)), Identity("ec_account", $"EC-{typo}") },
            }, at: DateTimeOffset.UtcNow.AddDays(-5)),
            Event("order_placed", Identity("ec_account", $"EC-{typo}"), new
            {
                orderId = order, channel = "ec", fulfilment = "delivery", lines = new[] { new { sku = "TS-0003-M-WHITE", quantity = 1, unitPrice = 8990 } },
            }, at: DateTimeOffset.UtcNow.AddDays(-2)),
            // The web shop links that account to 北村 by mistake.
            Event("identity_linked", Card(CardOf(kitamura)), new { identity = Identity("ec_account", $"EC-{typo}") }));
        Assert.True(body.GetProperty("accepted").GetInt32() == 5 && body.GetProperty("pending").GetArrayLength() == 0, body.ToString());

        // The assistant scans the other customer's card and sees 北村's record, with both histories mixed.
        var tablet = await Chromium.OpenAsync(fixture.Browser, fixture.App.BaseUrl + "/", "A001");
        await ScanAsync(tablet, CardOf(typo), kitamura);
        var purchases = tablet.GetByTestId("profile-purchases");
        await Assertions.Expect(purchases.Locator($"[data-purchase-id='{receipt}']")).ToBeVisibleAsync(Patient);
        await Assertions.Expect(purchases.Locator($"[data-purchase-id='{order}']")).ToBeVisibleAsync();
        await Assertions.Expect(tablet.Locator($"[data-testid=merged-from][data-member-no='{typo:D10}']")).ToBeVisibleAsync();

        // The manager splits it: the first tap asks, the second splits.
        var manager = await Chromium.OpenAsync(fixture.Browser, fixture.App.BaseUrl + "/members/merges", "M001");
        var merge = manager.Locator("[data-testid=merge][data-status=applied]")
            .Filter(new() { Has = manager.Locator($"[data-testid=merge-merged][data-member-no='{typo:D10}']") });
        await Assertions.Expect(merge).ToBeVisibleAsync(Patient);
        await Assertions.Expect(merge.Locator("[data-testid=merge-moved] [data-table=orders]")).ToContainTextAsync("1");
        await merge.GetByTestId("merge-split").ClickAsync();
        await merge.GetByTestId("merge-split-confirm").ClickAsync();
        await Assertions.Expect(manager.GetByTestId("merges-message")).ToContainTextAsync(typo.ToString("D10"));
        await Assertions.Expect(manager.Locator("[data-testid=merge][data-status=split]")
            .Filter(new() { Has = manager.Locator($"[data-testid=merge-merged][data-member-no='{typo:D10}']") })).ToBeVisibleAsync();
        await manager.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "merges.png"), FullPage = true });

        // Each card shows only its own person now.
        await tablet.GotoAsync(fixture.App.BaseUrl + "/");
        await ScanAsync(tablet, CardOf(kitamura), kitamura);
        await Assertions.Expect(tablet.GetByTestId("profile-purchases").Locator($"[data-purchase-id='{receipt}']")).ToBeVisibleAsync(Patient);
        await Assertions.Expect(tablet.GetByTestId("profile-purchases").Locator($"[data-purchase-id='{order}']")).ToHaveCountAsync(0);
        await Assertions.Expect(tablet.GetByTestId("merged-from")).ToHaveCountAsync(0);
        await tablet.GotoAsync(fixture.App.BaseUrl + "/");
        await ScanAsync(tablet, CardOf(typo), typo);
        await Assertions.Expect(tablet.GetByTestId("profile-purchases").Locator($"[data-purchase-id='{order}']")).ToBeVisibleAsync(Patient);
        await Assertions.Expect(tablet.GetByTestId("profile-purchases").Locator($"[data-purchase-id='{receipt}']")).ToHaveCountAsync(0);
        await tablet.CloseAsync();
        await manager.CloseAsync();
    }

    [Collection(EndToEndOnSqlite.Name)]
    public sealed class OnSqlite(EndToEndFixture.OnSqlite fixture) : MergeSplitTests(fixture);

    [Collection(EndToEndOnPostgres.Name)]
    public sealed class OnPostgres(EndToEndFixture.OnPostgres fixture) : MergeSplitTests(fixture);
}

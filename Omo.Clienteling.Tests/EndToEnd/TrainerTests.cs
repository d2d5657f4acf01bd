using Microsoft.Playwright;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.EndToEnd;

public abstract class TrainerTests(EndToEndFixture fixture)
{
    // Decoding in the browser competes with the rest of the suite for two cores: give the camera time.
    private static readonly LocatorAssertionsToHaveAttributeOptions Patient = new() { Timeout = 60_000 };

    [Fact]
    public async Task Persona_3s_printed_card_read_by_the_tablet_camera_opens_her_profile()
    {
        var cards = await Chromium.OpenAsync(fixture.Browser, fixture.App.BaseUrl + "/demo/cards", "T001");
        const string barcode = "[data-testid=demo-card][data-member-no='0000000003'] [data-testid=card-barcode]";
        await cards.WaitForFunctionAsync("s => document.querySelector(s)?.width > 300", barcode);
        Assert.Equal("2900000000032", await cards.Locator(barcode).GetAttributeAsync("data-code"));
        // The print layout renders to an A4 PDF, as the trainer's printer would get it.
        var pdf = await cards.PdfAsync(new PagePdfOptions { Format = "A4", PrintBackground = true });
        Assert.True(pdf.Length > 10_000);
        await cards.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshots.PathOf("trainer-0-demo-cards.png", fixture.App.Provider), FullPage = true });

        await ScanWithCameraAsync(cards, barcode, "0000000003");
        await cards.CloseAsync();
    }

    [Fact]
    public async Task Persona_1s_app_code_on_the_customer_app_view_read_by_the_tablet_camera_opens_her_profile()
    {
        var phone = await Chromium.OpenAsync(fixture.Browser, fixture.App.BaseUrl + "/demo/app/0000000001", "T001");
        const string qr = "[data-testid=app-qr]";
        await phone.WaitForFunctionAsync("s => document.querySelector(s)?.complete && document.querySelector(s).naturalWidth > 0", qr);
        await phone.WaitForFunctionAsync("() => document.querySelector('[data-testid=app-code128]').width > 300");
        StringAssert(await phone.GetByTestId("customer-app").GetAttributeAsync("data-code"), "OMO1:0000000001:");

        await ScanWithCameraAsync(phone, qr, "0000000001");
        await phone.CloseAsync();
    }

    [Fact]
    public async Task A_hold_placed_from_the_deck_is_prepared_on_the_holds_list_and_completed_by_a_sale_at_the_till()
    {
        // Persona 4 in Shibuya (the trainer's store until one is chosen): nobody else's test holds anything for him.
        var trainer = await Chromium.OpenAsync(fixture.Browser, fixture.App.BaseUrl + "/trainer", "T001");
        var card = trainer.Locator("[data-testid=persona][data-member-no='0000000004']");
        await card.GetByTestId("persona-hold").ClickAsync();
        await Assertions.Expect(trainer.Locator(".mud-snackbar")).ToContainTextAsync("取り置き", new() { Timeout = 15_000 });

        var list = await Chromium.OpenAsync(fixture.Browser, fixture.App.BaseUrl + "/holds", "A001");
        var customer = list.Locator("[data-testid=due-customer][data-member-no='0000000004']");
        var hold = customer.Locator("[data-testid=hold]");
        await Assertions.Expect(hold).ToHaveAttributeAsync("data-status", "requested", new() { Timeout = 15_000 });
        await hold.GetByTestId("hold-location").FillAsync("フィッティングルーム2");
        await hold.GetByTestId("hold-location").BlurAsync();
        await hold.GetByTestId("hold-prepare").ClickAsync();
        await Assertions.Expect(hold).ToHaveAttributeAsync("data-status", "prepared");
        await list.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshots.PathOf("trainer-6-holds.png", fixture.App.Provider), FullPage = true });

        // On his profile the hold comes first, and the first talking point says where it waits.
        await list.GotoAsync(fixture.App.BaseUrl + "/members/0000000004");
        await Assertions.Expect(list.Locator("[data-testid=profile-holds] [data-testid=hold]")).ToHaveAttributeAsync("data-status", "prepared");
        await Assertions.Expect(list.Locator("[data-testid=talking-point]").First).ToHaveAttributeAsync("data-rule", "hold-waiting");
        await list.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshots.PathOf("trainer-7-hold-on-profile.png", fixture.App.Provider) });

        // He buys it at the till: the hold is done and the list has nothing of his left.
        await card.GetByTestId("persona-buy").ClickAsync();
        await Assertions.Expect(trainer.Locator(".mud-snackbar").Last).ToContainTextAsync("レジ", new() { Timeout = 15_000 });
        await list.GotoAsync(fixture.App.BaseUrl + "/holds");
        await Assertions.Expect(list.Locator("[data-testid=holds-day], [data-testid=holds-empty]").First).ToBeVisibleAsync();
        await Assertions.Expect(customer).ToHaveCountAsync(0);
        await list.CloseAsync();
        await trainer.CloseAsync();
    }

    private static void StringAssert(string? actual, string prefix) => Assert.StartsWith(prefix, actual);

    /// <summary>Films the element, then a tablet (its own browser: the fake camera is fixed per launch) scans it with the camera.</summary>
    private async Task ScanWithCameraAsync(IPage source, string selector, string expectedMemberNo)
    {
        var folder = Directory.CreateTempSubdirectory("omo-film-").FullName;
        var video = await FakeCamera.FilmElementAsync(source, selector, folder);
        var (playwright, browser) = await Chromium.LaunchAsync("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", $"--use-file-for-fake-video-capture={video}");
        try
        {
            var tablet = await Chromium.OpenAsync(browser, fixture.App.BaseUrl + "/", "A001");
            await tablet.GetByTestId("scan-camera").ClickAsync();
            try { await Assertions.Expect(tablet.GetByTestId("profile-header")).ToHaveAttributeAsync("data-member-no", expectedMemberNo, Patient); }
            catch { await tablet.ScreenshotAsync(new() { Path = $"/tmp/cam-{expectedMemberNo}.png" }); throw; }
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_training_session_stages_persona_1_scans_her_and_claims_her_on_the_board()
    {
        // 1. The trainer signs in.
        var page = await fixture.Browser.NewPageAsync(Chromium.Tablet);
        await page.GotoAsync(fixture.App.BaseUrl + "/signin?returnUrl=%2Ftrainer");
        await page.GetByTestId("signin-code").FillAsync("T001");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshots.PathOf("trainer-1-sign-in.png", fixture.App.Provider) });
        await Chromium.SignInAsync(page, "T001");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

        // 2. The persona deck: persona 1 arrives at Shibuya, through the events API.
        var persona1 = page.Locator("[data-testid=persona][data-member-no='0000000001']");
        await persona1.GetByTestId("persona-arrive").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("チェックインしました");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshots.PathOf("trainer-2-persona-deck.png", fixture.App.Provider) });

        // 3. The board shows her arrival with its highlights.
        var board = await Chromium.OpenAsync(fixture.Browser, fixture.App.BaseUrl + "/board", "T001");
        var alert = board.Locator("[data-testid=checkin-alert][data-member-no='0000000001']");
        await Assertions.Expect(alert).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await board.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshots.PathOf("trainer-3-board.png", fixture.App.Provider) });

        // 4. An assistant scans her card and reads the talking points.
        await page.GotoAsync(fixture.App.BaseUrl + "/");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.GetByTestId("scan-input").FillAsync("2900000000018");
        await page.GetByTestId("scan-input").PressAsync("Enter");
        await Assertions.Expect(page.Locator("[data-testid=talking-point][data-rule=tried-not-bought]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshots.PathOf("trainer-4-profile.png", fixture.App.Provider) });

        // 5. She is claimed on the board, so nobody else approaches her.
        await alert.GetByTestId("checkin-claim").ClickAsync();
        await Assertions.Expect(alert).ToHaveAttributeAsync("data-claimed", "true");
        await board.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshots.PathOf("trainer-5-claimed.png", fixture.App.Provider) });
        await board.CloseAsync();
        await page.CloseAsync();
    }

    [Collection(EndToEndOnSqlite.Name)]
    public sealed class OnSqlite(EndToEndFixture.OnSqlite fixture) : TrainerTests(fixture);

    [Collection(EndToEndOnPostgres.Name)]
    public sealed class OnPostgres(EndToEndFixture.OnPostgres fixture) : TrainerTests(fixture);
}

/// <summary>Where the end-to-end tests keep the README's screenshots: docs/screenshots at the repository's root.</summary>
public static class Screenshots
{
    /// <summary>The README's copy comes from the SQLite run (the two-command default); other runs keep theirs beside the tests.</summary>
    public static string PathOf(string name, Omo.Clienteling.Data.DatabaseProvider provider)
    {
        if (provider != Omo.Clienteling.Data.DatabaseProvider.Sqlite) return Path.Combine(AppContext.BaseDirectory, $"{provider}-{name}");
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Omo.sln"))) folder = folder.Parent;
        var target = Path.Combine(folder?.FullName ?? AppContext.BaseDirectory, "docs", "screenshots");
        Directory.CreateDirectory(target);
        return Path.Combine(target, name);
    }
}

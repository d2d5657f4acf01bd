using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using Omo.Clienteling.Scanning;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.EndToEnd;

public abstract class ScanToProfileTests(EndToEndFixture fixture)
{
    private static readonly LocatorAssertionsToHaveAttributeOptions Patient = new() { Timeout = 15_000 };

    [Fact]
    public async Task Scanning_persona_1s_point_card_with_a_wedge_scanner_opens_the_profile_and_timeline()
    {
        var page = await Chromium.OpenAsync(fixture.Browser, fixture.App.BaseUrl + "/");

        // A keyboard-wedge scanner "types" the digits and presses Enter into whatever has focus: the scan field.
        await Assertions.Expect(page.GetByTestId("scan-input")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("2900000000018");
        await page.Keyboard.PressAsync("Enter");

        var header = page.GetByTestId("profile-header");
        await Assertions.Expect(header).ToHaveAttributeAsync("data-member-no", "0000000001", Patient);
        await Assertions.Expect(page.GetByTestId("profile-timeline")).ToContainTextAsync("試着");
        await Assertions.Expect(page.GetByTestId("profile-timeline")).ToContainTextAsync("チェックイン");
        await Assertions.Expect(page.GetByTestId("profile-views")).ToContainTextAsync("3回");
        // Ready for the next customer without a tap.
        await Assertions.Expect(page.GetByTestId("scan-input")).ToBeFocusedAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "profile-persona-1.png"), FullPage = true });
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_wrong_check_digit_shows_the_malformed_message_and_keeps_the_field_ready()
    {
        var page = await Chromium.OpenAsync(fixture.Browser, fixture.App.BaseUrl + "/");
        await page.GetByTestId("scan-input").FillAsync("2900000000019");
        await page.GetByTestId("scan-input").PressAsync("Enter");

        await Assertions.Expect(page.GetByTestId("scan-error")).ToHaveAttributeAsync("data-outcome", "malformed", Patient);
        await Assertions.Expect(page.GetByTestId("scan-error")).ToContainTextAsync("チェックデジット");
        await Assertions.Expect(page.GetByTestId("scan-input")).ToBeFocusedAsync();
        await page.CloseAsync();
    }

    [Fact]
    public async Task The_camera_decodes_a_rotating_app_code_and_opens_the_profile()
    {
        var key = fixture.App.Services.GetRequiredService<IOptions<MemberCodeOptions>>().Value.KeyBytes();
        var folder = Directory.CreateTempSubdirectory("omo-camera-").FullName;
        var video = FakeCamera.QrVideo(AppCode.Create(key, "0000000002", DateTimeOffset.UtcNow), folder);
        try
        {
            await WithCameraAsync(video, async page =>
            {
                await page.GetByTestId("scan-camera").ClickAsync();
                await Assertions.Expect(page.GetByTestId("profile-header")).ToHaveAttributeAsync("data-member-no", "0000000002", new() { Timeout = 30_000 });
                await Assertions.Expect(page.GetByTestId("found-by")).ToContainTextAsync("アプリ");
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_camera_opens_nothing_while_frames_disagree_and_prefers_the_member_card_to_a_product_tag()
    {
        var folder = Directory.CreateTempSubdirectory("omo-camera-").FullName;
        try
        {
            // Every other frame a different valid card: a misread that never repeats itself. (Chromium's fake camera hands
            // out some frames twice; the same picture again is not a second look, so that does not count as agreement.)
            var flicker = FakeCamera.QrFrames(folder, [Events.CardOf(3)], [Events.CardOf(4)]);
            await WithCameraAsync(flicker, async page =>
            {
                await page.GetByTestId("scan-camera").ClickAsync();
                await Assertions.Expect(page.GetByTestId("scan-video")).ToBeVisibleAsync();
                await page.WaitForTimeoutAsync(4000); // a few dozen frame pairs
                Assert.Empty(await page.GetByTestId("profile-header").AllAsync());
                Assert.Empty(await page.GetByTestId("scan-error").AllAsync());
            });

            var tagBesideCard = FakeCamera.QrFrames(Directory.CreateDirectory(Path.Combine(folder, "tag")).FullName, ["4901234567894", Events.CardOf(6)]);
            await WithCameraAsync(tagBesideCard, async page =>
            {
                await page.GetByTestId("scan-camera").ClickAsync();
                await Assertions.Expect(page.GetByTestId("profile-header")).ToHaveAttributeAsync("data-member-no", "0000000006", new() { Timeout = 30_000 });
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The fake camera's file is fixed per browser launch: a browser of its own for each film.</summary>
    private async Task WithCameraAsync(string video, Func<IPage, Task> test)
    {
        var (playwright, browser) = await Chromium.LaunchAsync("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", $"--use-file-for-fake-video-capture={video}");
        try
        {
            await test(await Chromium.OpenAsync(browser, fixture.App.BaseUrl + "/"));
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    [Collection(EndToEndOnSqlite.Name)]
    public sealed class OnSqlite(EndToEndFixture.OnSqlite fixture) : ScanToProfileTests(fixture);

    [Collection(EndToEndOnPostgres.Name)]
    public sealed class OnPostgres(EndToEndFixture.OnPostgres fixture) : ScanToProfileTests(fixture);
}

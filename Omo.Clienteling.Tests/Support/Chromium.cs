using Microsoft.Playwright;

namespace Omo.Clienteling.Tests.Support;

/// <summary>Debian's Chromium driven by Playwright for .NET (its bundled driver; no browser download).</summary>
public static class Chromium
{
    public static readonly string[] Args =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    public static async Task<(IPlaywright, IBrowser)> LaunchAsync(params string[] extraArgs)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("OMO_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = [.. Args, .. extraArgs],
        });
        return (playwright, browser);
    }

    /// <summary>A tablet held upright (1024×1366), in Japanese.</summary>
    public static BrowserNewPageOptions Tablet => new() { ViewportSize = new ViewportSize { Width = 1024, Height = 1366 }, Locale = "ja-JP" };

    /// <summary>
    /// A tablet-sized page signed in as demo staff member <paramref name="staffCode"/> (through the real sign-in form),
    /// on <paramref name="url"/>, that has waited for the Blazor circuit so input is not lost.
    /// </summary>
    public static async Task<IPage> OpenAsync(IBrowser browser, string url, string staffCode = "A001") =>
        await SignInOnAsync(await browser.NewPageAsync(Tablet), url, staffCode);

    /// <summary>The same, in a browser context of the test's own whose tabs share one sign-in (<see cref="TabletContext"/>).</summary>
    public static async Task<IPage> OpenAsync(IBrowserContext context, string url, string staffCode = "A001") =>
        await SignInOnAsync(await context.NewPageAsync(), url, staffCode);

    /// <summary>A browser profile on a tablet, for tests that open several tabs of one sign-in.</summary>
    public static BrowserNewContextOptions TabletContext => new() { ViewportSize = new ViewportSize { Width = 1024, Height = 1366 }, Locale = "ja-JP" };

    private static async Task<IPage> SignInOnAsync(IPage page, string url, string staffCode)
    {
        // Browser errors go to the test log: the first place to look when an end-to-end test fails.
        page.Console += (_, message) => { if (message.Type is "error") Console.WriteLine($"[browser {message.Type}] {message.Text}"); };
        page.PageError += (_, error) => Console.WriteLine($"[browser page error] {error}");
        var target = new Uri(url);
        await page.GotoAsync($"{target.GetLeftPart(UriPartial.Authority)}/signin?returnUrl={Uri.EscapeDataString(target.PathAndQuery)}");
        await SignInAsync(page, staffCode);
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == target.AbsolutePath);
        await page.Locator("[data-testid=interactive]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        return page;
    }

    /// <summary>Types a demo staff member's code and PIN into the sign-in form on the page.</summary>
    public static async Task SignInAsync(IPage page, string staffCode)
    {
        await page.GetByTestId("signin-code").FillAsync(staffCode);
        await page.GetByTestId("signin-pin").FillAsync(Omo.Clienteling.Demo.DemoStaff.All.Single(s => s.Code == staffCode).Pin);
        await page.GetByTestId("signin-submit").ClickAsync();
    }
}

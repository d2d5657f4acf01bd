using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Omo.Clienteling.Tests.Support;

/// <summary>The real app on a real Kestrel port on 127.0.0.1, over its own SQLite file seeded with the demo dataset.</summary>
public class AppServer(IReadOnlyDictionary<string, string?>? settings = null, string? folder = null) : IAsyncLifetime, IAsyncDisposable
{
    /// <summary>A server over the database in <paramref name="folder"/>, which outlives the server (restart tests).</summary>
    private readonly bool _ownsFolder = folder is null;
    private readonly string _folder = folder ?? Directory.CreateTempSubdirectory("omo-app-").FullName;
    private WebApplicationFactory<Program>? _factory;

    public AppServer() : this(null, null) { }

    public string BaseUrl { get; private set; } = "";
    public HttpClient Http { get; private set; } = null!;
    public IServiceProvider Services => _factory!.Services;
    public string DatabasePath => Path.Combine(_folder, "omo.db");

    // WebApplicationFactory intercepts the entry point's host through process-wide hooks: two servers built at the
    // same moment (tests of different collections run in parallel) can swap their Kestrel settings. Build one at a time.
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public async Task InitializeAsync()
    {
        await OneAtATime.WaitAsync();
        try { Start(); }
        finally { OneAtATime.Release(); }
    }

    private void Start()
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Development");
            b.UseSetting("ConnectionStrings:Omo", $"Data Source={DatabasePath}");
            b.UseSetting("Demo:Members", "300");
            // A free loopback port chosen here: UseKestrel(0) fell back to :5000, so two live servers collided.
            b.UseSetting("urls", $"http://127.0.0.1:{FreePort()}");
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) b.UseSetting(key, value);
        });
        _factory.UseKestrel();
        _factory.StartServer();
        BaseUrl = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("localhost", "127.0.0.1");
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (_ownsFolder) try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    /// <summary>A loopback port nobody listens on at this moment.</summary>
    public static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    /// <summary>An HTTP client that presents <paramref name="apiKey"/>.</summary>
    public HttpClient ClientWithKey(string apiKey)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }
}

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
    public static async Task<IPage> OpenAsync(IBrowser browser, string url, string staffCode = "A001")
    {
        var page = await browser.NewPageAsync(Tablet);
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

/// <summary>One app server and one browser shared by the end-to-end tests of a collection.</summary>
public sealed class EndToEndFixture : IAsyncLifetime
{
    public AppServer App { get; } = new();
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        (Playwright, Browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await App.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<EndToEndFixture>
{
    public const string Name = "end-to-end";
}

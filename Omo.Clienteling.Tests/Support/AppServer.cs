using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Omo.Clienteling.Data;
using Omo.Clienteling.LocalServers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Omo.Clienteling.Tests.Support;

/// <summary>
/// The real app on a real Kestrel port on 127.0.0.1, over a database of its own on either provider (seeded with the
/// demo dataset on start, as a fresh install is), or over a <see cref="TestDatabase"/> the test owns and hands to several
/// servers in turn (restart tests) or at once (several servers on one PostgreSQL database).
/// </summary>
public class AppServer(DatabaseProvider provider = DatabaseProvider.Sqlite, IReadOnlyDictionary<string, string?>? settings = null, TestDatabase? database = null)
    : IAsyncLifetime, IAsyncDisposable
{
    private readonly bool _ownsDatabase = database is null;
    private TestDatabase? _database = database;
    private WebApplicationFactory<Program>? _factory;

    public AppServer() : this(DatabaseProvider.Sqlite) { }

    public DatabaseProvider Provider => provider;
    public string BaseUrl { get; private set; } = "";
    public HttpClient Http { get; private set; } = null!;
    public IServiceProvider Services => _factory!.Services;
    public TestDatabase Database => _database!;

    // WebApplicationFactory intercepts the entry point's host through process-wide hooks: two servers built at the
    // same moment (tests of different collections run in parallel) can swap their Kestrel settings. Build one at a time.
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public async Task InitializeAsync()
    {
        _database ??= await TestDatabase.CreateAsync(provider, migrate: false);
        await OneAtATime.WaitAsync();
        try { Start(); }
        finally { OneAtATime.Release(); }
    }

    private void Start()
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Development");
            b.UseSetting("Database:Provider", provider.ToString());
            b.UseSetting("ConnectionStrings:Omo", _database!.ConnectionString);
            b.UseSetting("Demo:Members", "300");
            // A free loopback port chosen here: UseKestrel(0) fell back to :5000, so two live servers collided.
            b.UseSetting("urls", $"http://127.0.0.1:{FreePort.Next()}");
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
        if (_ownsDatabase && _database is not null) await _database.DisposeAsync();
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    /// <summary>An HTTP client that presents <paramref name="apiKey"/>.</summary>
    public HttpClient ClientWithKey(string apiKey)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    /// <summary>A connection to the server's database, for tests that look underneath.</summary>
    public Task<System.Data.Common.DbConnection> OpenAsync() => Services.GetRequiredService<Omo.Clienteling.Data.OmoDatabase>().OpenAsync();
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

/// <summary>One browser for the whole run: Chromium starts once, and every fixture opens its own pages in it.</summary>
public static class SharedBrowser
{
    private static Task<(IPlaywright, IBrowser)>? _browser;

    public static async Task<IBrowser> GetAsync()
    {
        Task<(IPlaywright, IBrowser)> launching;
        lock (typeof(SharedBrowser)) launching = _browser ??= Chromium.LaunchAsync();
        return (await launching).Item2;
    }
}

/// <summary>One app server (on one provider) and the shared browser, for the end-to-end tests of a collection.</summary>
public abstract class EndToEndFixture(DatabaseProvider provider) : IAsyncLifetime
{
    public AppServer App { get; } = new(provider);
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        Browser = await SharedBrowser.GetAsync();
    }

    public Task DisposeAsync() => App.DisposeAsync();

    public sealed class OnSqlite() : EndToEndFixture(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : EndToEndFixture(DatabaseProvider.Postgres);
}

[CollectionDefinition(Name)]
public sealed class EndToEndOnSqlite : ICollectionFixture<EndToEndFixture.OnSqlite>
{
    public const string Name = "end-to-end on SQLite";
}

[CollectionDefinition(Name)]
public sealed class EndToEndOnPostgres : ICollectionFixture<EndToEndFixture.OnPostgres>
{
    public const string Name = "end-to-end on PostgreSQL";
}

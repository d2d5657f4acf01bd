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
public class AppServer(DatabaseProvider provider = DatabaseProvider.Sqlite, IReadOnlyDictionary<string, string?>? settings = null, TestDatabase? database = null,
    TimeProvider? clock = null)
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
            // The app's own clock, for tests that let days pass (the last registration is the one resolved).
            if (clock is not null) b.ConfigureServices(s => s.AddSingleton(clock));
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

using Omo.Clienteling.LocalServers;

namespace Omo.Clienteling.Tests.Support;

/// <summary>
/// A chain's deployment in miniature: two app servers on one PostgreSQL database and one Redis backplane, behind
/// nginx with sticky sessions. Server A starts first (it migrates and seeds the demo); B finds the database ready.
/// </summary>
public sealed class TwoServers : IAsyncLifetime
{
    private readonly RedisServer _redis = new();

    public TestDatabase Database { get; private set; } = null!;
    public AppServer A { get; private set; } = null!;
    public AppServer B { get; private set; } = null!;
    public NginxServer Nginx { get; } = new();

    public async Task InitializeAsync()
    {
        await _redis.StartAsync();
        Database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres, migrate: false);
        var settings = new Dictionary<string, string?> { ["SignalR:Redis"] = _redis.Configuration };
        A = new AppServer(DatabaseProvider.Postgres, settings, Database);
        B = new AppServer(DatabaseProvider.Postgres, settings, Database);
        await A.InitializeAsync();
        await B.InitializeAsync();
        await Nginx.StartAsync([new Uri(A.BaseUrl).Authority, new Uri(B.BaseUrl).Authority]);
    }

    public async Task DisposeAsync()
    {
        await Nginx.DisposeAsync();
        await A.DisposeAsync();
        await B.DisposeAsync();
        await Database.DisposeAsync();
        await _redis.DisposeAsync();
    }
}

using Microsoft.Extensions.DependencyInjection;
using Omo.Clienteling.Data;
using Omo.Clienteling.Demo;
using Omo.Clienteling.Ingestion;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.Demo;

public abstract class SimulatorServer(DatabaseProvider provider) : AppServer(provider, new Dictionary<string, string?>
{
    ["ApiKeys:Keys:1:System"] = "board-s04",
    ["ApiKeys:Keys:1:KeySha256"] = ApiKeyOptions.Hash("board-s04-key"),
    ["ApiKeys:Keys:1:Permissions:0"] = "checkins:read",
    ["ApiKeys:Keys:1:Stores:0"] = "S04",
})
{
    public sealed class OnSqlite() : SimulatorServer(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : SimulatorServer(DatabaseProvider.Postgres);
}

public abstract class SimulatorTests(SimulatorServer app)
{
    [Fact]
    public async Task The_simulator_at_five_per_second_raises_one_alert_per_check_in_for_its_store()
    {
        await using var board = await CheckInListener.ConnectAsync(app.BaseUrl, "board-s04-key");
        var simulator = app.Services.GetRequiredService<ShopFloorSimulator>();

        var started = System.Diagnostics.Stopwatch.StartNew();
        await simulator.StartAsync("S04", TimeSpan.FromMilliseconds(200));
        // Until ten have gone out (a busy machine may take longer than two seconds; the pace is checked below).
        for (var wait = 0; wait < 300 && simulator.StatusOf("S04")!.CheckIns < 10; wait++) await Task.Delay(50);
        var sent = (await simulator.StopAsync("S04"))!;
        var elapsed = started.Elapsed;

        Assert.Null(sent.LastProblem);
        Assert.InRange(sent.CheckIns, 10, 12);
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(200 * (sent.CheckIns - 2)), $"{sent.CheckIns} check-ins in {elapsed}: faster than five a second");
        Assert.Equal(sent.CheckIns, sent.OnlineEvents);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (board.Alerts.Count < sent.CheckIns && DateTime.UtcNow < deadline) await Task.Delay(50);
        await Task.Delay(300); // nothing more is on its way
        Assert.Equal(sent.CheckIns, board.Alerts.Count);
        Assert.All(board.Alerts, a => Assert.Equal("S04", a.StoreId));
        Assert.Equal(sent.CheckIns, board.Alerts.Select(a => a.MemberNo).Distinct().Count());
    }

    public sealed class OnSqlite(SimulatorServer.OnSqlite app) : SimulatorTests(app), IClassFixture<SimulatorServer.OnSqlite>;

    public sealed class OnPostgres(SimulatorServer.OnPostgres app) : SimulatorTests(app), IClassFixture<SimulatorServer.OnPostgres>;
}

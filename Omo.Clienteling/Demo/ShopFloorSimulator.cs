using System.Collections.Concurrent;
using Dapper;
using Microsoft.Extensions.Options;
using Omo.Clienteling.CheckIns;
using Omo.Clienteling.Data;

namespace Omo.Clienteling.Demo;

/// <summary>
/// Fills a store with demo traffic for a class: at a steady pace, a demo member checks in (app or beacon) and another
/// browses online. Everything goes through the events API, so the board fills through the hub like on a real day.
/// </summary>
public sealed class ShopFloorSimulator(
    DemoEventSender sender, DemoDataset dataset, OmoDatabase database, IOptions<CheckInOptions> checkIns, TimeProvider clock, ILogger<ShopFloorSimulator> logger)
    : IHostedService
{
    /// <summary>The paces a trainer picks from: a quiet weekday to a Saturday rush.</summary>
    public static readonly IReadOnlyList<TimeSpan> Paces = [TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(200)];

    public sealed record Status(string StoreId, TimeSpan Every, int CheckIns, int OnlineEvents, string? LastProblem);

    private sealed class Run(string storeId, TimeSpan every)
    {
        public readonly CancellationTokenSource Stop = new();
        public Status Status = new(storeId, every, 0, 0, null);
        public Task Loop = Task.CompletedTask;
    }

    private readonly ConcurrentDictionary<string, Run> _runs = new();
    private readonly Random _random = new();

    /// <summary>Raised after each tick and on start and stop, for the trainer page's counters.</summary>
    public event Action? Changed;

    public Status? StatusOf(string storeId) => _runs.TryGetValue(storeId, out var run) ? run.Status : null;

    /// <summary>Starts (or restarts at a new pace) the store's stream of demo traffic.</summary>
    public async Task StartAsync(string storeId, TimeSpan every)
    {
        if (!dataset.IsDemo) throw new InvalidOperationException("The simulator only runs on the demo dataset.");
        if (every < TimeSpan.FromMilliseconds(100)) throw new ArgumentOutOfRangeException(nameof(every), "At most ten check-ins a second.");
        await StopAsync(storeId);
        var run = new Run(storeId, every);
        if (!_runs.TryAdd(storeId, run)) return;
        run.Loop = Task.Run(() => LoopAsync(run));
        Changed?.Invoke();
    }

    /// <summary>Stops the store's run; returns what it sent, or null if none was running.</summary>
    public async Task<Status?> StopAsync(string storeId)
    {
        if (!_runs.TryRemove(storeId, out var run)) return null;
        await run.Stop.CancelAsync();
        await run.Loop;
        Changed?.Invoke();
        return run.Status;
    }

    private async Task LoopAsync(Run run)
    {
        var store = run.Status.StoreId;
        while (!run.Stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(run.Status.Every, clock, run.Stop.Token);
                var (arriving, browsing, sku) = await PickAsync();
                var sent = await sender.SendAsync(
                [
                    sender.CheckIn(arriving, store, _random.Next(2) == 0 ? "app" : "beacon"),
                    sender.ProductViewed(browsing, sku, _random.Next(2) == 0 ? "ec" : "app", _random.Next(5, 120)),
                ], CancellationToken.None); // a stop waits for a tick under way: what the API accepted is counted
                run.Status = run.Status with
                {
                    CheckIns = run.Status.CheckIns + 1, OnlineEvents = run.Status.OnlineEvents + 1,
                    LastProblem = sent.Rejected.FirstOrDefault() ?? run.Status.LastProblem,
                };
            }
            catch (OperationCanceledException) { break; }
            catch (Exception e)
            {
                logger.LogWarning(e, "Simulator tick for {Store} failed", store);
                run.Status = run.Status with { LastProblem = e.Message };
            }
            Changed?.Invoke();
        }
    }

    /// <summary>
    /// A demo member who is not in a shop right now (so each check-in starts a visit and raises one alert), another
    /// member who browses, and what they look at. The ten personas are left alone for the trainer's own scenarios.
    /// </summary>
    private async Task<(object Arriving, object Browsing, string Sku)> PickAsync()
    {
        await using var c = await database.OpenAsync();
        var since = clock.GetUtcNow() - checkIns.Value.VisitWindow;
        var arriving = await c.QueryFirstAsync<(string Kind, string Value)>("""
            SELECT i.kind, i.value FROM member_identifiers i
            WHERE i.status = 'active' AND i.kind IN ('point_card', 'app_member') AND i.member_id > @personas
              AND NOT EXISTS (SELECT 1 FROM check_ins c WHERE c.member_id = i.member_id AND c.last_seen_at >= @since)
            ORDER BY random() LIMIT 1
            """, new { personas = DemoPersonas.All.Count, since });
        var browsing = await c.QueryFirstAsync<(string Kind, string Value)>("""
            SELECT kind, value FROM member_identifiers WHERE status = 'active' AND kind = 'ec_account' AND member_id > @personas ORDER BY random() LIMIT 1
            """, new { personas = DemoPersonas.All.Count });
        var sku = await c.QueryFirstAsync<string>("SELECT sku FROM skus ORDER BY random() LIMIT 1");
        return (DemoEventSender.Identifier(arriving.Kind, arriving.Value), DemoEventSender.Identifier(browsing.Kind, browsing.Value), sku);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var store in _runs.Keys.ToList()) await StopAsync(store);
    }
}

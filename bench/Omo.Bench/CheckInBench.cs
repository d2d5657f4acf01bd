using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Dapper;
using Microsoft.AspNetCore.SignalR.Client;
using Omo.Clienteling.CheckIns;
using Omo.Clienteling.Ingestion;

namespace Omo.Clienteling.Bench;

/// <summary>
/// Live check-ins: from the events API call to receipt of the alert by 100 hub clients of the store (the real SignalR
/// client, the real app on a loopback port), and how many check-ins a second the server turns into alerts.
/// </summary>
public sealed class CheckInBench : IBenchSection
{
    private const int Clients = 100;
    private const string BoardKey = "bench-board-key";

    public string Name => "checkins";

    public async Task RunAsync(BenchOptions options, DatasetBench dataset, Report report)
    {
        (string Card, long MemberId)[] members;
        await using (var connection = await dataset.Database.OpenAsync())
            members = (await connection.QueryAsync<(string, long)>("""
                SELECT value, member_id FROM member_identifiers WHERE kind = 'point_card' AND status = 'active' ORDER BY random() LIMIT 6000
                """)).ToArray();
        await using var server = await BenchServer.StartAsync(dataset, new Dictionary<string, string?>
        {
            ["ApiKeys:Keys:1:System"] = "bench-board",
            ["ApiKeys:Keys:1:KeySha256"] = ApiKeyOptions.Hash(BoardKey),
            ["ApiKeys:Keys:1:Permissions:0"] = "checkins:read",
            ["ApiKeys:Keys:1:Stores:0"] = "S01",
        });
        var received = new ConcurrentDictionary<string, ConcurrentBag<long>>();
        var connections = new List<HubConnection>();
        for (var i = 0; i < Clients; i++)
        {
            var connection = new HubConnectionBuilder().WithUrl(server.BaseUrl + CheckInHub.Path, o => o.AccessTokenProvider = () => Task.FromResult<string?>(BoardKey)).Build();
            connection.On<CheckInAlert>(nameof(ICheckInClient.CheckedIn), a => received.GetOrAdd(a.MemberNo, _ => []).Add(Stopwatch.GetTimestamp()));
            await connection.StartAsync();
            connections.Add(connection);
        }
        using var app = server.Client();
        var next = 0;

        // Latency: one check-in at a time, each timed from just before the API call to each client's receipt.
        var latencies = new List<double>();
        for (var i = 0; i < 220; i++)
        {
            var (card, memberId) = members[next++];
            var memberNo = memberId.ToString("D10");
            var start = Stopwatch.GetTimestamp();
            (await app.PostAsJsonAsync("/api/v1/events", new[] { CheckIn(card, $"lat-{i}") })).EnsureSuccessStatusCode();
            await AllReceived(received, [memberNo], Clients);
            if (i >= 20) latencies.AddRange(received[memberNo].Select(t => Stopwatch.GetElapsedTime(start, t).TotalMilliseconds)); // the first 20 warm up
            await Task.Delay(10);
        }
        report.AddLatencies("checkins", $"API call → alert received by each of {Clients} hub clients ({latencies.Count / Clients} check-ins)", latencies, "p99 ≤ 40 ms");

        // Throughput: 4 senders post batches of 100 check-ins of different members; counted until every client has every alert.
        const int total = 4000;
        var batch = members.Skip(next).Take(total).ToArray();
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async sender =>
        {
            for (var b = sender * 100; b < total; b += 400)
                (await app.PostAsJsonAsync("/api/v1/events", batch.Skip(b).Take(100).Select((m, k) => CheckIn(m.Card, $"thr-{b + k}")).ToArray())).EnsureSuccessStatusCode();
        }));
        var accepted = watch.Elapsed;
        await AllReceived(received, batch.Select(m => m.MemberId.ToString("D10")).ToList(), Clients, TimeSpan.FromMinutes(5));
        report.Add("checkins", $"check-ins turned into alerts and delivered to {Clients} clients",
            $"{Report.Number(total / watch.Elapsed.TotalSeconds)} check-ins/s ({Report.Number(total)} in {watch.Elapsed.TotalSeconds:F1} s; API accepted them in {accepted.TotalSeconds:F1} s)");
        foreach (var connection in connections) await connection.DisposeAsync();
    }

    private static object CheckIn(string card, string id) => new
    {
        eventId = $"bench-checkin-{Guid.NewGuid():N}-{id}", type = "store_checked_in",
        occurredAt = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-ddTHH:mm:ss.fffzzz"),
        identity = new { kind = "point_card", value = card }, storeId = "S01", data = new { source = "beacon" },
    };

    private static async Task AllReceived(ConcurrentDictionary<string, ConcurrentBag<long>> received, IReadOnlyList<string> memberNos, int clients, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)((timeout ?? TimeSpan.FromSeconds(10)).TotalSeconds * Stopwatch.Frequency);
        while (!memberNos.All(m => received.TryGetValue(m, out var bag) && bag.Count >= clients))
        {
            if (Stopwatch.GetTimestamp() > deadline) throw new TimeoutException("Alerts did not reach every client.");
            await Task.Delay(1);
        }
    }
}

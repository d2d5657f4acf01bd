using System.Diagnostics;
using System.Net.Http.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Omo.Clienteling.Tests.Support;
using Omo.Clienteling.Webhooks;

namespace Omo.Clienteling.Bench;

/// <summary>
/// The outbox against a receiver on a loopback port (a small Kestrel app): how long a check-in takes to reach the
/// retailer's system as <c>member.checked_in</c>, one arrival at a time, and how many messages a second one server
/// delivers when a backlog is released (a receiver that was down comes back).
/// </summary>
public sealed class WebhookBench : IBenchSection
{
    private const int Arrivals = 1000, Backlog = 5000, Batch = 500;

    public string Name => "webhooks";

    public async Task RunAsync(BenchOptions options, DatasetBench dataset, Report report)
    {
        string[] cards;
        await using (var connection = await dataset.Database.OpenAsync())
            cards = (await connection.QueryAsync<string>($"""
                SELECT i.value FROM member_identifiers i JOIN members m ON m.member_id = i.member_id
                WHERE i.kind = 'point_card' AND i.status = 'active' AND m.consent_marketing = TRUE ORDER BY random() LIMIT {Arrivals + Backlog}
                """)).ToArray();
        await using var receiver = await new WebhookReceiver().StartAsync();
        await using var server = await BenchServer.StartAsync(dataset, new Dictionary<string, string?>
        {
            ["Webhooks:Subscriptions:0:Url"] = receiver.Url("bench"),
            ["Webhooks:Subscriptions:0:Secret"] = WebhookSignature.NewSecret(),
            ["Webhooks:Subscriptions:0:Types:0"] = WebhookTopics.MemberCheckedIn,
        });
        using var app = server.Client();

        // Delay: one arrival at a time, from just before the API call to the receiver's receipt.
        var sentAt = new Dictionary<string, DateTimeOffset>();
        for (var i = 0; i < Arrivals; i++)
        {
            var memberNo = cards[i][2..12];
            sentAt[memberNo] = DateTimeOffset.UtcNow;
            (await app.PostAsJsonAsync("/api/v1/events", new[] { CheckIn(cards[i], $"wh-{i}") })).EnsureSuccessStatusCode();
            await receiver.WaitForAsync(r => r.Count > i, TimeSpan.FromSeconds(10), $"arrival {i}");
        }
        var delays = receiver.Received.Select(w => (w.At - sentAt[w.Data.GetProperty("memberNo").GetString()!]).TotalMilliseconds).Skip(20).ToList();
        report.AddLatencies("webhooks", $"check-in API call → member.checked_in at the receiver ({delays.Count} arrivals after 20)", delays);

        // Throughput: the subscription paused while a Saturday's arrivals pile up, then resumed.
        var subscriptions = server.Services.GetRequiredService<WebhookSubscriptions>();
        var id = (await subscriptions.AllAsync()).Single().SubscriptionId;
        await subscriptions.SetActiveAsync(id, active: false, "bench");
        foreach (var chunk in cards.Skip(Arrivals).Select((card, i) => CheckIn(card, $"backlog-{i}")).Chunk(Batch))
            (await app.PostAsJsonAsync("/api/v1/events", chunk)).EnsureSuccessStatusCode();
        var before = receiver.Received.Count;
        var watch = Stopwatch.StartNew();
        await subscriptions.SetActiveAsync(id, active: true, "bench");
        await receiver.WaitForAsync(r => r.Count >= before + Backlog, TimeSpan.FromMinutes(5), "the backlog");
        report.Add("webhooks", $"backlog of {Backlog:N0} messages delivered by one server (Concurrency 8)",
            $"{Report.Number(Backlog / watch.Elapsed.TotalSeconds)} messages/s ({watch.Elapsed.TotalSeconds:F1} s)");
    }

    private static object CheckIn(string card, string id) => new
    {
        eventId = $"bench-{id}-{Guid.NewGuid():N}", type = "store_checked_in",
        occurredAt = DateTimeOffset.UtcNow.AddSeconds(-1).ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-ddTHH:mm:ss.fffzzz"),
        identity = new { kind = "point_card", value = card }, storeId = "S01", data = new { source = "beacon" },
    };
}

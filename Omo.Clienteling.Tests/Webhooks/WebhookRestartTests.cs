using Dapper;
using Omo.Clienteling.Data;
using Omo.Clienteling.Ingestion;
using Omo.Clienteling.Tests.Support;
using Omo.Clienteling.Webhooks;
using static Omo.Clienteling.Tests.Support.Events;

namespace Omo.Clienteling.Tests.Webhooks;

/// <summary>
/// Nothing accepted is lost: a message committed by a server that stops before sending it, or that dies while the
/// receiver is still answering, is delivered by the next server to start, with the same webhook-id and body. And two
/// servers on one database share the outbox without sending a message twice.
/// </summary>
public sealed class WebhookRestartTests
{
    private static Dictionary<string, string?> Settings(WebhookReceiver receiver, bool send)
    {
        var settings = WebhookFixture.Settings(receiver);
        settings["Webhooks:Send"] = send ? "true" : "false";
        return settings;
    }

    private static async Task<string> CheckInNewMemberAsync(AppServer app, string store = "S01")
    {
        using var api = app.ClientWithKey(ApiKeyOptions.DemoKey);
        var id = NewMemberId();
        var (_, body) = await PostAsync(api, NewMember(id), Event("store_checked_in", Card(CardOf(id)), new { source = "beacon" }, storeId: store));
        Assert.Equal(2, body.GetProperty("accepted").GetInt32());
        return id.ToString("D10");
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_message_committed_before_a_stop_or_a_crash_mid_send_is_delivered_after_the_restart_exactly_as_written(DatabaseProvider provider)
    {
        await using var receiver = await new WebhookReceiver().StartAsync();
        await using var db = await TestDatabase.CreateAsync(provider, migrate: false);

        // A server that commits and stops before it sends (as if it crashed right after the commit).
        string stopped;
        (string Id, string Body) written;
        await using (var first = new AppServer(provider, Settings(receiver, send: false), db))
        {
            await first.InitializeAsync();
            stopped = await CheckInNewMemberAsync(first);
            await using var c = await first.OpenAsync();
            written = await c.QuerySingleAsync<(string, string)>("SELECT message_id, body FROM webhook_messages WHERE body LIKE @like", new { like = $"%{stopped}%" });
        }
        Assert.Empty(receiver.Received);

        // The next server sends it, and then takes a message whose receiver hangs: it dies with the request in flight.
        string midSend;
        await using (var second = new AppServer(provider, Settings(receiver, send: true), db))
        {
            await second.InitializeAsync();
            var first = (await receiver.WaitForAsync(r => r.Any(w => w.Id == written.Id), what: "the stopped server's message")).First(w => w.Id == written.Id);
            Assert.Equal(written.Body, first.Body);
            Assert.True(WebhookSignature.Verify(WebhookFixture.Secret, first.Id, first.Timestamp, first.Body, first.Signature));
            receiver.Hang(WebhookFixture.Everything, TimeSpan.FromSeconds(20));
            midSend = await CheckInNewMemberAsync(second);
            await receiver.WaitForAsync(r => r.Count(w => w.Body.Contains(midSend)) == 1, what: "the attempt that hangs");
        }

        // A third server, once the dead one's lease has run out, sends it again: same id, same body.
        await using (var third = new AppServer(provider, Settings(receiver, send: true), db))
        {
            await third.InitializeAsync();
            var attempts = (await receiver.WaitForAsync(r => r.Count(w => w.Body.Contains(midSend)) == 2, TimeSpan.FromSeconds(30), "the retry after the crash"))
                .Where(w => w.Body.Contains(midSend)).ToList();
            Assert.Single(attempts.Select(a => a.Id).Distinct());
            Assert.Single(attempts.Select(a => a.Body).Distinct());
            await using var c = await third.OpenAsync();
            await Eventually.EqualAsync("delivered", async () => await c.ExecuteScalarAsync<string>(
                "SELECT status FROM webhook_deliveries WHERE message_id = @Id", new { attempts[0].Id }));
        }
        Assert.Single(receiver.Received, w => w.Id == written.Id);
    }

    [Fact]
    public async Task Two_servers_on_one_database_deliver_every_message_once()
    {
        await using var receiver = await new WebhookReceiver().StartAsync();
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Postgres, migrate: false);
        await using var a = new AppServer(DatabaseProvider.Postgres, Settings(receiver, send: true), db);
        await using var b = new AppServer(DatabaseProvider.Postgres, Settings(receiver, send: true), db);
        await a.InitializeAsync();
        await b.InitializeAsync();

        const int Arrivals = 40;
        var members = await Task.WhenAll(Enumerable.Range(0, Arrivals).Select(i => CheckInNewMemberAsync(i % 2 == 0 ? a : b, i % 3 == 0 ? "S02" : "S01")));
        var received = await receiver.WaitForAsync(r => members.All(m => r.Any(w => w.Body.Contains(m))), TimeSpan.FromSeconds(30), "every arrival");
        await Task.Delay(500);
        received = receiver.Received.ToList();

        Assert.Equal(Arrivals, received.Count);
        Assert.Equal(Arrivals, received.Select(w => w.Id).Distinct().Count());
        await using var c = await a.OpenAsync();
        Assert.Equal(Arrivals, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'delivered'"));
    }
}

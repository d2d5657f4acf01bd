using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Omo.Clienteling.Catalog;
using Omo.Clienteling.Demo;
using Omo.Clienteling.Ingestion;
using Omo.Clienteling.LocalServers;
using Omo.Clienteling.Members;
using Omo.Clienteling.Staff;
using static Omo.Clienteling.Tests.Support.Events;

namespace Omo.Clienteling.Tests.CheckIns;

/// <summary>Two app servers on one PostgreSQL database and one Redis behave as one (API level; the browser test is in EndToEnd).</summary>
public class ScaleOutTests(TwoServers servers) : IClassFixture<TwoServers>
{
    [Fact]
    public async Task A_check_in_posted_to_server_A_reaches_a_board_connected_to_server_B()
    {
        await using var onB = await CheckInListener.ConnectAsync(servers.B.BaseUrl, ApiKeyOptions.DemoKey);
        using var posA = servers.A.ClientWithKey(ApiKeyOptions.DemoKey);

        var (_, body) = await PostAsync(posA, Event("store_checked_in", Identity("app_member", "0000000008"), new { source = "beacon" }, storeId: "S03"));
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());

        var alert = await onB.AlertFor("0000000008");
        Assert.Equal(("S03", "beacon"), (alert.StoreId, alert.Source));
    }

    [Fact]
    public async Task A_note_written_on_A_is_on_Bs_profile_and_a_sign_in_made_by_A_is_accepted_by_B()
    {
        await servers.A.Services.GetRequiredService<StaffNotes>().AddAsync(6, "A001", "S01", "ポイントの期限をお伝えした");
        using var onB = servers.B.ClientWithKey(ApiKeyOptions.DemoKey);
        var profile = await ProfileAsync(onB, "0000000006");
        Assert.Contains(profile.GetProperty("notes").EnumerateArray(), n => n.GetProperty("body").GetString() == "ポイントの期限をお伝えした");

        // The cookie (and its Data Protection key ring) is shared through the database.
        var (_, cookies) = await StaffSession.SignInAsync(servers.A, "A001");
        var cookie = cookies.GetCookies(new Uri(servers.A.BaseUrl))["omo.staff"]!;
        using var onBWithACookie = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(servers.B.BaseUrl) };
        onBWithACookie.DefaultRequestHeaders.Add("Cookie", $"omo.staff={cookie.Value}");
        Assert.Equal(HttpStatusCode.OK, (await onBWithACookie.GetAsync("/members/0000000006")).StatusCode);
    }

    [Fact]
    public async Task Four_senders_split_across_both_servers_write_every_event_exactly_once()
    {
        var ids = Enumerable.Range(0, 4).Select(_ => NewMemberId()).ToArray();
        using var setup = servers.A.ClientWithKey(ApiKeyOptions.DemoKey);
        await PostAsync(setup, ids.Select(id => (object)NewMember(id)).ToArray());
        string sku;
        await using (var c = await servers.A.OpenAsync()) sku = await c.QueryFirstAsync<string>("SELECT sku FROM skus ORDER BY sku LIMIT 1");

        // Each sender's batches (views and carts of its member, 8 batches of 50) go to both servers at once, twice over:
        // a retrying sender and a load balancer that sent the same request to two servers.
        var batches = ids.SelectMany((id, sender) => Enumerable.Range(0, 8).Select(b => Enumerable.Range(0, 50).Select(i => (object)(i % 5 == 0
            ? Event("cart_item_added", Card(CardOf(id)), new { sku, quantity = 1 }, eventId: $"split-{id}-{b}-{i}")
            : Event("product_viewed", Card(CardOf(id)), new { sku, channel = "ec", seconds = i }, eventId: $"split-{id}-{b}-{i}"))).ToArray())).ToList();
        var answers = await Task.WhenAll(batches.SelectMany(batch => new[] { servers.A, servers.B, servers.B, servers.A }.Select(async server =>
        {
            using var client = server.ClientWithKey(ApiKeyOptions.DemoKey);
            var response = await client.PostAsJsonAsync("/api/v1/events", batch);
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        })));

        Assert.Equal(batches.Sum(b => b.Length), answers.Sum(a => a.GetProperty("accepted").GetInt32()));
        Assert.Equal(3 * batches.Sum(b => b.Length), answers.Sum(a => a.GetProperty("duplicates").GetInt32()));
        await using var connection = await servers.B.OpenAsync();
        foreach (var id in ids)
        {
            Assert.Equal(8 * 40, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM product_views WHERE member_id = @id", new { id }));
            Assert.Equal(8 * 10, await connection.ExecuteScalarAsync<long>("SELECT quantity FROM cart_lines WHERE member_id = @id", new { id }));
        }
    }

    [Fact]
    public async Task What_one_server_keeps_in_memory_follows_a_change_made_on_the_other()
    {
        var storesOnB = servers.B.Services.GetRequiredService<StoreDirectory>();
        Assert.Equal("吉祥寺店", storesOnB.Find("S05")!.NameJa);

        // Another server changes the store list (here by hand, with the version bump every such change makes).
        await servers.A.Services.GetRequiredService<OmoDatabase>().InTransactionAsync(async (c, t) =>
        {
            await c.ExecuteAsync("UPDATE stores SET name_ja = '吉祥寺パルコ店' WHERE store_id = 'S05'", transaction: t);
            await DataVersions.ChangedAsync(c, t, DataVersions.Dataset);
        });
        await Eventually(() => storesOnB.Find("S05")!.NameJa == "吉祥寺パルコ店");

        // A demo reset on A puts it back, on B too.
        await servers.A.Services.GetRequiredService<DemoDataService>().ResetAsync(new StaffMember("T001", "遠藤 由紀", StaffRoles.Trainer, "S01"));
        await Eventually(() => storesOnB.Find("S05")!.NameJa == "吉祥寺店");
        Assert.True(servers.B.Services.GetRequiredService<DemoDataset>().IsDemo);
    }

    [Fact]
    public async Task Both_servers_report_live_and_ready_for_the_load_balancer()
    {
        foreach (var server in new[] { servers.A, servers.B })
        {
            Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/health/live")).StatusCode);
            var ready = await server.Http.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
        using var through = new HttpClient { BaseAddress = new Uri(servers.Nginx.BaseUrl) };
        Assert.Equal(HttpStatusCode.OK, (await through.GetAsync("/health/ready")).StatusCode);
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The other server did not catch up within 15 s.");
            await Task.Delay(100);
        }
    }
}

/// <summary>A server whose backplane is gone is not ready: the load balancer takes it out of rotation.</summary>
public class ReadinessTests
{
    [Fact]
    public async Task A_server_whose_redis_does_not_answer_is_live_but_not_ready()
    {
        await using var app = new AppServer(DatabaseProvider.Sqlite, new Dictionary<string, string?> { ["SignalR:Redis"] = $"127.0.0.1:{FreePort.Next()}" });
        await app.InitializeAsync();
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync("/health/live")).StatusCode);
        var ready = await app.Http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
    }
}

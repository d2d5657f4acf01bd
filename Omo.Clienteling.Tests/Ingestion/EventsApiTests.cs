using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Omo.Clienteling.Data;
using Omo.Clienteling.Ingestion;
using Omo.Clienteling.Tests.Support;
using static Omo.Clienteling.Tests.Support.Events;

namespace Omo.Clienteling.Tests.Ingestion;

/// <summary>The events API's own server: these tests write, so they do not share the read-only end-to-end server.</summary>
public abstract class EventsServer(DatabaseProvider provider) : AppServer(provider, new Dictionary<string, string?>
{
    // A POS key limited to sales in its own shop, and a key with a tiny rate limit, beside the Development demo key.
    ["ApiKeys:Keys:1:System"] = "pos-test",
    ["ApiKeys:Keys:1:KeySha256"] = ApiKeyOptions.Hash("pos-test-key"),
    ["ApiKeys:Keys:1:Permissions:0"] = "events:write",
    ["ApiKeys:Keys:1:EventTypes:0"] = "pos_sale",
    ["ApiKeys:Keys:1:EventTypes:1"] = "order_placed",
    ["ApiKeys:Keys:1:Stores:0"] = "S01",
    ["ApiKeys:Keys:2:System"] = "limited",
    ["ApiKeys:Keys:2:KeySha256"] = ApiKeyOptions.Hash("limited-key"),
    ["ApiKeys:Keys:2:Permissions:0"] = "events:write",
    ["ApiKeys:Keys:2:RequestsPerSecond"] = "1",
    ["ApiKeys:Keys:2:Burst"] = "2",
    ["ApiKeys:Keys:3:System"] = "reader",
    ["ApiKeys:Keys:3:KeySha256"] = ApiKeyOptions.Hash("reader-key"),
    ["ApiKeys:Keys:3:Permissions:0"] = "profiles:read",
    ["Ingestion:MaxBodyBytes"] = "200000",
})
{
    public sealed class OnSqlite() : EventsServer(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : EventsServer(DatabaseProvider.Postgres);
}

public abstract class EventsApiTests(EventsServer server)
{
    private readonly HttpClient _demo = server.ClientWithKey(ApiKeyOptions.DemoKey);

    private async Task<string[]> Skus(string prefix, int count)
    {
        await using var connection = await server.OpenAsync();
        return (await connection.QueryAsync<string>("SELECT sku FROM skus WHERE sku LIKE @p ORDER BY sku LIMIT @count", new { p = prefix + "%", count })).ToArray();
    }

    private async Task<long> NewMemberAsync(bool consentOnline = true)
    {
        var id = NewMemberId();
        var (response, body) = await PostAsync(_demo, NewMember(id, consentOnline));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        return id;
    }

    [Fact]
    public async Task Every_event_type_changes_what_the_profile_shows()
    {
        var id = await NewMemberAsync();
        var card = Card(CardOf(id));
        var (dress, tee, scarf) = ((await Skus("DR-0002-M", 1))[0], (await Skus("TS-0003-M", 1))[0], (await Skus("SC-0001", 1))[0]);
        var ec = $"EC-{id}";
        var now = DateTimeOffset.UtcNow;
        var (response, body) = await PostAsync(_demo,
            Event("identity_linked", card, new { identity = Identity("ec_account", ec) }),
            Event("product_viewed", Identity("ec_account", ec), new { sku = dress, channel = "ec", seconds = 40 }, at: now.AddMinutes(-50)),
            Event("product_viewed", card, new { sku = dress, channel = "app", seconds = 20 }, at: now.AddMinutes(-49)),
            Event("page_viewed", card, new { page = "store_reservation", channel = "app" }, at: now.AddMinutes(-48)),
            Event("cart_item_added", card, new { sku = dress, quantity = 1 }, at: now.AddMinutes(-47)),
            Event("cart_item_added", card, new { sku = tee, quantity = 2 }, at: now.AddMinutes(-46)),
            Event("cart_item_removed", card, new { sku = tee, quantity = 2 }, at: now.AddMinutes(-45)),
            Event("wishlist_item_added", card, new { sku = scarf }, at: now.AddMinutes(-44)),
            Event("order_placed", card, new
            {
                orderId = $"ORD-{id}", channel = "ec", fulfilment = "click_and_collect", pickupStoreId = "S01",
                lines = new[] { new { sku = tee, quantity = 1, unitPrice = 2990 } },
            }, at: now.AddMinutes(-40)),
            Event("order_ready_for_pickup", card, new { orderId = $"ORD-{id}" }, at: now.AddMinutes(-30)),
            Event("pos_sale", card, new { receiptId = $"R-{id}-1", lines = new[] { new { sku = scarf, quantity = 1, unitPrice = 3990 } } }, storeId: "S01", at: now.AddMinutes(-20)),
            Event("pos_return", card, new { receiptId = $"R-{id}-2", lines = new[] { new { sku = scarf, quantity = 1, unitPrice = 3990 } } }, storeId: "S01", at: now.AddMinutes(-15)),
            Event("fitting_room_try_on", card, new { sku = dress }, storeId: "S01", at: now.AddMinutes(-10)),
            Event("store_checked_in", card, new { source = "beacon" }, storeId: "S01", at: now.AddMinutes(-12)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, body.GetProperty("rejected").GetArrayLength());
        Assert.Equal(14, body.GetProperty("accepted").GetInt32());

        var profile = await ProfileAsync(_demo, ec);
        Assert.Equal(id.ToString("D10"), profile.GetProperty("member").GetProperty("memberNo").GetString());
        var view = Assert.Single(profile.GetProperty("views").EnumerateArray());
        Assert.Equal(2, view.GetProperty("views").GetInt32());
        Assert.Equal(60, view.GetProperty("seconds").GetInt32());
        Assert.Equal("store_reservation", profile.GetProperty("pageViews")[0].GetProperty("page").GetString());
        var cart = Assert.Single(profile.GetProperty("cart").EnumerateArray());
        Assert.Equal(dress, cart.GetProperty("item").GetProperty("product").GetProperty("sku").GetString());
        Assert.Equal(scarf, profile.GetProperty("wishlist")[0].GetProperty("item").GetProperty("product").GetProperty("sku").GetString());
        var pickup = Assert.Single(profile.GetProperty("pickups").EnumerateArray());
        Assert.Equal("ready_for_pickup", pickup.GetProperty("status").GetString());
        var kinds = profile.GetProperty("purchases").EnumerateArray().Select(p => (p.GetProperty("kind").GetString(), p.GetProperty("total").GetInt32())).ToList();
        Assert.Contains(("sale", 3990), kinds);
        Assert.Contains(("return", -3990), kinds);
        Assert.Equal(dress, profile.GetProperty("tryOns")[0].GetProperty("item").GetProperty("product").GetProperty("sku").GetString());
        Assert.Equal("beacon", profile.GetProperty("visits")[0].GetProperty("source").GetString());

        // Collected: the order leaves the pickup list.
        (_, body) = await PostAsync(_demo,
            Event("order_collected", card, new { orderId = $"ORD-{id}" }),
            Event("wishlist_item_removed", card, new { sku = scarf }));
        Assert.Equal(2, body.GetProperty("accepted").GetInt32());
        profile = await ProfileAsync(_demo, ec);
        Assert.Empty(profile.GetProperty("pickups").EnumerateArray());
        Assert.Empty(profile.GetProperty("wishlist").EnumerateArray());
    }

    [Fact]
    public async Task Consent_withdrawn_by_member_upserted_hides_online_behaviour()
    {
        var id = await NewMemberAsync();
        var card = Card(CardOf(id));
        await PostAsync(_demo, Event("product_viewed", card, new { sku = (await Skus("DR-0002-M", 1))[0], channel = "ec", seconds = 5 }));
        Assert.Single((await ProfileAsync(_demo, CardOf(id))).GetProperty("views").EnumerateArray());

        await PostAsync(_demo, Event("member_upserted", card, new { memberNo = id.ToString("D10"), consent = new { onlineBehaviour = false, marketing = false } }));
        var profile = await ProfileAsync(_demo, CardOf(id));
        Assert.Empty(profile.GetProperty("views").EnumerateArray());
        Assert.Equal("試験", profile.GetProperty("member").GetProperty("familyName").GetString());
    }

    [Fact]
    public async Task A_batch_with_invalid_events_commits_exactly_the_valid_ones()
    {
        var id = await NewMemberAsync();
        var card = Card(CardOf(id));
        var sku = (await Skus("TS-0003-M", 1))[0];
        var (response, body) = await PostAsync(_demo,
            Event("try_on_typo", card, new { sku }),                                                      // 0 unknown type
            Event("fitting_room_try_on", card, new { sku }, storeId: "S01"),                              // 1 valid
            Event("fitting_room_try_on", card, new { sku = "XX-9999-M-RED" }, storeId: "S01"),            // 2 unknown SKU
            Event("fitting_room_try_on", card, new { sku }),                                              // 3 no store
            Event("cart_item_added", card, new { sku, quantity = 500 }),                                  // 4 quantity out of range
            Event("cart_item_added", Card(CardOf(NewMemberId())), new { sku, quantity = 1 }),             // 5 unknown member
            Event("order_ready_for_pickup", card, new { orderId = "NO-SUCH-ORDER" }),                     // 6 unknown order
            Event("cart_item_added", card, new { sku, quantity = 1 }, at: DateTimeOffset.UtcNow.AddHours(2)), // 7 future
            Event("cart_item_added", card, new { sku, quantity = 1 }));                                   // 8 valid
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, body.GetProperty("accepted").GetInt32());
        var rejected = body.GetProperty("rejected").EnumerateArray().ToDictionary(r => r.GetProperty("index").GetInt32(), r => r.GetProperty("title").GetString());
        Assert.Equal(new[] { 0, 2, 3, 4, 5, 6, 7 }, rejected.Keys.Order());
        Assert.Equal("Unknown event type", rejected[0]);
        Assert.Equal("Unknown SKU", rejected[2]);
        Assert.Equal("Unknown member", rejected[5]);
        Assert.Equal("Unknown order", rejected[6]);
        Assert.Equal("Timestamp in the future", rejected[7]);
        Assert.All(body.GetProperty("rejected").EnumerateArray(), r => Assert.False(string.IsNullOrEmpty(r.GetProperty("detail").GetString())));

        var profile = await ProfileAsync(_demo, CardOf(id));
        Assert.Single(profile.GetProperty("tryOns").EnumerateArray());
        Assert.Equal(1, profile.GetProperty("cart")[0].GetProperty("quantity").GetInt32());
    }

    [Fact]
    public async Task An_event_for_an_identifier_never_seen_creates_no_member()
    {
        var stranger = NewMemberId();
        var (_, body) = await PostAsync(_demo, Event("store_checked_in", Card(CardOf(stranger)), new { source = "app" }, storeId: "S01"));
        Assert.Equal("Unknown member", body.GetProperty("rejected")[0].GetProperty("title").GetString());
        await using var connection = await server.OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM members WHERE member_id = @stranger", new { stranger }));
    }

    [Fact]
    public async Task Resending_a_batch_counts_duplicates_and_changes_nothing()
    {
        var id = await NewMemberAsync();
        var card = Card(CardOf(id));
        var sku = (await Skus("TS-0003-M", 1))[0];
        object[] batch =
        [
            Event("cart_item_added", card, new { sku, quantity = 1 }),
            Event("product_viewed", card, new { sku, channel = "ec", seconds = 3 }),
            Event("pos_sale", card, new { receiptId = $"R-{id}-dup", lines = new[] { new { sku, quantity = 1, unitPrice = 1990 } } }, storeId: "S02"),
        ];
        var (_, first) = await PostAsync(_demo, batch);
        Assert.Equal(3, first.GetProperty("accepted").GetInt32());
        var digest = await Digest();

        var (response, again) = await PostAsync(_demo, batch);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, again.GetProperty("accepted").GetInt32());
        Assert.Equal(3, again.GetProperty("duplicates").GetInt32());
        Assert.Equal(digest, await Digest());
        Assert.Equal(1, (await ProfileAsync(_demo, CardOf(id))).GetProperty("cart")[0].GetProperty("quantity").GetInt32());
    }

    [Fact]
    public async Task Identity_linked_between_two_members_merges_them_into_the_older()
    {
        var older = await NewMemberAsync();
        var newerId = NewMemberId();
        var sku = (await Skus("DR-0002-M", 1))[0];
        await PostAsync(_demo, NewMember(newerId, at: DateTimeOffset.UtcNow.AddMinutes(-30)));
        await PostAsync(_demo,
            Event("identity_linked", Card(CardOf(newerId)), new { identity = Identity("ec_account", $"EC-{newerId}") }),
            Event("product_viewed", Card(CardOf(newerId)), new { sku, channel = "ec", seconds = 9 }),
            Event("pos_sale", Card(CardOf(newerId)), new { receiptId = $"R-{newerId}", lines = new[] { new { sku, quantity = 1, unitPrice = 8990 } } }, storeId: "S01"));

        // The web shop learns that the newer record's account is the older member's.
        var (_, body) = await PostAsync(_demo, Event("identity_linked", Card(CardOf(older)), new { identity = Identity("ec_account", $"EC-{newerId}") }));
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());

        foreach (var code in new[] { CardOf(newerId), $"EC-{newerId}", newerId.ToString("D10"), CardOf(older) })
        {
            var profile = await ProfileAsync(_demo, code);
            Assert.Equal(older.ToString("D10"), profile.GetProperty("member").GetProperty("memberNo").GetString());
            Assert.Single(profile.GetProperty("views").EnumerateArray());
            Assert.Contains(profile.GetProperty("purchases").EnumerateArray(), p => p.GetProperty("id").GetString() == $"R-{newerId}");
        }
    }

    [Fact]
    public async Task A_key_limited_to_some_event_types_is_refused_the_others_per_event()
    {
        var id = await NewMemberAsync();
        var sku = (await Skus("TS-0003-M", 1))[0];
        using var pos = server.ClientWithKey("pos-test-key");
        var (response, body) = await PostAsync(pos,
            Event("pos_sale", Card(CardOf(id)), new { receiptId = $"R-{id}-pos", lines = new[] { new { sku, quantity = 1, unitPrice = 1990 } } }, storeId: "S01"),
            Event("cart_item_added", Card(CardOf(id)), new { sku, quantity = 1 }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        Assert.Equal("Event type not allowed for this key", body.GetProperty("rejected")[0].GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_key_limited_to_its_own_shop_is_refused_other_shops_events_per_event()
    {
        var id = await NewMemberAsync();
        var sku = (await Skus("TS-0003-M", 1))[0];
        var lines = new[] { new { sku, quantity = 1, unitPrice = 1990 } };
        using var pos = server.ClientWithKey("pos-test-key");
        var (response, body) = await PostAsync(pos,
            Event("pos_sale", Card(CardOf(id)), new { receiptId = $"R-{id}-here", lines }, storeId: "S01"),
            Event("pos_sale", Card(CardOf(id)), new { receiptId = $"R-{id}-there", lines }, storeId: "S02"),
            Event("order_placed", Card(CardOf(id)), new { orderId = $"O-{id}-there", channel = "app", fulfilment = "click_and_collect", pickupStoreId = "S02", lines }),
            Event("order_placed", Card(CardOf(id)), new { orderId = $"O-{id}-home", channel = "app", fulfilment = "delivery", lines }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, body.GetProperty("accepted").GetInt32());
        var rejected = body.GetProperty("rejected").EnumerateArray().ToList();
        Assert.Equal([1, 2], rejected.Select(r => r.GetProperty("index").GetInt32()));
        Assert.All(rejected, r => Assert.Equal("Store not allowed for this key", r.GetProperty("title").GetString()));
        var purchases = (await ProfileAsync(_demo, CardOf(id))).GetProperty("purchases").EnumerateArray().Select(p => p.GetProperty("id").GetString()).ToList();
        Assert.Contains($"R-{id}-here", purchases);
        Assert.Contains($"O-{id}-home", purchases);
        Assert.DoesNotContain($"R-{id}-there", purchases);
        Assert.DoesNotContain($"O-{id}-there", purchases);
    }

    [Theory]
    [InlineData(null, 401)]
    [InlineData("wrong-key", 401)]
    [InlineData("reader-key", 403)]
    public async Task A_missing_wrong_or_unpermitted_key_is_refused_with_problem_details(string? key, int status)
    {
        using var client = key is null ? new HttpClient { BaseAddress = new Uri(server.BaseUrl) } : server.ClientWithKey(key);
        var response = await client.PostAsJsonAsync("/api/v1/events", new[] { NewMember(NewMemberId()) });
        await AssertProblem(response, status);
    }

    [Theory]
    [InlineData("{\"eventId\": \"x\"}", 400, "Body is not a JSON array")]
    [InlineData("[", 400, "Body is not valid JSON")]
    [InlineData("[]", 400, "Empty batch")]
    public async Task A_body_that_is_not_a_batch_is_400(string json, int status, string title)
    {
        var response = await _demo.PostAsync("/api/v1/events", new StringContent(json, Encoding.UTF8, "application/json"));
        var problem = await AssertProblem(response, status);
        Assert.Equal(title, problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_batch_with_a_byte_that_is_not_utf8_is_400_writes_nothing_and_can_be_sent_again_repaired()
    {
        var id = NewMemberId();
        var json = JsonSerializer.SerializeToUtf8Bytes(new[] { NewMember(id, familyName: "山田ZZ") });
        var broken = json.ToArray();
        // "ZZ" becomes a lone continuation byte and a truncated three-byte sequence: not UTF-8.
        var at = json.AsSpan().IndexOf("ZZ"u8);
        (broken[at], broken[at + 1]) = (0x80, 0xE3);
        var digest = await Digest();

        var response = await _demo.PostAsync("/api/v1/events", new ByteArrayContent(broken) { Headers = { ContentType = new("application/json") } });
        var problem = await AssertProblem(response, 400);
        Assert.Equal("Body is not valid UTF-8", problem.GetProperty("title").GetString());
        Assert.Contains($"Byte {at:N0}", problem.GetProperty("detail").GetString());
        Assert.Equal(digest, await Digest());

        var (resent, body) = await PostAsync(_demo, NewMember(id, familyName: "山田"));
        Assert.Equal(HttpStatusCode.OK, resent.StatusCode);
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
    }

    [Theory]
    [InlineData("evil\\u202Egnp.exe", "text-direction control (U+202E)")]
    [InlineData("nul\\u0000name", "control character (U+0000)")]
    [InlineData("half\\uD800pair", "broken character")]
    public async Task Names_and_ids_that_hide_what_they_say_are_refused_event_by_event(string escapedName, string reason)
    {
        var good = NewMemberId();
        var bad = NewMemberId();
        var badEvent = JsonSerializer.Serialize(NewMember(bad, familyName: "NAME")).Replace("\"NAME\"", $"\"{escapedName}\"");
        var hiddenId = JsonSerializer.Serialize(NewMember(NewMemberId())).Replace("\"eventId\":\"", "\"eventId\":\"\\u202E");
        var batch = $"[{JsonSerializer.Serialize(NewMember(good))},{badEvent},{hiddenId}]";

        var response = await _demo.PostAsync("/api/v1/events", new StringContent(batch, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        var rejected = body.GetProperty("rejected").EnumerateArray().ToList();
        Assert.Equal([1, 2], rejected.Select(r => r.GetProperty("index").GetInt32()));
        Assert.All(rejected, r => Assert.Equal("Invalid characters", r.GetProperty("title").GetString()));
        Assert.Contains(reason, rejected[0].GetProperty("detail").GetString());
        await using var connection = await server.OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM members WHERE member_id = @bad", new { bad }));
    }

    [Fact]
    public async Task An_event_with_an_eventId_of_the_wrong_type_is_rejected_on_its_own()
    {
        var response = await _demo.PostAsync("/api/v1/events", new StringContent("[{\"eventId\": 12, \"type\": \"product_viewed\"}]", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var rejection = Assert.Single(body.GetProperty("rejected").EnumerateArray());
        Assert.Equal("Invalid field", rejection.GetProperty("title").GetString());
        Assert.Contains("eventId", rejection.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task More_than_1000_events_or_a_body_over_the_limit_is_413_and_writes_nothing()
    {
        var digest = await Digest();
        var tooMany = Enumerable.Range(0, 1001).Select(i => new { eventId = $"e{i}" }).ToArray();
        var problem = await AssertProblem(await _demo.PostAsJsonAsync("/api/v1/events", tooMany), 413);
        Assert.Contains("1,001", problem.GetProperty("detail").GetString());

        // 200 kB is this server's limit; a chunked body of 300 kB is cut off while it is read.
        var big = "[" + string.Join(",", Enumerable.Range(0, 600).Select(_ => JsonSerializer.Serialize(NewMember(NewMemberId())))) + "]";
        Assert.True(Encoding.UTF8.GetByteCount(big) > 200_000);
        await AssertProblem(await _demo.PostAsync("/api/v1/events", new StringContent(big, Encoding.UTF8, "application/json")), 413);
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big)));
        chunked.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/events") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        await AssertProblem(await _demo.SendAsync(request), 413);
        Assert.Equal(digest, await Digest());
    }

    [Fact]
    public async Task Too_many_requests_is_429_with_retry_after()
    {
        using var limited = server.ClientWithKey("limited-key");
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 6 && refused is null; i++)
        {
            var response = await limited.PostAsJsonAsync("/api/v1/events", new[] { NewMember(NewMemberId()) });
            if (response.StatusCode == HttpStatusCode.TooManyRequests) refused = response;
        }
        Assert.NotNull(refused);
        await AssertProblem(refused, 429);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_batch_that_fails_inside_the_database_is_written_not_at_all_and_can_be_sent_again()
    {
        var id = NewMemberId();
        var sku = (await Skus("BG-0004", 1))[0];
        // The database refuses one write of the batch, as a full disk or a broken constraint would.
        var refuse = server.Provider == DatabaseProvider.Sqlite
            ? $"CREATE TRIGGER refuse_test_cart BEFORE INSERT ON cart_lines WHEN NEW.member_id = {id} BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            : $"""
              CREATE FUNCTION refuse_test_cart() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
              CREATE TRIGGER refuse_test_cart BEFORE INSERT ON cart_lines FOR EACH ROW WHEN (NEW.member_id = {id}) EXECUTE FUNCTION refuse_test_cart();
              """;
        await using (var c = await server.OpenAsync()) await c.ExecuteAsync(refuse);
        object[] batch =
        [
            NewMember(id),
            Event("product_viewed", Card(CardOf(id)), new { sku, channel = "ec", seconds = 5 }),
            Event("cart_item_added", Card(CardOf(id)), new { sku, quantity = 1 }),
        ];
        try
        {
            var failed = await _demo.PostAsJsonAsync("/api/v1/events", batch);
            Assert.True((int)failed.StatusCode >= 500, $"expected a server-side failure, got {(int)failed.StatusCode}");
            await using (var c = await server.OpenAsync())
            {
                Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM members WHERE member_id = @id", new { id }));
                Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM product_views WHERE member_id = @id", new { id }));
            }
        }
        finally
        {
            await using var c = await server.OpenAsync();
            await c.ExecuteAsync("DROP TRIGGER refuse_test_cart" + (server.Provider == DatabaseProvider.Postgres ? " ON cart_lines; DROP FUNCTION refuse_test_cart()" : ""));
        }

        // None of its event ids was kept: the same batch, sent again, is accepted whole.
        var (response, body) = await PostAsync(_demo, batch);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, body.GetProperty("accepted").GetInt32());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_events_endpoint()
    {
        var document = await server.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var post = document.GetProperty("paths").GetProperty("/api/v1/events").GetProperty("post");
        Assert.True(post.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(post.GetProperty("responses").TryGetProperty("413", out _));
        Assert.Contains("store_checked_in", post.GetProperty("description").GetString());
    }

    private Task<string> Digest() => server.Database.DigestAsync();

    private static async Task<JsonElement> AssertProblem(HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        return problem;
    }

    public sealed class OnSqlite(EventsServer.OnSqlite server) : EventsApiTests(server), IClassFixture<EventsServer.OnSqlite>;

    public sealed class OnPostgres(EventsServer.OnPostgres server) : EventsApiTests(server), IClassFixture<EventsServer.OnPostgres>;
}

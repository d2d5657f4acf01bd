using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Omo.Clienteling.Data;
using Omo.Clienteling.Holds;
using Omo.Clienteling.Ingestion;
using Omo.Clienteling.Tests.Support;
using static Omo.Clienteling.Tests.Support.Events;

namespace Omo.Clienteling.Tests.Holds;

/// <summary>The app and web shop's holds and appointments through the events API, on the real server.</summary>
public abstract class HoldsServer(DatabaseProvider provider) : AppServer(provider, new Dictionary<string, string?>
{
    ["ApiKeys:Keys:1:System"] = "web-shop",
    ["ApiKeys:Keys:1:KeySha256"] = ApiKeyOptions.Hash("web-shop-key"),
    ["ApiKeys:Keys:1:Permissions:0"] = ApiPermissions.StockRead,
    ["ApiKeys:Keys:1:Permissions:1"] = ApiPermissions.ProfilesRead,
})
{
    public sealed class OnSqlite() : HoldsServer(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : HoldsServer(DatabaseProvider.Postgres);
}

public abstract class HoldEventsTests(HoldsServer server)
{
    private static int _next = Environment.ProcessId % 1000 * 10;
    private readonly HttpClient _app = server.ClientWithKey(ApiKeyOptions.DemoKey);
    private readonly HttpClient _webShop = server.ClientWithKey("web-shop-key");

    /// <summary>
    /// The first shop day a hold may still run to, in the shop <paramref name="store"/>. A hold ends at that shop's
    /// closing time on its last day, so once today's closing time has gone by (the test run may fall in a Tokyo evening)
    /// the first such day is tomorrow. Ten minutes' margin for the test itself.
    /// </summary>
    private DateOnly FirstOpenDay(string store)
    {
        var soon = DateTimeOffset.UtcNow.AddMinutes(10);
        var today = ShopTime.DayOf(soon);
        return server.Services.GetRequiredService<IOptions<HoldOptions>>().Value.ClosesAt(store, today) > soon ? today : today.AddDays(1);
    }

    private static string NewId(string prefix) => $"{prefix}-{Interlocked.Increment(ref _next)}-{Guid.NewGuid():N}"[..24];

    private async Task<(long Id, object Card)> NewMemberAsync()
    {
        var id = NewMemberId();
        var (response, body) = await PostAsync(_app, NewMember(id));
        Assert.True(response.IsSuccessStatusCode && body.GetProperty("accepted").GetInt32() == 1, body.ToString());
        return (id, Card(CardOf(id)));
    }

    /// <summary>A SKU this shop can still offer at least <paramref name="atLeast"/> of, and one it has none of.</summary>
    private async Task<(string InStock, string NoneHere)> SkusAsync(string store, int atLeast = 2)
    {
        await using var c = await server.OpenAsync();
        var inStock = await c.QueryFirstAsync<string>("""
            SELECT s.sku FROM stock s WHERE s.store_id = @store AND s.quantity >= @atLeast
              AND NOT EXISTS (SELECT 1 FROM hold_lines l WHERE l.sku = s.sku AND l.store_id = s.store_id)
            ORDER BY s.sku LIMIT 1 OFFSET @skip
            """, new { store, atLeast, skip = Interlocked.Increment(ref _next) % 40 });
        var none = await c.QueryFirstAsync<string>("""
            SELECT k.sku FROM skus k WHERE NOT EXISTS (SELECT 1 FROM stock s WHERE s.sku = k.sku AND s.store_id = @store AND s.quantity > 0) ORDER BY k.sku LIMIT 1
            """, new { store });
        return (inStock, none);
    }

    private async Task<JsonElement> StockHereAsync(string sku, string store)
    {
        var answer = await _webShop.GetFromJsonAsync<JsonElement>($"/api/v1/stock?sku={Uri.EscapeDataString(sku)}&near={store}");
        return answer[0].GetProperty("stores")[0];
    }

    private async Task<JsonElement> AcceptAsync(params object[] events)
    {
        var (response, body) = await PostAsync(_app, events);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body.GetProperty("accepted").GetInt32() == events.Length, body.ToString());
        return body;
    }

    private async Task<JsonElement> HoldOnProfileAsync(long member, string holdId)
    {
        var profile = await ProfileAsync(_webShop, CardOf(member));
        return profile.GetProperty("holds").EnumerateArray().Single(h => h.GetProperty("holdId").GetString() == holdId);
    }

    [Fact]
    public async Task A_hold_sets_its_stock_aside_is_prepared_and_a_sale_to_the_member_completes_it()
    {
        var (member, card) = await NewMemberAsync();
        var (sku, noneHere) = await SkusAsync("S01");
        var before = await StockHereAsync(sku, "S01");
        var holdId = NewId("H");
        await AcceptAsync(Hold(card, "S01", holdId, FirstOpenDay("S01").AddDays(1), lines: [(sku, 1), (noneHere, 1)]));

        // Set aside: the web shop no longer offers it, though it is still on the shelf.
        var held = await StockHereAsync(sku, "S01");
        Assert.Equal(before.GetProperty("onHand").GetInt32(), held.GetProperty("onHand").GetInt32());
        Assert.Equal(before.GetProperty("reserved").GetInt32() + 1, held.GetProperty("reserved").GetInt32());
        Assert.Equal(before.GetProperty("available").GetInt32() - 1, held.GetProperty("available").GetInt32());

        var hold = await HoldOnProfileAsync(member, holdId);
        Assert.Equal("requested", hold.GetProperty("status").GetString());
        var lines = hold.GetProperty("lines").EnumerateArray().ToList();
        Assert.False(lines[0].GetProperty("toTransfer").GetBoolean());
        Assert.True(lines[1].GetProperty("toTransfer").GetBoolean());

        var preparation = server.Services.GetRequiredService<PreparationList>();
        Assert.True(await preparation.MarkPreparedAsync("S01", "A001", holdId, "fitting room 2"));
        // Not this shop's hold: nothing changes.
        Assert.False(await preparation.MarkPreparedAsync("S02", "A001", holdId, null));
        hold = await HoldOnProfileAsync(member, holdId);
        Assert.Equal(("prepared", "fitting room 2"), (hold.GetProperty("status").GetString(), hold.GetProperty("location").GetString()));

        await AcceptAsync(Event("pos_sale", card, new { receiptId = NewId("R"), lines = new[] { new { sku, quantity = 1, unitPrice = 12900 } } }, storeId: "S01"));
        Assert.Equal("completed", (await HoldOnProfileAsync(member, holdId)).GetProperty("status").GetString());
        var sold = await StockHereAsync(sku, "S01");
        Assert.Equal(before.GetProperty("reserved").GetInt32(), sold.GetProperty("reserved").GetInt32());
        Assert.Equal(before.GetProperty("onHand").GetInt32() - 1, sold.GetProperty("onHand").GetInt32());
        await using var c = await server.OpenAsync();
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE action = 'hold_prepared' AND detail = @holdId", new { holdId }));
    }

    [Fact]
    public async Task A_cancelled_hold_gives_its_stock_back_and_resending_is_harmless()
    {
        var (_, card) = await NewMemberAsync();
        var (sku, _) = await SkusAsync("S02");
        var before = (await StockHereAsync(sku, "S02")).GetProperty("available").GetInt32();
        var holdId = NewId("H");
        var openDay = FirstOpenDay("S02");
        var request = Hold(card, "S02", holdId, openDay.AddDays(1), purpose: "purchase", lines: [(sku, 2)]);
        await AcceptAsync(request);
        Assert.Equal(before - 2, (await StockHereAsync(sku, "S02")).GetProperty("available").GetInt32());

        // The same event again is a duplicate; the same hold under another event id is refused.
        var (_, again) = await PostAsync(_app, request, Hold(card, "S02", holdId, openDay, lines: [(sku, 1)]));
        Assert.Equal(1, again.GetProperty("duplicates").GetInt32());
        Assert.Equal("Hold already exists", again.GetProperty("rejected")[0].GetProperty("title").GetString());

        var cancel = Event("hold_cancelled", card, new { holdId }, storeId: "S02");
        await AcceptAsync(cancel);
        Assert.Equal(before, (await StockHereAsync(sku, "S02")).GetProperty("available").GetInt32());
        // Cancelling a cancelled hold changes nothing.
        await AcceptAsync(Event("hold_cancelled", card, new { holdId }, storeId: "S02"));
    }

    [Fact]
    public async Task Bad_holds_and_appointments_are_refused_one_by_one_with_a_reason_and_nothing_is_kept()
    {
        var (member, card) = await NewMemberAsync();
        var (_, other) = await NewMemberAsync();
        var (sku, _) = await SkusAsync("S01");
        var othersHold = NewId("H");
        var openDay = FirstOpenDay("S01");
        await AcceptAsync(Hold(other, "S01", othersHold, openDay, lines: [(sku, 1)]));
        var now = DateTimeOffset.UtcNow;
        var bad = new object[]
        {
            Hold(card, "S01", NewId("H"), openDay, lines: [("NO-SUCH-SKU", 1)]),
            Hold(card, "S01", NewId("H"), ShopTime.DayOf(now).AddDays(-1), lines: [(sku, 1)]),
            Hold(card, "S01", NewId("H"), openDay, lines: [(sku, 0)]),
            Event("hold_cancelled", card, new { holdId = "H-NEVER-MADE" }, storeId: "S01"),
            Event("hold_cancelled", card, new { holdId = othersHold }, storeId: "S01"),
            Hold(card, "S01", NewId("H"), openDay.AddDays(60), lines: [(sku, 1)]),
            Hold(card, "EC", NewId("H"), openDay, lines: [(sku, 1)]),
            Hold(card, "S01", NewId("H"), openDay, lines: []),
            Event("hold_requested", card, new { holdId = NewId("H"), purpose = "borrow", holdUntil = Day(openDay), lines = new[] { new { sku, quantity = 1 } } }, storeId: "S01"),
            Event("hold_requested", card, new { holdId = NewId("H"), purpose = "try_on", holdUntil = "2026/11/28", lines = new[] { new { sku, quantity = 1 } } }, storeId: "S01"),
            Appointment(card, "S01", NewId("A"), now.AddHours(-2)),
            Appointment(card, "S01", NewId("A"), now.AddDays(1), minutes: 5),
            Event("appointment_cancelled", card, new { appointmentId = "A-NEVER-MADE" }, storeId: "S01"),
        };
        var (response, body) = await PostAsync(_app, bad);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, body.GetProperty("accepted").GetInt32());
        var titles = body.GetProperty("rejected").EnumerateArray().ToDictionary(r => r.GetProperty("index").GetInt32(), r => r.GetProperty("title").GetString());
        Assert.Equal(bad.Length, titles.Count);
        Assert.Equal("Unknown SKU", titles[0]);
        Assert.Equal("Hold date in the past", titles[1]);
        Assert.Equal("Out of range", titles[2]);
        Assert.Equal("Unknown hold", titles[3]);
        Assert.Equal("Hold of another member", titles[4]);
        Assert.Equal("Hold too long", titles[5]);
        Assert.Equal("Unknown store", titles[6]);
        Assert.Equal("Invalid lines", titles[7]);
        Assert.Equal("Invalid field", titles[8]);
        Assert.Equal("Invalid date", titles[9]);
        Assert.Equal("Appointment in the past", titles[10]);
        Assert.Equal("Out of range", titles[11]);
        Assert.Equal("Unknown appointment", titles[12]);
        Assert.All(body.GetProperty("rejected").EnumerateArray(), r => Assert.False(string.IsNullOrWhiteSpace(r.GetProperty("detail").GetString())));

        var profile = await ProfileAsync(_webShop, CardOf(member));
        Assert.Empty(profile.GetProperty("holds").EnumerateArray());
        Assert.Empty(profile.GetProperty("appointments").EnumerateArray());
    }

    [Fact]
    public async Task A_booked_appointment_is_kept_when_the_member_checks_in_that_day_and_can_be_cancelled_before()
    {
        var (member, card) = await NewMemberAsync();
        var kept = NewId("A");
        var cancelled = NewId("A");
        // She arrives on time (the events API takes a minute or two of clock skew), so the visit and the booking share a day.
        var startsAt = DateTimeOffset.UtcNow.AddMinutes(1);
        await AcceptAsync(
            Appointment(card, "S01", kept, startsAt, note: "結婚式のお呼ばれ服を相談したい"),
            Appointment(card, "S01", cancelled, startsAt.AddDays(3), purpose: "alteration", minutes: 30));
        await AcceptAsync(Event("appointment_cancelled", card, new { appointmentId = cancelled }, storeId: "S01"));
        await AcceptAsync(Event("store_checked_in", card, new { source = "app" }, storeId: "S01", at: startsAt));

        var profile = await ProfileAsync(_webShop, CardOf(member));
        var statuses = profile.GetProperty("appointments").EnumerateArray()
            .ToDictionary(a => a.GetProperty("appointmentId").GetString()!, a => a.GetProperty("status").GetString());
        Assert.Equal("visited", statuses[kept]);
        Assert.Equal("cancelled", statuses[cancelled]);
        // A cancelled appointment cannot be cancelled into anything else, and a kept one cannot be cancelled.
        var (_, body) = await PostAsync(_app, Event("appointment_cancelled", card, new { appointmentId = kept }, storeId: "S01"));
        Assert.Equal("Appointment already closed", body.GetProperty("rejected")[0].GetProperty("title").GetString());
    }

    public sealed class OnSqlite(HoldsServer.OnSqlite server) : HoldEventsTests(server), IClassFixture<HoldsServer.OnSqlite>;

    public sealed class OnPostgres(HoldsServer.OnPostgres server) : HoldEventsTests(server), IClassFixture<HoldsServer.OnPostgres>;
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Omo.Clienteling.Catalog;
using Omo.Clienteling.Data;
using Omo.Clienteling.Ingestion;
using Omo.Clienteling.Scanning;
using Omo.Clienteling.Tests.Support;
using static Omo.Clienteling.Tests.Support.Events;

namespace Omo.Clienteling.Tests.Catalog;

/// <summary>A retailer's own stores, styles and stock through the events API, and the web shop's stock question.</summary>
public abstract class MasterDataServer(DatabaseProvider provider) : AppServer(provider, new Dictionary<string, string?>
{
    ["ApiKeys:Keys:1:System"] = "web-shop",
    ["ApiKeys:Keys:1:KeySha256"] = ApiKeyOptions.Hash("web-shop-key"),
    ["ApiKeys:Keys:1:Permissions:0"] = ApiPermissions.StockRead,
    ["Store:ImageHosts:0"] = "https://images.example.jp",
})
{
    public sealed class OnSqlite() : MasterDataServer(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : MasterDataServer(DatabaseProvider.Postgres);
}

public abstract class MasterDataTests(MasterDataServer server)
{
    private static int _next = Environment.ProcessId % 1000 * 10;
    private readonly HttpClient _feed = server.ClientWithKey(ApiKeyOptions.DemoKey);
    private readonly HttpClient _webShop = server.ClientWithKey("web-shop-key");

    /// <summary>Yesterday in Tokyo at the given hour: every event of a test lies in the past, in a known order.</summary>
    private static DateTimeOffset At(int hour, int minute = 0)
    {
        var today = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(9)).Date;
        return new DateTimeOffset(today.AddDays(-1).AddHours(hour).AddMinutes(minute), TimeSpan.FromHours(9));
    }

    private static string JanFor(int n)
    {
        var body = $"45{n:D10}";
        return body + Gs1.CheckDigit(body);
    }

    private static (string Store, string Style, string Sku, string OtherSku) NewNames()
    {
        var n = Interlocked.Increment(ref _next);
        return ($"T{n}", $"ZZ-{n}", $"ZZ-{n}-M-INK", $"ZZ-{n}-L-INK");
    }

    private static object Store(string store, string nameEn = "Test store", double latitude = 35.66) =>
        Event(EventTypes.StoreUpserted, null, new { nameJa = "試験店", nameEn, kind = "store", latitude, longitude = 139.70 }, storeId: store, at: At(8));

    private static object Product(string style, string sku, string otherSku, int jan) => Event(EventTypes.ProductUpserted, null, new
    {
        styleCode = style, nameJa = "テーパードパンツ", nameEn = "Tapered trousers", category = "Trousers", price = 12900,
        imageUrl = "https://images.example.jp/zz.jpg", launchedOn = "2026-09-01",
        skus = new[] { new { sku, size = "M", colour = "INK", jan = JanFor(jan) }, new { sku = otherSku, size = "L", colour = "INK", jan = JanFor(jan + 1) } },
    }, at: At(8, 5));

    private static object Count(string store, string sku, int quantity, DateTimeOffset at) =>
        Event(EventTypes.StockCounted, null, new { lines = new[] { new { sku, quantity } } }, storeId: store, at: at);

    private async Task<JsonElement> StockAsync(string sku, string near)
    {
        var response = await _webShop.GetAsync($"/api/v1/stock?sku={Uri.EscapeDataString(sku)}&near={near}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        return answer[0].GetProperty("stores")[0];
    }

    private async Task<int> OnHandAsync(string sku, string store)
    {
        var here = await StockAsync(sku, store);
        Assert.Equal(store, here.GetProperty("storeId").GetString());
        return here.GetProperty("onHand").GetInt32();
    }

    private async Task AcceptedAsync(int expected, params object[] events)
    {
        var (response, body) = await PostAsync(_feed, events);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(expected == body.GetProperty("accepted").GetInt32(), body.ToString());
    }

    [Fact]
    public async Task A_new_store_and_style_take_sales_and_stock_follows_event_time_not_arrival()
    {
        var (store, style, sku, otherSku) = NewNames();
        var id = NewMemberId();
        var card = Card(CardOf(id));
        // The product master's batch creates the store and the style and counts them: later events in it may name both.
        await AcceptedAsync(4, Store(store), Product(style, sku, otherSku, _next * 10), Count(store, sku, 5, At(10)), NewMember(id));
        Assert.Equal(5, await OnHandAsync(sku, store));

        await AcceptedAsync(1, Event(EventTypes.PosSale, card, new { receiptId = $"R-{store}-1", lines = new[] { new { sku, quantity = 1, unitPrice = 12900 } } }, storeId: store, at: At(11)));
        Assert.Equal(4, await OnHandAsync(sku, store));

        // Yesterday's 09:00 receipt sent late: it is already in the 10:00 count.
        await AcceptedAsync(1, Event(EventTypes.PosSale, card, new { receiptId = $"R-{store}-0", lines = new[] { new { sku, quantity = 2, unitPrice = 12900 } } }, storeId: store, at: At(9)));
        Assert.Equal(4, await OnHandAsync(sku, store));

        await AcceptedAsync(2,
            Event(EventTypes.PosReturn, card, new { receiptId = $"R-{store}-2", lines = new[] { new { sku, quantity = 1, unitPrice = 12900 } } }, storeId: store, at: At(12)),
            Event(EventTypes.StockMoved, null, new { reason = "received", lines = new[] { new { sku, quantity = 3 } } }, storeId: store, at: At(13)));
        Assert.Equal(8, await OnHandAsync(sku, store));

        // A count taken at 10:30 that arrives now: its level plus everything that moved after 10:30.
        await AcceptedAsync(1, Count(store, sku, 10, At(10, 30)));
        Assert.Equal(10 - 1 + 1 + 3, await OnHandAsync(sku, store));
        // An older count than the one the level has changes nothing.
        await AcceptedAsync(1, Count(store, sku, 50, At(10, 15)));
        Assert.Equal(13, await OnHandAsync(sku, store));

        // Click and collect: set aside while it waits in the shop, off the shelf when the customer takes it.
        await AcceptedAsync(2,
            Event(EventTypes.OrderPlaced, card, new { orderId = $"O-{store}", channel = "ec", fulfilment = "click_and_collect", pickupStoreId = store,
                lines = new[] { new { sku, quantity = 2, unitPrice = 12900 } } }, at: At(14)),
            Event(EventTypes.OrderReadyForPickup, card, new { orderId = $"O-{store}" }, at: At(15)));
        var waiting = await StockAsync(sku, store);
        Assert.Equal((13, 2, 11), (waiting.GetProperty("onHand").GetInt32(), waiting.GetProperty("reserved").GetInt32(), waiting.GetProperty("available").GetInt32()));
        await AcceptedAsync(1, Event(EventTypes.OrderCollected, card, new { orderId = $"O-{store}" }, at: At(16)));
        var collected = await StockAsync(sku, store);
        Assert.Equal((11, 0, 11), (collected.GetProperty("onHand").GetInt32(), collected.GetProperty("reserved").GetInt32(), collected.GetProperty("available").GetInt32()));
        Assert.Equal(At(10, 30), collected.GetProperty("countedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Counts_wait_with_the_batch_yet_every_move_in_it_sees_the_counts_before_it()
    {
        var (store, style, sku, otherSku) = NewNames();
        var transfer = (int quantity, int hour) =>
            Event(EventTypes.StockMoved, null, new { reason = "transfer_out", lines = new[] { new { sku, quantity } } }, storeId: store, at: At(hour));
        // A day's feed in one batch. Each transfer takes out what only the count before it put there: had that count
        // not reached the database first, the transfer would be refused as stock below zero.
        await AcceptedAsync(6, Store(store), Product(style, sku, otherSku, _next * 10),
            Count(store, sku, 5, At(10)), transfer(-5, 11),
            Event(EventTypes.StockCounted, null, new { lines = new[] { new { sku, quantity = 7 }, new { sku = otherSku, quantity = 3 } } }, storeId: store, at: At(12)),
            transfer(-6, 13));
        Assert.Equal(1, await OnHandAsync(sku, store));
        Assert.Equal(3, await OnHandAsync(otherSku, store));
    }

    [Fact]
    public async Task Stock_never_shows_below_zero_and_a_move_below_zero_is_refused()
    {
        var (store, style, sku, otherSku) = NewNames();
        var id = NewMemberId();
        await AcceptedAsync(4, Store(store), Product(style, sku, otherSku, _next * 10), Count(store, sku, 1, At(10)), NewMember(id));
        // The till sold three of the one that was counted: the shelf shows none, not minus two.
        await AcceptedAsync(1, Event(EventTypes.PosSale, Card(CardOf(id)), new { receiptId = $"R-{store}", lines = new[] { new { sku, quantity = 3, unitPrice = 100 } } }, storeId: store, at: At(11)));
        Assert.Equal(0, await OnHandAsync(sku, store));

        var (_, body) = await PostAsync(_feed,
            Event(EventTypes.StockMoved, null, new { reason = "transfer_out", lines = new[] { new { sku, quantity = -1 } } }, storeId: store, at: At(12)),
            Event(EventTypes.StockMoved, null, new { reason = "received", lines = new[] { new { sku, quantity = 4 } } }, storeId: store, at: At(13)));
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        Assert.Equal("Stock below zero", body.GetProperty("rejected")[0].GetProperty("title").GetString());
        Assert.Equal(2, await OnHandAsync(sku, store)); // -2 + 4
    }

    [Fact]
    public async Task Bad_master_data_is_refused_event_by_event_with_a_reason_and_applies_nothing()
    {
        var (store, style, sku, otherSku) = NewNames();
        await AcceptedAsync(2, Store(store), Product(style, sku, otherSku, _next * 10));
        var badJan = JanFor(7)[..12] + (char)('0' + (JanFor(7)[12] - '0' + 1) % 10);
        var demoSku = (await StockAsyncAnyDemoSku());
        var (_, body) = await PostAsync(_feed,
            Event(EventTypes.ProductUpserted, null, new { styleCode = style + "X", nameJa = "a", nameEn = "a", category = "x", price = 100,
                skus = new[] { new { sku = style + "X-1", size = "F", colour = "INK", jan = badJan } } }),                                      // 0 bad check digit
            Event(EventTypes.ProductUpserted, null, new { styleCode = style + "Y", nameJa = "a", nameEn = "a", category = "x", price = 100,
                skus = new[] { new { sku = style + "Y-1", size = "F", colour = "INK" }, new { sku = style + "Y-1", size = "F", colour = "RED" } } }), // 1 duplicate SKU
            Count(store, sku, -1, At(10)),                                                                                                          // 2 negative count
            Count("NOPE", sku, 1, At(10)),                                                                                                          // 3 unknown store
            Event(EventTypes.ProductUpserted, null, new { styleCode = style + "Z", nameJa = "a", nameEn = "a", category = "x", price = 100,
                skus = new[] { new { sku = demoSku, size = "F", colour = "INK" } } }),                                                             // 4 SKU of another style
            Count(store, style + "-NOPE", 1, At(10)),                                                                                               // 5 SKU without a style
            Event(EventTypes.StockMoved, null, new { reason = "sale", lines = new[] { new { sku, quantity = -1 } } }, storeId: store),             // 6 reason not for stock_moved
            Event(EventTypes.ProductDiscontinued, null, new { styleCode = style + "-GONE" }));                                                      // 7 unknown style
        Assert.Equal(0, body.GetProperty("accepted").GetInt32());
        var titles = body.GetProperty("rejected").EnumerateArray().ToDictionary(r => r.GetProperty("index").GetInt32(), r => r.GetProperty("title").GetString());
        Assert.Equal("Invalid JAN", titles[0]);
        Assert.Equal("Duplicate SKU", titles[1]);
        Assert.Equal("Out of range", titles[2]);
        Assert.Equal("Unknown store", titles[3]);
        Assert.Equal("SKU of another style", titles[4]);
        Assert.Equal("Unknown SKU", titles[5]);
        Assert.Equal("Invalid field", titles[6]);
        Assert.Equal("Unknown style", titles[7]);
        Assert.Equal(0, await OnHandAsync(sku, store));
        var missing = await _webShop.GetAsync($"/api/v1/stock?sku={style}X-1");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private async Task<string> StockAsyncAnyDemoSku()
    {
        await using var connection = await server.OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<string>(connection, "SELECT MIN(sku) FROM skus WHERE sku LIKE 'DR-%'") ?? throw new InvalidOperationException("No demo SKU");
    }

    [Fact]
    public async Task A_restyled_product_keeps_its_old_skus_unsold_and_a_discontinued_style_sells_nothing_new()
    {
        var (store, style, sku, otherSku) = NewNames();
        await AcceptedAsync(2, Store(store), Product(style, sku, otherSku, _next * 10));
        // The master now lists only M: L stays (receipts name it) but is no longer on sale.
        await AcceptedAsync(1, Event(EventTypes.ProductUpserted, null, new { styleCode = style, nameJa = "パンツ", nameEn = "Trousers", category = "Trousers", price = 9900,
            skus = new[] { new { sku, size = "M", colour = "INK" } } }, at: At(9)));
        await AcceptedAsync(1, Event(EventTypes.ProductDiscontinued, null, new { styleCode = style }, at: At(10)));
        await using var connection = await server.OpenAsync();
        var rows = (await Dapper.SqlMapper.QueryAsync<(string Sku, bool OnSale)>(connection, "SELECT sku, on_sale FROM skus WHERE style_code = @style ORDER BY sku", new { style })).ToList();
        Assert.Equal(new[] { (otherSku, false), (sku, false) }, rows);
        Assert.NotNull(await Dapper.SqlMapper.ExecuteScalarAsync<long?>(connection, "SELECT discontinued_at FROM products WHERE style_code = @style", new { style }));
    }

    [Fact]
    public async Task The_tablet_may_load_pictures_from_the_configured_photo_host_and_from_no_other()
    {
        var page = await server.Http.GetAsync("/signin");
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("img-src 'self' data: blob: https://images.example.jp;", policy);
    }

    [Fact]
    public async Task The_stock_question_needs_a_key_with_stock_read_and_names_bad_input()
    {
        var (store, style, sku, otherSku) = NewNames();
        await AcceptedAsync(2, Store(store), Product(style, sku, otherSku, _next * 10));
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.GetAsync($"/api/v1/stock?sku={sku}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _feed.GetAsync($"/api/v1/stock?sku={sku}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _webShop.GetAsync("/api/v1/stock")).StatusCode);
        var unknownStore = await _webShop.GetAsync($"/api/v1/stock?sku={sku}&near=NOPE");
        Assert.Equal(HttpStatusCode.BadRequest, unknownStore.StatusCode);
        Assert.Equal("application/problem+json", unknownStore.Content.Headers.ContentType?.MediaType);
        // Every shop is listed, the nearest to near first; a SKU never counted anywhere has nothing anywhere.
        var answer = await (await _webShop.GetAsync($"/api/v1/stock?sku={sku}&near=S01")).Content.ReadFromJsonAsync<JsonElement>();
        var shops = answer[0].GetProperty("stores").EnumerateArray().ToList();
        Assert.Equal("S01", shops[0].GetProperty("storeId").GetString());
        Assert.Contains(shops, s => s.GetProperty("storeId").GetString() == store);
        Assert.All(shops, s => Assert.Equal(0, s.GetProperty("available").GetInt32()));
    }

    public sealed class OnSqlite(MasterDataServer.OnSqlite server) : MasterDataTests(server), IClassFixture<MasterDataServer.OnSqlite>;

    public sealed class OnPostgres(MasterDataServer.OnPostgres server) : MasterDataTests(server), IClassFixture<MasterDataServer.OnPostgres>;
}

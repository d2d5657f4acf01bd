using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Omo.Clienteling.Ingestion;

namespace Omo.Clienteling.Demo;

/// <summary>
/// The trainer tools' own API key: made at start-up, held only in memory, able to write events and nothing else.
/// The tools send through the events API like the web shop and the app, so what a class sees is the real path.
/// </summary>
public sealed class TrainerApiKey : IPostConfigureOptions<ApiKeyOptions>
{
    public const string System = "trainer";

    public string Key { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public void PostConfigure(string? name, ApiKeyOptions options)
    {
        if (options.Keys.Any(k => k.System == System)) return;
        options.Keys.Add(new ApiKeyEntry
        {
            System = System, KeySha256 = ApiKeyOptions.Hash(Key), Permissions = [ApiPermissions.EventsWrite],
            // A Saturday rush on every shop at once stays well inside this.
            RequestsPerSecond = 100, Burst = 200,
        });
    }
}

/// <summary>Posts docs/events-api.md events to this server's own events API with the trainer key.</summary>
public sealed class DemoEventSender(HttpClient http, InternalAddress address, TrainerApiKey key, TimeProvider clock)
{
    public sealed record Sent(int Accepted, int Duplicates, IReadOnlyList<string> Rejected);

    public async Task<Sent> SendAsync(IReadOnlyList<object> events, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address.Base, "/api/v1/events")) { Content = JsonContent.Create(events) };
        request.Headers.Add("X-Api-Key", key.Key);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"The events API answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        var body = await response.Content.ReadFromJsonAsync<Answer>(cancellationToken) ?? new Answer();
        return new Sent(body.Accepted, body.Duplicates, body.Rejected.Select(r => $"{r.Title}: {r.Detail}").ToList());
    }

    public object CheckIn(object identity, string storeId, string source) => Event("store_checked_in", identity, new { source }, storeId);

    public object ProductViewed(object identity, string sku, string channel, int seconds) => Event("product_viewed", identity, new { sku, channel, seconds });

    public object CartItemAdded(object identity, string sku) => Event("cart_item_added", identity, new { sku, quantity = 1 });

    /// <summary>The app asks the shop to keep one of the SKU until closing time on <paramref name="until"/>, to try it on.</summary>
    public object HoldRequested(object identity, string storeId, string sku, DateOnly until) => Event("hold_requested", identity, new
    {
        holdId = NewId("TRN-H"), purpose = "try_on", holdUntil = until.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        lines = new[] { new { sku, quantity = 1 } },
    }, storeId);

    /// <summary>An hour's styling session booked in the app.</summary>
    public object AppointmentBooked(object identity, string storeId, DateTimeOffset startsAt) => Event("appointment_booked", identity, new
    {
        appointmentId = NewId("TRN-A"), startsAt = startsAt.ToOffset(ShopTime.Offset).ToString("yyyy-MM-ddTHH:mm:sszzz"), minutes = 60, purpose = "styling",
    }, storeId);

    /// <summary>A till receipt in the shop.</summary>
    public object PosSale(object identity, string storeId, IEnumerable<(string Sku, int Quantity, int Price)> lines) => Event("pos_sale", identity, new
    {
        receiptId = NewId("TRN-R"), lines = lines.Select(l => new { sku = l.Sku, quantity = l.Quantity, unitPrice = l.Price }).ToList(),
    }, storeId);

    private string NewId(string prefix) => $"{prefix}-{clock.GetUtcNow():yyMMddHHmmss}-{RandomNumberGenerator.GetInt32(1000, 9999)}";

    public object[] ClickAndCollectReady(object identity, string storeId, string sku, int price)
    {
        var orderId = NewId("TRN");
        return
        [
            Event("order_placed", identity, new { orderId, channel = "app", fulfilment = "click_and_collect", pickupStoreId = storeId, lines = new[] { new { sku, quantity = 1, unitPrice = price } } }),
            Event("order_ready_for_pickup", identity, new { orderId }),
        ];
    }

    public static object AppMember(string memberNo) => new { kind = "app_member", value = memberNo };

    public static object Identifier(string kind, string value) => new { kind, value };

    private object Event(string type, object identity, object data, string? storeId = null) => new
    {
        eventId = $"trainer-{Guid.NewGuid():N}", type,
        occurredAt = clock.GetUtcNow().ToOffset(ShopTime.Offset).ToString("yyyy-MM-ddTHH:mm:ss.fffzzz"),
        identity, storeId, data,
    };

    private sealed class Answer
    {
        public int Accepted { get; init; }
        public int Duplicates { get; init; }
        public List<Problem> Rejected { get; init; } = [];
    }

    private sealed record Problem(string Title, string Detail);
}

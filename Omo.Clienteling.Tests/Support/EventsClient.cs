using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Omo.Clienteling.Ingestion;
using Omo.Clienteling.Scanning;

namespace Omo.Clienteling.Tests.Support;

/// <summary>Builds docs/events-api.md events the way a sending system would, and posts them.</summary>
public static class Events
{
    private static int _sequence;
    private static long _nextMember = 9_100_000_000 + Environment.ProcessId % 1000 * 100_000;

    /// <summary>A member number no demo member has, unique within this test run.</summary>
    public static long NewMemberId() => Interlocked.Increment(ref _nextMember);

    public static string CardOf(long memberId) => Gs1.PointCardNumber(memberId);

    public static object Card(string value) => new { kind = "point_card", value };

    public static object Identity(string kind, string value) => new { kind, value };

    public static string Time(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-ddTHH:mm:sszzz");

    public static Dictionary<string, object?> Event(string type, object? identity, object data, string? storeId = null, DateTimeOffset? at = null, string? eventId = null) => new()
    {
        ["eventId"] = eventId ?? $"test-{Interlocked.Increment(ref _sequence)}-{Guid.NewGuid():N}",
        ["type"] = type,
        ["occurredAt"] = Time(at ?? DateTimeOffset.UtcNow.AddMinutes(-1)),
        ["identity"] = identity,
        ["storeId"] = storeId,
        ["data"] = data,
    };

    /// <summary>A new consenting member with a point card, as the CRM would announce them.</summary>
    public static Dictionary<string, object?> NewMember(long memberId, bool consentOnline = true, string familyName = "試験", DateTimeOffset? at = null) =>
        Event("member_upserted", null, new
        {
            memberNo = memberId.ToString("D10"), familyName, givenName = "花子", familyNameKana = "シケン", givenNameKana = "ハナコ", birthMonth = 4,
            tier = "silver", homeStoreId = "S01", consent = new { onlineBehaviour = consentOnline, marketing = true },
            identities = new[] { Card(CardOf(memberId)) },
        }, at: at ?? DateTimeOffset.UtcNow.AddDays(-1));

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static Dictionary<string, object?> Hold(object identity, string store, string holdId, DateOnly until, DateTimeOffset? at = null,
        string purpose = "try_on", params (string Sku, int Quantity)[] lines) =>
        Event("hold_requested", identity, new { holdId, purpose, holdUntil = Day(until), lines = lines.Select(l => new { sku = l.Sku, quantity = l.Quantity }) },
            storeId: store, at: at);

    public static Dictionary<string, object?> Appointment(object identity, string store, string appointmentId, DateTimeOffset startsAt,
        DateTimeOffset? at = null, string purpose = "styling", int minutes = 60, string? note = null) =>
        Event("appointment_booked", identity, new { appointmentId, startsAt = Time(startsAt), minutes, purpose, note }, storeId: store, at: at);

    /// <summary>
    /// Events straight through the app's reader and ingestor in <paramref name="services"/>, as the events API takes them:
    /// for tests that run on a fixed clock.
    /// </summary>
    public static async Task<IngestResult> IngestAsync(IServiceProvider services, params object[] events)
    {
        var json = JsonSerializer.SerializeToElement(events);
        var (valid, rejected) = services.GetRequiredService<EventReader>().ReadBatch(json.EnumerateArray().Select((e, i) => (i, e)), SenderScope.Everything);
        return await services.GetRequiredService<EventIngestor>().IngestAsync("test-sender", valid, rejected);
    }

    public static async Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(HttpClient client, params object[] events)
    {
        var response = await client.PostAsJsonAsync("/api/v1/events", events);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response, body);
    }

    public static async Task<JsonElement> ProfileAsync(HttpClient client, string code, string store = "S01")
    {
        var response = await client.GetAsync($"/api/v1/members/{Uri.EscapeDataString(code)}/profile?store={store}");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}

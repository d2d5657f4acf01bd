using System.Security.Claims;
using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Omo.Clienteling.Ingestion;

/// <summary>The documented shape of one event (docs/events-api.md), for the OpenAPI document; the endpoint reads the JSON itself.</summary>
public sealed record EventEnvelope(string EventId, string Type, DateTimeOffset OccurredAt, EventIdentity? Identity, string? StoreId, JsonElement Data);

public sealed record EventIdentity(string Kind, string Value);

/// <summary><c>POST /api/v1/events</c>: batches of events from the web shop, the app and the tills.</summary>
public static class EventsApi
{
    public const string RateLimitPolicy = "per-api-key";

    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/v1/events", ReceiveAsync)
            .RequireAuthorization(ApiPermissions.EventsWrite)
            .RequireRateLimiting(RateLimitPolicy)
            .WithName("PostEvents")
            .WithSummary("Records a batch of 1 to 1000 events; accepted events are committed in one transaction before the answer.")
            .WithDescription("Event types: " + string.Join(", ", EventTypes.All.Order()) + ". Re-sent eventIds (per sending system) count as duplicates and change nothing.")
            .Accepts<EventEnvelope[]>("application/json")
            .Produces<IngestResult>()
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(413).ProducesProblem(429);
        return endpoints;
    }

    private static async Task<IResult> ReceiveAsync(HttpContext http, ClaimsPrincipal caller, EventReader reader, EventIngestor ingestor, IOptions<IngestionOptions> options)
    {
        var limit = options.Value.MaxBodyBytes;
        if (http.Request.ContentLength > limit) return TooLarge($"The body is {http.Request.ContentLength:N0} bytes; the limit is {limit:N0}. Send smaller batches.");
        // Chunked bodies have no length up front: Kestrel stops reading them at the limit.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize) bodySize.MaxRequestBodySize = limit;

        // The whole body, within the limit, checked as UTF-8 before it is parsed: JSON strings are only decoded when a
        // field is read, and a broken byte found then would cost the whole batch.
        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
            body = buffer.ToArray();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge($"The body is larger than {limit:N0} bytes. Send smaller batches.");
        }
        if (!System.Text.Unicode.Utf8.IsValid(body))
            return Results.Problem(title: "Body is not valid UTF-8",
                detail: $"Byte {InvalidUtf8At(body):N0} of the body is not part of a valid UTF-8 character. Send the JSON encoded as UTF-8.", statusCode: 400);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            return Results.Problem(title: "Body is not valid JSON", detail: $"{e.Message} Send a JSON array of events.", statusCode: 400);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
                return Results.Problem(title: "Body is not a JSON array", detail: $"Send a JSON array of 1 to {IngestionOptions.MaxEventsPerBatch} events, not a {root.ValueKind}.", statusCode: 400);
            var count = root.GetArrayLength();
            if (count == 0) return Results.Problem(title: "Empty batch", detail: "Send at least one event.", statusCode: 400);
            if (count > IngestionOptions.MaxEventsPerBatch)
                return TooLarge($"The batch has {count:N0} events; the limit is {IngestionOptions.MaxEventsPerBatch:N0} per request.");

            var (valid, rejected) = reader.ReadBatch(root.EnumerateArray().Select((e, i) => (i, e)), SenderScope.Of(caller));
            var result = await ingestor.IngestAsync(caller.Identity!.Name!, valid, rejected, http.RequestAborted);
            return Results.Ok(result);
        }
    }

    /// <summary>Where the first byte that is not valid UTF-8 is, for the sender's log (and an import's line number).</summary>
    internal static int InvalidUtf8At(ReadOnlySpan<byte> body)
    {
        var status = System.Text.Unicode.Utf8.ToUtf16(body, new char[body.Length], out var read, out _, replaceInvalidSequences: false);
        return status == System.Buffers.OperationStatus.InvalidData ? read : body.Length;
    }

    private static IResult TooLarge(string detail) => Results.Problem(title: "Request too large", detail: detail, statusCode: 413);

    /// <summary>A token bucket per API key, so one chatty system cannot starve the others; 429 says when to retry.</summary>
    public static IServiceCollection AddEventsRateLimit(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString();
                await Results.Problem(title: "Too many requests", detail: $"This API key's rate limit is used up; retry after {retryAfter} s.", statusCode: 429)
                    .ExecuteAsync(context.HttpContext);
            };
            limiter.AddPolicy(RateLimitPolicy, http =>
            {
                var ingestion = http.RequestServices.GetRequiredService<IOptions<IngestionOptions>>().Value;
                var system = http.User.Identity?.Name ?? "anonymous";
                var key = http.RequestServices.GetRequiredService<IOptionsMonitor<ApiKeyOptions>>().CurrentValue.Keys.FirstOrDefault(k => k.System == system);
                var perSecond = key?.RequestsPerSecond ?? ingestion.RequestsPerSecond;
                var burst = key?.Burst ?? ingestion.Burst;
                return RateLimitPartition.GetTokenBucketLimiter($"{system}:{perSecond}:{burst}", _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = burst,
                    TokensPerPeriod = perSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
        });
        return services;
    }
}

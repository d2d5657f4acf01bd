using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Omo.Clienteling.Ingestion;

/// <summary>What a sending system may do with its key.</summary>
public static class ApiPermissions
{
    public const string EventsWrite = "events:write";
    public const string ProfilesRead = "profiles:read";
    public const string CheckInsRead = "checkins:read";
    public const string StockRead = Catalog.StockApi.Permission;

    public static IReadOnlyList<string> All { get; } = [EventsWrite, StockRead, ProfilesRead, CheckInsRead];
}

/// <summary>One outside system's key: stored as a SHA-256 hash, never in clear.</summary>
public sealed class ApiKeyEntry
{
    /// <summary>The sending system's name ("webshop", "app", "pos-shibuya"): events' ids are unique per system.</summary>
    public string System { get; set; } = "";
    /// <summary>Lowercase hex SHA-256 of the key (<c>printf %s KEY | sha256sum</c>).</summary>
    public string KeySha256 { get; set; } = "";
    public List<string> Permissions { get; set; } = [];
    /// <summary>Event types this key may send; empty means every type.</summary>
    public List<string> EventTypes { get; set; } = [];
    /// <summary>
    /// The stores this system speaks for: the check-ins it may read, and the stores its events may happen in (a till's
    /// key: its own shop). Empty or "*" means every store.
    /// </summary>
    public List<string> Stores { get; set; } = [];
    /// <summary>This key's own rate limit, instead of Ingestion:RequestsPerSecond / Ingestion:Burst.</summary>
    public int? RequestsPerSecond { get; set; }
    public int? Burst { get; set; }
}

public sealed class ApiKeyOptions
{
    public const string Section = "ApiKeys";

    /// <summary>The documented Development key; the app refuses to start outside Development while it is configured.</summary>
    public const string DemoKey = "demo-ingest-key";

    public List<ApiKeyEntry> Keys { get; set; } = [];

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}

public static class ApiKeyClaims
{
    public const string Scheme = "ApiKey";
    public const string Permission = "api_permission";
    public const string EventType = "api_event_type";
    public const string Store = "api_store";
    public const string AllStores = "*";
}

/// <summary>
/// Authenticates outside systems by <c>X-Api-Key</c>, or <c>Authorization: Bearer</c> / <c>access_token</c> for the
/// SignalR hub (browsers' WebSockets cannot send headers).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptionsMonitor<ApiKeyOptions> keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Request.Headers["X-Api-Key"].FirstOrDefault();
        if (presented is null && Request.Headers.Authorization.FirstOrDefault() is { } auth && auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            presented = auth["Bearer ".Length..].Trim();
        if (presented is null && Request.Path.StartsWithSegments("/hubs")) presented = Request.Query["access_token"].FirstOrDefault();
        if (string.IsNullOrEmpty(presented)) return Task.FromResult(AuthenticateResult.NoResult());

        var hash = Encoding.ASCII.GetBytes(ApiKeyOptions.Hash(presented));
        var entry = keys.CurrentValue.Keys.FirstOrDefault(k =>
            k.KeySha256.Length == hash.Length && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(k.KeySha256.ToLowerInvariant()), hash));
        if (entry is null) return Task.FromResult(AuthenticateResult.NoResult());

        var claims = new List<Claim> { new(ClaimTypes.Name, entry.System), new(ClaimTypes.NameIdentifier, "api:" + entry.System) };
        claims.AddRange(entry.Permissions.Select(p => new Claim(ApiKeyClaims.Permission, p)));
        claims.AddRange(entry.EventTypes.Select(t => new Claim(ApiKeyClaims.EventType, t)));
        claims.AddRange((entry.Stores.Count == 0 ? [ApiKeyClaims.AllStores] : entry.Stores).Select(s => new Claim(ApiKeyClaims.Store, s)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, ApiKeyClaims.Scheme));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, ApiKeyClaims.Scheme)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // The hub's policy challenges several schemes: the first to answer writes the response.
        if (Response.HasStarted) return;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        await Results.Problem(
            title: "Missing or unknown API key",
            detail: "Send the key of your system in the X-Api-Key header.",
            statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (Response.HasStarted) return;
        await Results.Problem(
            title: "This API key may not do that",
            detail: "The key is valid but lacks the permission for this endpoint.",
            statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(Context);
    }
}

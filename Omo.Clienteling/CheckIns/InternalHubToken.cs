using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Omo.Clienteling.CheckIns;

/// <summary>
/// The server's own credential for its hub connection (the feed that fans alerts out to the tablets' circuits): there is
/// no browser cookie on that connection. A short-lived token protected with ASP.NET Core Data Protection, presented as
/// <c>access_token</c>; servers that connect to each other must share the Data Protection key ring.
/// </summary>
public sealed class InternalHubToken(IDataProtectionProvider protection, TimeProvider clock)
{
    public const string Scheme = "InternalHubToken";
    public const string Claim = "omo_internal";
    private const string Payload = "omo-checkin-feed";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private ITimeLimitedDataProtector Protector => protection.CreateProtector("Omo.CheckIns.InternalHubToken").ToTimeLimitedDataProtector();

    /// <summary>A fresh token for each (re)connection.</summary>
    public string Create() => Protector.Protect(Payload, clock.GetUtcNow() + Lifetime);

    public bool IsValid(string token)
    {
        try { return Protector.Unprotect(token, out var expires) == Payload && expires > clock.GetUtcNow(); }
        catch (System.Security.Cryptography.CryptographicException) { return false; }
    }
}

public sealed class InternalHubTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, InternalHubToken tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Path.StartsWithSegments(CheckInHub.Path)) return Task.FromResult(AuthenticateResult.NoResult());
        var token = Request.Query["access_token"].FirstOrDefault();
        if (token is null && Request.Headers.Authorization.FirstOrDefault() is { } auth && auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            token = auth["Bearer ".Length..].Trim();
        if (string.IsNullOrEmpty(token) || !tokens.IsValid(token)) return Task.FromResult(AuthenticateResult.NoResult());
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "checkin-feed"), new Claim(InternalHubToken.Claim, "1")], InternalHubToken.Scheme));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, InternalHubToken.Scheme)));
    }

    // The hub's policy challenges several schemes: the first to answer writes the response.
    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Response.HasStarted ? Task.CompletedTask : base.HandleChallengeAsync(properties);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Response.HasStarted ? Task.CompletedTask : base.HandleForbiddenAsync(properties);
}

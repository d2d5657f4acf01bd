using System.Security.Claims;
using Microsoft.Extensions.Options;
using Omo.Clienteling.Catalog;
using Omo.Clienteling.Ingestion;
using Omo.Clienteling.Scanning;
using Omo.Clienteling.Staff;

namespace Omo.Clienteling.Members;

/// <summary><c>GET /api/v1/members/{code}/profile</c>: the unified profile for other store systems, behind an API key.</summary>
public static class MemberApi
{
    public const string ProfilesReadPolicy = "api:profiles:read";

    public static IEndpointRouteBuilder MapMemberApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/members/{code}/profile", async (string code, string? store, ClaimsPrincipal caller,
                MemberLookupService lookups, ProfileService profiles, StoreDirectory stores, AuditLog audit, IOptions<StoreOptions> defaults) =>
            {
                var storeId = store ?? defaults.Value.Default;
                if (stores.Find(storeId) is not { IsShop: true })
                    return Results.Problem(title: "Unknown store", detail: $"'{storeId}' is not one of our shops.", statusCode: 400);
                var lookup = await lookups.LookupAsync(code);
                if (lookup.Outcome != LookupOutcome.Found) return LookupProblem(lookup);
                var profile = await profiles.AssembleAsync(lookup.MemberId!.Value, storeId);
                if (profile is null) return LookupProblem(lookup with { Outcome = LookupOutcome.Unknown });
                await audit.RecordAsync(AuditActions.ProfileViewed, null, storeId, profile.Member.MemberId, $"api:{caller.Identity?.Name}");
                return Results.Ok(profile);
            })
            .RequireAuthorization(ProfilesReadPolicy)
            .WithName("GetMemberProfile")
            .WithSummary("The unified profile of the member a code identifies, for one store.")
            .Produces<UnifiedProfile>()
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(404).ProducesProblem(410).ProducesProblem(422);
        return endpoints;
    }

    /// <summary>Every outcome other than found, as RFC 7807 problem details with its own type and status.</summary>
    public static IResult LookupProblem(MemberLookup lookup)
    {
        var (status, title, detail) = lookup.Outcome switch
        {
            LookupOutcome.Malformed => (400, "Malformed member code", $"The code is not in any member code format ({lookup.Reason})."),
            LookupOutcome.Expired => (422, "Expired app code", "The rotating app code is outside its 30-second window; the customer should reopen the code in the app."),
            LookupOutcome.Forged => (422, "Forged app code", "The app code's signature does not match."),
            LookupOutcome.Unknown => (404, "Unknown member", "The code is well-formed but no member has it."),
            LookupOutcome.Revoked => (410, "Revoked card", "This card was reported lost or replaced."),
            LookupOutcome.Erased => (410, "Erased member", "This member asked to be forgotten; no data is kept."),
            _ => (500, "Unexpected outcome", lookup.Outcome.ToString()),
        };
        return Results.Problem(title: title, detail: detail, statusCode: status,
            type: $"https://omo-clienteling.example/problems/member-code-{lookup.Outcome.ToString().ToLowerInvariant()}",
            extensions: new Dictionary<string, object?> { ["outcome"] = lookup.Outcome.ToString().ToLowerInvariant() });
    }
}

using System.Security.Claims;

namespace Omo.Clienteling.Staff;

public static class StaffRoles
{
    public const string Associate = "associate";
    public const string Manager = "manager";
    public const string Trainer = "trainer";
    public const string Admin = "admin";

    public static readonly string[] All = [Associate, Manager, Trainer, Admin];

    /// <summary>Associates and managers belong to one store; trainers and admins work for the chain and choose one.</summary>
    public static bool ChoosesStore(string role) => role is Trainer or Admin;
}

/// <summary>A signed-in person, the store they are working in, and their session (the server's record of the sign-in).</summary>
public sealed record StaffMember(string Code, string Name, string Role, string StoreId, string? SessionId = null)
{
    public const string StoreClaim = "omo_store";
    public const string SessionClaim = "omo_session";

    public bool ChoosesStore => StaffRoles.ChoosesStore(Role);

    /// <summary>Whether this person may see that store's customers, alerts, reports and audit.</summary>
    public bool MayWorkIn(string? storeId) => storeId is not null && (ChoosesStore || storeId == StoreId);

    public ClaimsPrincipal ToPrincipal(string scheme) => new(new ClaimsIdentity(
        new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, Code),
            new(ClaimTypes.Name, Name),
            new(ClaimTypes.Role, Role),
            new(StoreClaim, StoreId),
        }.Concat(SessionId is null ? [] : [new Claim(SessionClaim, SessionId)]), scheme));

    /// <summary>The staff member a principal names, or null for anyone else (an API key, nobody).</summary>
    public static StaffMember? From(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true) return null;
        var code = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var role = principal.FindFirstValue(ClaimTypes.Role);
        var store = principal.FindFirstValue(StoreClaim);
        if (code is null || role is null || store is null || !StaffRoles.All.Contains(role)) return null;
        return new StaffMember(code, principal.FindFirstValue(ClaimTypes.Name) ?? code, role, store, principal.FindFirstValue(SessionClaim));
    }
}

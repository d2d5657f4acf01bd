using Microsoft.AspNetCore.Authorization;
using Omo.Clienteling.Demo;

namespace Omo.Clienteling.Staff;

/// <summary>
/// What each role may do. Pages, hub methods and endpoints name one of these policies; store scoping comes on top,
/// from the store in the person's sign-in (<see cref="StaffMember.StoreId"/>).
/// </summary>
public static class StaffPolicies
{
    /// <summary>Scan, profiles, notes, claiming check-ins: everyone on the shop floor (trainers only on demo data).</summary>
    public const string Floor = "staff:floor";

    /// <summary>The store's board, reports and audit: managers for their store, admins for any, trainers on demo data (to teach them).</summary>
    public const string StoreManagement = "staff:store-management";

    /// <summary>Demo reset, persona deck, cards, simulator: trainers and admins, and only on the demo dataset.</summary>
    public const string Training = "staff:training";

    /// <summary>Staff, stores, API keys, erasure.</summary>
    public const string Administration = "staff:administration";

    public static AuthorizationBuilder AddStaffPolicies(this AuthorizationBuilder builder) => builder
        .AddPolicy(Floor, p => p.AddAuthenticationSchemes(StaffAuthentication.Scheme)
            .RequireRole(StaffRoles.Associate, StaffRoles.Manager, StaffRoles.Trainer, StaffRoles.Admin)
            .AddRequirements(new DemoDataOnlyRequirement(StaffRoles.Trainer)))
        .AddPolicy(StoreManagement, p => p.AddAuthenticationSchemes(StaffAuthentication.Scheme)
            .RequireRole(StaffRoles.Manager, StaffRoles.Admin, StaffRoles.Trainer)
            .AddRequirements(new DemoDataOnlyRequirement(StaffRoles.Trainer)))
        .AddPolicy(Training, p => p.AddAuthenticationSchemes(StaffAuthentication.Scheme)
            .RequireRole(StaffRoles.Trainer, StaffRoles.Admin)
            .AddRequirements(new DemoDataOnlyRequirement(StaffRoles.Trainer, StaffRoles.Admin)))
        .AddPolicy(Administration, p => p.AddAuthenticationSchemes(StaffAuthentication.Scheme)
            .RequireRole(StaffRoles.Admin));
}

/// <summary>People in <see cref="Roles"/> are allowed only while the app runs on the demo dataset.</summary>
public sealed record DemoDataOnlyRequirement(params string[] Roles) : IAuthorizationRequirement;

public sealed class DemoDataOnlyHandler(DemoDataset dataset) : AuthorizationHandler<DemoDataOnlyRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, DemoDataOnlyRequirement requirement)
    {
        var role = StaffMember.From(context.User)?.Role;
        if (role is not null && (!requirement.Roles.Contains(role) || dataset.IsDemo)) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}

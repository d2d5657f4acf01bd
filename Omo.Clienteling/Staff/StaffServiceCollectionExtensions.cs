using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;

namespace Omo.Clienteling.Staff;

public static class StaffServiceCollectionExtensions
{
    /// <summary>Sign-in, roles and policies, the audit log and the idle lock.</summary>
    public static IServiceCollection AddStaff(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<StaffOptions>(configuration.GetSection(StaffOptions.Section));
        var staff = configuration.GetSection(StaffOptions.Section).Get<StaffOptions>() ?? new StaffOptions();
        services.AddAuthentication(StaffAuthentication.Scheme)
            .AddCookie(StaffAuthentication.Scheme, o => StaffAuthentication.ConfigureCookie(o, staff));
        services.AddAuthorizationBuilder().AddStaffPolicies();
        services.AddSingleton<IAuthorizationHandler, DemoDataOnlyHandler>();
        // SecurityHeaders sends X-Frame-Options: DENY itself.
        services.AddAntiforgery(o => o.SuppressXFrameOptionsHeader = true);
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, StaffRevalidatingAuthenticationStateProvider>();

        services.AddSingleton<AuditLog>();
        services.AddSingleton<StaffDirectory>();
        services.AddScoped<ShopContext>();
        services.AddScoped<IdleLock>();
        return services;
    }
}

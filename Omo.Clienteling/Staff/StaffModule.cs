using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.SignalR;

namespace Omo.Clienteling.Staff;

public static class StaffModule
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

        services.AddSingleton<AuditSpill>();
        services.AddSingleton<AuditLog>();
        services.AddHostedService<AuditSpillWriter>();
        services.AddSingleton<StaffSessions>();
        services.AddSingleton<SignInGuard>();
        services.AddSingleton<StaffDirectory>();
        services.AddScoped<ShopContext>();
        services.AddScoped<TabletLock>();
        services.AddSingleton<HubSessionWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<HubSessionWatch>());
        services.AddSingleton<SessionHubFilter>();

        // Behind a load balancer the client's address comes in X-Forwarded-For; it is believed only from the proxies
        // named in ForwardedHeaders:KnownProxies (loopback always), so a client cannot claim someone else's address.
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [])
                if (System.Net.IPAddress.TryParse(proxy, out var address)) o.KnownProxies.Add(address);
        });
        return services;
    }
}

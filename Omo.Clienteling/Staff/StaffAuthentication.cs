using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;
using Omo.Clienteling.Catalog;

namespace Omo.Clienteling.Staff;

/// <summary>
/// Staff sign-in on shared tablets: a cookie naming a server-side session (<see cref="StaffSessions"/>), issued for staff
/// code + PIN and checked on every request: a session that ended anywhere ends this cookie everywhere within seconds.
/// </summary>
public static class StaffAuthentication
{
    public const string Scheme = "Staff";

    public static void ConfigureCookie(CookieAuthenticationOptions o, StaffOptions staff)
    {
        o.Cookie.Name = "omo.staff";
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Strict;
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.LoginPath = "/signin";
        o.AccessDeniedPath = "/denied";
        o.ReturnUrlParameter = "returnUrl";
        o.ExpireTimeSpan = staff.Session;
        o.SlidingExpiration = true;
        o.Events.OnValidatePrincipal = async context =>
        {
            // Signed out, deactivated, a new PIN, role or store, signed out everywhere: the session ended, and so does the cookie.
            var staffMember = StaffMember.From(context.Principal);
            var sessions = context.HttpContext.RequestServices.GetRequiredService<StaffSessions>();
            if (staffMember is null || !await sessions.IsOpenAsync(staffMember.SessionId))
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(Scheme);
            }
        };
        // Programs calling /api or /hubs get a status code, not a redirect to a sign-in page they cannot use.
        o.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
        o.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
    }

    private static Task RedirectOrStatus(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Response.HasStarted) return Task.CompletedTask; // another scheme of the same policy answered
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/hubs"))
            context.Response.StatusCode = status;
        else
            context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    public static Task SignInAsync(HttpContext http, StaffMember staff) =>
        http.SignInAsync(Scheme, staff.ToPrincipal(Scheme), new AuthenticationProperties { IsPersistent = false });

    /// <summary>
    /// A successful sign-in: a new session (ending one this browser had), the cookie naming it, and the tablet trusted for
    /// this person from now on (<see cref="SignInGuard"/>).
    /// </summary>
    public static async Task StartSessionAsync(HttpContext http, StaffAccount account, string storeId, SignInGuard.Client client)
    {
        var services = http.RequestServices;
        var sessions = services.GetRequiredService<StaffSessions>();
        if (StaffMember.From(http.User)?.SessionId is { } previous) await sessions.EndAsync(previous, SessionEndings.SignedOut);
        var sessionId = await sessions.StartAsync(account.Code, account.Role, storeId, client.Address);
        await SignInAsync(http, new StaffMember(account.Code, account.Name, account.Role, storeId, sessionId));
        http.Response.Cookies.Append(SignInGuard.DeviceCookie, services.GetRequiredService<SignInGuard>().TrustDevice(client.Device, account.Code),
            new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, MaxAge = TimeSpan.FromDays(365), IsEssential = true });
    }

    /// <summary>Sign-out, and a trainer's or admin's choice of store: posted forms, checked for antiforgery.</summary>
    public static IEndpointRouteBuilder MapStaffEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/signout", async (HttpContext http, IAntiforgery antiforgery, StaffSessions sessions, AuditLog audit) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http)) return FormExpired();
            if (StaffMember.From(http.User) is { SessionId: { } sessionId } staff)
            {
                // The session ends on the server: a copy of this cookie is worth nothing from now on, on any server.
                await sessions.EndAsync(sessionId, SessionEndings.SignedOut);
                await audit.RecordAsync(AuditActions.SignedOut, staff.Code, staff.StoreId, null, null, http.Connection.RemoteIpAddress?.ToString());
            }
            await http.SignOutAsync(Scheme);
            return Results.LocalRedirect("/signin");
        }).ExcludeFromDescription();

        endpoints.MapPost("/staff/store", async (HttpContext http, IAntiforgery antiforgery, StoreDirectory stores, StaffSessions sessions) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http)) return FormExpired();
            var form = await http.Request.ReadFormAsync();
            var staff = StaffMember.From(http.User);
            if (staff is null) return Results.Challenge(authenticationSchemes: [Scheme]);
            if (!staff.ChoosesStore || stores.Find(form["storeId"]) is not { IsShop: true } store)
                return Results.Problem(title: "Store not changed", detail: "Only trainers and admins choose their store, and only one of our shops.", statusCode: 403);
            if (staff.SessionId is { } sessionId) await sessions.MoveAsync(sessionId, store.StoreId);
            await SignInAsync(http, staff with { StoreId = store.StoreId });
            return Results.LocalRedirect(LocalUrl.Safe(form["returnUrl"]));
        }).RequireAuthorization(StaffPolicies.Floor).ExcludeFromDescription();
        return endpoints;
    }

    private static IResult FormExpired() => Results.Problem(title: "The form has expired",
        detail: "Reload the page and try again: the form's antiforgery token is missing or belongs to another sign-in.", statusCode: 400);
}

/// <summary>
/// Re-checks a live tablet's session every few seconds: signing out in one tab, deactivation or a PIN change ends the
/// open circuits too (they go to the sign-in page), not only the next request.
/// </summary>
public sealed class StaffRevalidatingAuthenticationStateProvider(ILoggerFactory loggers, StaffSessions sessions)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override TimeSpan RevalidationInterval => Interval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken)
    {
        try
        {
            return await sessions.IsOpenAsync(StaffMember.From(state.User)?.SessionId);
        }
        catch (ObjectDisposedException)
        {
            return true; // the app is shutting down; the circuit goes with it
        }
    }
}

using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;
using Omo.Clienteling.Catalog;

namespace Omo.Clienteling.Staff;

/// <summary>Staff sign-in on shared tablets: a cookie issued for staff code + PIN, checked again while in use.</summary>
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
            // A deactivated person, or one whose role changed, is signed out at their next request.
            var staffMember = StaffMember.From(context.Principal);
            var directory = context.HttpContext.RequestServices.GetRequiredService<StaffDirectory>();
            if (staffMember is null || !await directory.IsCurrentAsync(staffMember.Code, staffMember.Role))
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

    /// <summary>Sign-out, and a trainer's or admin's choice of store: posted forms, checked for antiforgery.</summary>
    public static IEndpointRouteBuilder MapStaffEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/signout", async (HttpContext http, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http)) return FormExpired();
            await http.SignOutAsync(Scheme);
            return Results.LocalRedirect("/signin");
        }).ExcludeFromDescription();

        endpoints.MapPost("/staff/store", async (HttpContext http, IAntiforgery antiforgery, StoreDirectory stores) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http)) return FormExpired();
            var form = await http.Request.ReadFormAsync();
            var staff = StaffMember.From(http.User);
            if (staff is null) return Results.Challenge(authenticationSchemes: [Scheme]);
            if (!staff.ChoosesStore || stores.Find(form["storeId"]) is not { IsShop: true } store)
                return Results.Problem(title: "Store not changed", detail: "Only trainers and admins choose their store, and only one of our shops.", statusCode: 403);
            await SignInAsync(http, staff with { StoreId = store.StoreId });
            return Results.LocalRedirect(LocalUrl.Safe(form["returnUrl"]));
        }).RequireAuthorization(StaffPolicies.Floor).ExcludeFromDescription();
        return endpoints;
    }

    private static IResult FormExpired() => Results.Problem(title: "The form has expired",
        detail: "Reload the page and try again: the form's antiforgery token is missing or belongs to another sign-in.", statusCode: 400);
}

/// <summary>Re-checks a live tablet's sign-in every minute, so deactivating someone ends their open session too.</summary>
public sealed class StaffRevalidatingAuthenticationStateProvider(ILoggerFactory loggers, IServiceScopeFactory scopes)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken)
    {
        var staff = StaffMember.From(state.User);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            return staff is not null && await scope.ServiceProvider.GetRequiredService<StaffDirectory>().IsCurrentAsync(staff.Code, staff.Role);
        }
        catch (ObjectDisposedException)
        {
            return true; // the app is shutting down; the circuit goes with it
        }
    }
}

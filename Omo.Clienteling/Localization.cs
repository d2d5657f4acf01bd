using Microsoft.AspNetCore.Localization;

namespace Omo.Clienteling;

/// <summary>Marker for the shared resource files Resources/SharedResource(.ja).resx.</summary>
public sealed class SharedResource;

public static class CultureEndpoint
{
    public static readonly string[] Cultures = ["ja-JP", "en-US"];

    /// <summary>
    /// Japanese unless the person chose English with the toggle: the browser's Accept-Language is ignored,
    /// because shared tablets are set up once and the store's language is Japanese.
    /// </summary>
    public static RequestLocalizationOptions Options()
    {
        var options = new RequestLocalizationOptions()
            .SetDefaultCulture(Cultures[0])
            .AddSupportedCultures(Cultures)
            .AddSupportedUICultures(Cultures);
        options.RequestCultureProviders = [new CookieRequestCultureProvider()];
        return options;
    }

    /// <summary>Switches between Japanese and English with the standard culture cookie, then goes back to the page.</summary>
    public static IEndpointRouteBuilder MapCultureEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/culture/{culture}", (string culture, string? returnUrl, HttpContext http) =>
        {
            if (!Cultures.Contains(culture))
                return Results.Problem(title: "Unknown language", detail: $"Choose one of: {string.Join(", ", Cultures)}.", statusCode: 400);
            http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true });
            return Results.LocalRedirect(LocalUrl.Safe(returnUrl));
        }).ExcludeFromDescription();
        return endpoints;
    }
}

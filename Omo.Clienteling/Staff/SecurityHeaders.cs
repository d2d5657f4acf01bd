using Microsoft.Extensions.Options;

namespace Omo.Clienteling.Staff;

/// <summary>Headers every answer carries: what the browser may load and run, and that no other site may frame us.</summary>
public static class SecurityHeaders
{
    // 'wasm-unsafe-eval' lets the camera scanner compile its WebAssembly decoder and nothing else; Blazor and MudBlazor
    // need inline styles but no inline or evaluated script. blob: and mediastream: carry the camera's video. Images
    // also from the product photos' hosts (Store:ImageHosts), and from nowhere else.
    public static string ContentSecurityPolicy(IEnumerable<string> imageHosts) =>
        $"default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src {string.Join(' ', ["'self'", "data:", "blob:", .. imageHosts])}; " +
        "connect-src 'self' ws: wss:; media-src 'self' blob: mediastream:; worker-src 'self' blob:; font-src 'self' data:; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        var policy = ContentSecurityPolicy(app.ApplicationServices.GetRequiredService<IOptions<Catalog.StoreOptions>>().Value.ImageSources());
        return app.Use((context, next) => Answer(context, next, policy));
    }

    private static Task Answer(HttpContext context, RequestDelegate next, string policy)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = policy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Permissions-Policy"] = "camera=(self), microphone=(), geolocation=(), payment=()";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        // Pages and API answers carry personal data: no browser, proxy or back button keeps a copy. What may be cached
        // (static files, product images) says so itself, replacing this. Written as antiforgery writes it on forms, so
        // it does not have to override (and warn about) ours.
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";
        return next(context);
    }
}

/// <summary>
/// Settings that are public (they are in the README or appsettings.Development.json): outside Development the app
/// refuses to start with any of them, rather than run a real shop on a published key.
/// </summary>
public static class DevelopmentDefaults
{
    public static void RefuseOutsideDevelopment(IConfiguration configuration, IHostEnvironment environment)
    {
        if (environment.IsDevelopment()) return;
        var problems = new List<string>();
        var demoKeyHash = Ingestion.ApiKeyOptions.Hash(Ingestion.ApiKeyOptions.DemoKey);
        if (configuration.GetSection("ApiKeys:Keys").GetChildren().Any(k => string.Equals(k["KeySha256"], demoKeyHash, StringComparison.OrdinalIgnoreCase)))
            problems.Add($"the demo API key '{Ingestion.ApiKeyOptions.DemoKey}' is configured in ApiKeys:Keys; remove it");
        if (configuration["MemberCodes:AppCodeKey"] == Scanning.MemberCodeOptions.DevelopmentKey)
            problems.Add("MemberCodes:AppCodeKey is the published Development key; set the app's real key");
        if (problems.Count > 0)
            throw new InvalidOperationException($"Refusing to start in the {environment.EnvironmentName} environment: {string.Join("; ", problems)}.");
    }
}

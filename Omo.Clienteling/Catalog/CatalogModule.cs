using Omo.Clienteling.Data;

namespace Omo.Clienteling.Catalog;

public static class CatalogModule
{
    public static IServiceCollection AddCatalog(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<StoreOptions>(configuration.GetSection(StoreOptions.Section));
        services.AddCached<StoreDirectory>();
        services.AddSingleton<StoreFigures>();
        services.AddCached<SkuCatalog>();
        services.AddCached<ProductImages>();
        services.AddSingleton<ProductShelf>();
        return services;
    }

    public static IEndpointRouteBuilder MapCatalogEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/catalog/images/{styleCode}.svg", async (string styleCode, ProductImages images, HttpContext http) =>
        {
            var svg = await images.SvgAsync(styleCode);
            if (svg is null) return Results.NotFound();
            http.Response.Headers.CacheControl = "public, max-age=86400";
            return Results.Content(svg, "image/svg+xml");
        }).ExcludeFromDescription();
        endpoints.MapStockApi();
        return endpoints;
    }
}

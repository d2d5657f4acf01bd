using Microsoft.AspNetCore.Authentication;
using Omo.Clienteling.Catalog;
using Omo.Clienteling.Members;

namespace Omo.Clienteling.Ingestion;

public static class IngestionModule
{
    /// <summary>API keys for outside systems and the policies that name their permissions.</summary>
    public static IServiceCollection AddApiKeys(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ApiKeyOptions>(configuration.GetSection(ApiKeyOptions.Section));
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyClaims.Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(MemberApi.ProfilesReadPolicy, p => p.AddAuthenticationSchemes(ApiKeyClaims.Scheme).RequireClaim(ApiKeyClaims.Permission, ApiPermissions.ProfilesRead))
            .AddPolicy(ApiPermissions.EventsWrite, p => p.AddAuthenticationSchemes(ApiKeyClaims.Scheme).RequireClaim(ApiKeyClaims.Permission, ApiPermissions.EventsWrite))
            .AddPolicy(ApiPermissions.StockRead, p => p.AddAuthenticationSchemes(ApiKeyClaims.Scheme).RequireClaim(ApiKeyClaims.Permission, ApiPermissions.StockRead));
        return services;
    }

    /// <summary>The events API: validation, ingestion into the member store, the body limit and the per-key rate limit.</summary>
    public static IServiceCollection AddIngestion(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<IngestionOptions>(configuration.GetSection(IngestionOptions.Section));
        services.AddSingleton<EventReader>();
        services.AddSingleton<EventIngestor>();
        services.AddEventsRateLimit();
        return services;
    }
}

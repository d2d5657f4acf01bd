using Omo.Clienteling.Data;

namespace Omo.Clienteling.Demo;

public static class DemoModule
{
    public static IServiceCollection AddDemo(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<DemoOptions>(configuration.GetSection(DemoOptions.Section));
        services.AddCached<DemoDataset>();
        services.AddSingleton<DemoDataService>();
        services.AddSingleton<TrainerApiKey>();
        services.AddSingleton<Microsoft.Extensions.Options.IPostConfigureOptions<Ingestion.ApiKeyOptions>>(sp => sp.GetRequiredService<TrainerApiKey>());
        // A real retailer's start (Demo:Enabled=false) has nothing of the demo: not even Development's published API key.
        services.AddOptions<Ingestion.ApiKeyOptions>().PostConfigure<Microsoft.Extensions.Options.IOptions<DemoOptions>>((keys, demo) =>
        {
            if (!demo.Value.Enabled)
                keys.Keys.RemoveAll(k => string.Equals(k.KeySha256, Ingestion.ApiKeyOptions.Hash(Ingestion.ApiKeyOptions.DemoKey), StringComparison.OrdinalIgnoreCase));
        });
        services.AddHttpClient<DemoEventSender>();
        services.AddSingleton<PersonaDeck>();
        services.AddSingleton<ShopFloorSimulator>();
        services.AddHostedService(sp => sp.GetRequiredService<ShopFloorSimulator>());
        return services;
    }
}

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
        services.AddHttpClient<DemoEventSender>();
        services.AddSingleton<PersonaDeck>();
        services.AddSingleton<ShopFloorSimulator>();
        services.AddHostedService(sp => sp.GetRequiredService<ShopFloorSimulator>());
        return services;
    }
}

namespace Omo.Clienteling.Holds;

public static class HoldsModule
{
    /// <summary>Holds and appointments: their settings, the shop's preparation list, the sweep that closes what time ended, the report.</summary>
    public static IServiceCollection AddHolds(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<HoldOptions>(configuration.GetSection(HoldOptions.Section));
        services.AddSingleton<PreparationList>();
        services.AddSingleton<HoldReport>();
        services.AddSingleton<HoldKeeper>();
        services.AddHostedService(sp => sp.GetRequiredService<HoldKeeper>());
        return services;
    }
}

using Omo.Clienteling.Data;

namespace Omo.Clienteling.TalkingPoints;

public static class TalkingPointsModule
{
    public static IServiceCollection AddTalkingPoints(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<TalkingPointOptions>(configuration.GetSection(TalkingPointOptions.Section));
        services.AddCached<StoreStockCache>();
        services.AddSingleton<TalkingPointService>();
        services.AddSingleton<TalkingPointFeedback>();
        services.AddSingleton<FollowUps>();
        services.Configure<AttributionOptions>(configuration.GetSection(AttributionOptions.Section));
        return services;
    }
}

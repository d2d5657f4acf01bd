using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Omo.Clienteling.Staff;

namespace Omo.Clienteling.CheckIns;

public static class CheckInsModule
{
    public static IServiceCollection AddCheckIns(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<CheckInOptions>(configuration.GetSection(CheckInOptions.Section));
        services.AddSingleton<CheckInRecorder>();
        services.AddSingleton<CheckInAlerts>();
        services.AddSingleton<CheckInBroadcaster>();
        services.AddSingleton<CheckInClaims>();
        services.AddSingleton<DoorCheckIn>();
        services.AddSingleton<InternalHubToken>();
        services.AddSingleton<InternalAddress>();
        services.AddHostedService<CheckInNotifier>();
        services.AddSingleton<CheckInFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<CheckInFeed>());

        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, InternalHubTokenHandler>(InternalHubToken.Scheme, null);
        services.AddAuthorizationBuilder().AddCheckInPolicy();
        services.AddSingleton<IAuthorizationHandler, CheckInReaderHandler>();

        // With SignalR:Redis set, hub messages go through Redis, so a check-in posted to one server reaches boards on all.
        var signalR = services.AddSignalR();
        // Staff connections to the check-in hub live as long as their session. Only this hub: Blazor's own circuit hub
        // must connect while the tablet is locked, to show the lock screen.
        signalR.AddHubOptions<CheckInHub>(o => o.AddFilter<SessionHubFilter>());
        if (configuration["SignalR:Redis"] is { Length: > 0 } redis)
        {
            signalR.AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal("omo"));
            // A server that has lost the backplane would take check-ins its boards elsewhere never see: not ready.
            services.AddSingleton(new RedisHealthCheck(redis));
            services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: [HealthEndpoints.Ready]);
        }
        return services;
    }
}

namespace Omo.Clienteling.Webhooks;

public static class WebhooksModule
{
    /// <summary>Webhooks: the outbox, the subscriptions (settings and admin), and the dispatcher each server runs.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<WebhookOptions>(configuration.GetSection(WebhookOptions.Section));
        services.AddSingleton<WebhookOutbox>();
        services.AddSingleton<WebhookSubscriptions>();
        services.AddSingleton<Data.IDatabaseStartupTask>(sp => sp.GetRequiredService<WebhookSubscriptions>());
        // Redirects are not followed: a subscriber's address is where its messages go, and a 3xx is tried again later.
        services.AddHttpClient(WebhookDispatcher.HttpClientName, client => client.DefaultRequestHeaders.UserAgent.ParseAdd("Omo-Clienteling-Webhooks/1.0"))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        return services;
    }
}

using Microsoft.Extensions.Options;

namespace Omo.Clienteling.Data;

public static class DataServiceCollectionExtensions
{
    public static IServiceCollection AddOmoData(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        DapperTypeHandlers.Register();
        services.AddOptions<DatabaseOptions>().Configure(o =>
            o.ConnectionString = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName) is { Length: > 0 } configured
                ? configured
                : OmoDatabase.DefaultConnectionString(environment.ContentRootPath));
        services.AddSingleton<OmoDatabase>();
        services.AddSingleton<Migrator>();
        services.AddHostedService<WalCheckpointer>();
        services.AddSingleton(TimeProvider.System);
        return services;
    }
}

using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using Omo.Clienteling.Data.Postgres;
using Omo.Clienteling.Data.Sqlite;

namespace Omo.Clienteling.Data;

public static class DataModule
{
    /// <summary>The member store on the configured provider, its migrations, upkeep, shared key ring and health check.</summary>
    public static IServiceCollection AddOmoData(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        DapperTypeHandlers.Register();
        var options = Read(configuration, environment.ContentRootPath);
        services.AddSingleton(Options.Create(options));
        services.AddSingleton(CreateDialect(options));
        services.AddSingleton<OmoDatabase>();
        services.AddSingleton<Migrator>();
        services.AddHostedService<DatabaseMaintenance>();
        services.AddSingleton<DataVersions>();
        services.AddHostedService(sp => sp.GetRequiredService<DataVersions>());

        // Every server of a chain reads the others' cookies and tokens: one key ring, in the database.
        services.AddDataProtection().SetApplicationName("Omo.Clienteling");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new DataProtectionKeys(sp.GetRequiredService<OmoDatabase>())));

        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [HealthEndpoints.Ready]);
        services.AddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary><c>Database:Provider</c> and <c>ConnectionStrings:Omo</c>, with a clear refusal for anything else.</summary>
    public static DatabaseOptions Read(IConfiguration configuration, string contentRoot)
    {
        var provider = configuration[$"{DatabaseOptions.Section}:Provider"] is { Length: > 0 } name
            ? Enum.TryParse<DatabaseProvider>(name, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                ? parsed
                : throw new InvalidOperationException($"Database:Provider '{name}' is not one of: sqlite, postgres.")
            : DatabaseProvider.Sqlite;
        var connectionString = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName) is { Length: > 0 } configured
            ? configured
            : provider == DatabaseProvider.Sqlite
                ? $"Data Source={Path.Combine(contentRoot, "App_Data", "omo.db")}"
                : throw new InvalidOperationException("Database:Provider is postgres: set ConnectionStrings:Omo, e.g. Host=db;Database=omo;Username=omo;Password=….");
        return new DatabaseOptions { Provider = provider, ConnectionString = connectionString };
    }

    public static SqlDialect CreateDialect(DatabaseOptions options) => options.Provider switch
    {
        DatabaseProvider.Postgres => new PostgresDialect(options.ConnectionString),
        _ => new SqliteDialect(options.ConnectionString),
    };
}

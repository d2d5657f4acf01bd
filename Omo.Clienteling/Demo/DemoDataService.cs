using Dapper;
using Microsoft.Extensions.Options;
using Omo.Clienteling.Data;

namespace Omo.Clienteling.Demo;

/// <summary>Loads the demo dataset into the member store, on first start and when a trainer resets it.</summary>
public sealed class DemoDataService(OmoDatabase database, DemoDataset dataset, IOptions<DemoOptions> options, TimeProvider clock, ILogger<DemoDataService> logger)
{
    public bool IsEmpty()
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM stores") == 0;
    }

    public DemoDataGenerator.Result Load()
    {
        using var connection = database.Open();
        var result = new DemoDataGenerator(options.Value.Seed, clock.Today(), options.Value.Members).Generate(connection);
        dataset.Reload();
        logger.LogInformation("Demo dataset loaded: {Members} members, {Rows} rows in {Elapsed}", result.Members, result.Rows, result.Elapsed);
        return result;
    }
}

public static class DemoServiceCollectionExtensions
{
    public static IServiceCollection AddDemo(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<DemoOptions>(configuration.GetSection(DemoOptions.Section));
        services.AddSingleton<DemoDataset>();
        services.AddSingleton<DemoDataService>();
        return services;
    }
}

using Dapper;
using Microsoft.Extensions.Options;
using Omo.Clienteling.Catalog;
using Omo.Clienteling.Data;
using Omo.Clienteling.Staff;
using Omo.Clienteling.TalkingPoints;

namespace Omo.Clienteling.Demo;

/// <summary>Loads the demo dataset into the member store, on first start and when a trainer resets it.</summary>
public sealed class DemoDataService(
    OmoDatabase database, DemoDataset dataset, StoreDirectory stores, SkuCatalog skus, StoreStockCache shelves, AuditLog audit,
    IOptions<DemoOptions> options, TimeProvider clock, ILogger<DemoDataService> logger)
{
    /// <summary>Kept across a reset: the schema's own record, and the audit log (which nothing deletes).</summary>
    private static readonly HashSet<string> Kept = ["schema_version", "audit_log"];

    /// <summary>Raised after a reset has committed, so open boards and tablets reload what they show.</summary>
    public event Action? WasReset;

    public bool IsEmpty()
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM stores") == 0;
    }

    public DemoDataGenerator.Result Load()
    {
        using var connection = database.Open();
        var result = Generator().Generate(connection);
        Reloaded();
        logger.LogInformation("Demo dataset loaded: {Members} members, {Rows} rows in {Elapsed}", result.Members, result.Rows, result.Elapsed);
        return result;
    }

    /// <summary>
    /// Puts the demo data back to its generated state for today, in one transaction while the app runs: tablets keep
    /// reading the old data until the new is complete. Refused on real customers' data.
    /// </summary>
    public DemoDataGenerator.Result Reset(StaffMember by)
    {
        if (!dataset.IsDemo) throw new InvalidOperationException("This database holds real customers' data, not the demo dataset: it cannot be reset.");
        DemoDataGenerator.Result result;
        using (var connection = database.Open())
            result = Generator().Replace(connection, (c, t) =>
            {
                // Foreign keys are checked at commit, when parents and children are back.
                c.Execute("PRAGMA defer_foreign_keys = ON", transaction: t);
                var tables = c.Query<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", transaction: t);
                foreach (var table in tables.Where(t => !Kept.Contains(t))) c.Execute($"DELETE FROM \"{table}\"", transaction: t);
            });
        Reloaded();
        audit.Record(AuditActions.DemoReset, by.Code, by.StoreId, null, $"{result.Members} members, {result.Rows} rows");
        logger.LogInformation("Demo dataset reset by {Staff}: {Rows} rows in {Elapsed}", by.Code, result.Rows, result.Elapsed);
        WasReset?.Invoke();
        return result;
    }

    private DemoDataGenerator Generator() => new(options.Value.Seed, clock.Today(), options.Value.Members);

    // What the app keeps in memory about the dataset.
    private void Reloaded()
    {
        dataset.Reload();
        stores.Reload();
        skus.Reload();
        shelves.Clear();
    }
}

public static class DemoServiceCollectionExtensions
{
    public static IServiceCollection AddDemo(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<DemoOptions>(configuration.GetSection(DemoOptions.Section));
        services.AddSingleton<DemoDataset>();
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

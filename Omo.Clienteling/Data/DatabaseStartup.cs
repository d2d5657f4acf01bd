using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Omo.Clienteling.Demo;

namespace Omo.Clienteling.Data;

public static class DatabaseStartup
{
    /// <summary>
    /// Before the first request: brings the schema up to date, makes sure the shared key ring has a key and, on an
    /// empty database, loads the demo dataset — under the provider's start-up lock, so of two servers starting at once
    /// one migrates and seeds while the other waits and then finds it done. Then loads what the server keeps in memory.
    /// </summary>
    public static async Task InitializeDatabaseAsync(this IHost app, CancellationToken cancellationToken = default)
    {
        var services = app.Services;
        var database = services.GetRequiredService<OmoDatabase>();
        await database.Dialect.PrepareAsync(cancellationToken);
        await using (await database.Dialect.LockForStartupAsync(cancellationToken))
        {
            await services.GetRequiredService<Migrator>().ApplyAsync(cancellationToken);
            // Creates the first key if there is none yet, while the others wait.
            services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Omo.Startup").Protect("key ring ready");
            foreach (var task in services.GetServices<IDatabaseStartupTask>()) await task.RunAsync(cancellationToken);
            var demo = services.GetRequiredService<DemoDataService>();
            if (services.GetRequiredService<IOptions<DemoOptions>>().Value.Enabled && await demo.IsEmptyAsync(cancellationToken))
                await demo.LoadAsync(cancellationToken);
        }
        await services.GetRequiredService<DataVersions>().LoadAllAsync(cancellationToken);
    }
}

/// <summary>
/// Work a feature does once the schema is current, under the start-up lock, before the server takes requests (the
/// settings' webhook subscriptions brought into the database, so every server sends to the same list).
/// </summary>
public interface IDatabaseStartupTask
{
    Task RunAsync(CancellationToken cancellationToken);
}

using Microsoft.Extensions.Options;
using Omo.Clienteling.Demo;

namespace Omo.Clienteling.Data;

public static class DatabaseStartup
{
    /// <summary>Brings the schema up to date and, on an empty database, loads the demo dataset, before the first request.</summary>
    public static void InitializeDatabase(this IHost app)
    {
        var services = app.Services;
        services.GetRequiredService<Migrator>().Apply();
        var demo = services.GetRequiredService<DemoDataService>();
        if (services.GetRequiredService<IOptions<DemoOptions>>().Value.SeedOnEmptyDatabase && demo.IsEmpty()) demo.Load();
    }
}

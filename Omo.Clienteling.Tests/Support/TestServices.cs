using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Omo.Clienteling.Catalog;
using Omo.Clienteling.CheckIns;
using Omo.Clienteling.Demo;
using Omo.Clienteling.Holds;
using Omo.Clienteling.Ingestion;
using Omo.Clienteling.Members;
using Omo.Clienteling.Scanning;
using Omo.Clienteling.Staff;
using Omo.Clienteling.TalkingPoints;
using Omo.Clienteling.Webhooks;

namespace Omo.Clienteling.Tests.Support;

/// <summary>
/// The app's own feature registrations over a test's database and clock, without a web host: services get exactly the
/// collaborators they get in the app, and a test asks for what it exercises.
/// </summary>
public static class TestServices
{
    public static readonly byte[] AppCodeKey = "test-app-code-key-0123456789"u8.ToArray();

    /// <summary>One folder for the test run's content roots and audit spills, removed when the run ends.</summary>
    private static readonly Lazy<string> Scratch = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("omo-services-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        };
        return folder;
    });

    public static IServiceCollection AddOmoFeatures(this IServiceCollection services, TestDatabase db, TimeProvider clock,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Scratch.Value, Guid.NewGuid().ToString("N"))).FullName;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Stores:Default"] = "S01",
            ["MemberCodes:AppCodeKey"] = Convert.ToBase64String(AppCodeKey),
            ["Staff:AuditSpillFolder"] = folder,
        }).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton<IHostEnvironment>(new TestEnvironment(folder));
        services.AddSingleton(db.Dialect);
        services.AddSingleton(db.Database);
        services.AddSingleton<DataVersions>();
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddLocalization(o => o.ResourcesPath = "Resources");

        services.AddCatalog(configuration);
        services.AddDemo(configuration);
        services.AddStaff(configuration);
        services.AddMembers(configuration);
        services.AddCheckIns(configuration);
        services.AddScanning(configuration);
        services.AddTalkingPoints(configuration);
        services.AddHolds(configuration);
        services.AddIngestion(configuration);
        services.AddWebhooks(configuration);
        services.AddSingleton(clock);
        return services;
    }

    /// <summary>A service provider over <paramref name="db"/> with every cache loaded, as the app has them after start-up.</summary>
    public static async Task<ServiceProvider> CreateAsync(TestDatabase db, TimeProvider clock, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var provider = new ServiceCollection().AddOmoFeatures(db, clock, settings).BuildServiceProvider();
        await provider.GetRequiredService<DataVersions>().LoadAllAsync();
        return provider;
    }

    private sealed class TestEnvironment(string folder) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Development;
        public string ApplicationName { get; set; } = "Omo.Clienteling";
        public string ContentRootPath { get; set; } = folder;
        public IFileProvider ContentRootFileProvider { get; set; } = new PhysicalFileProvider(folder);
    }
}

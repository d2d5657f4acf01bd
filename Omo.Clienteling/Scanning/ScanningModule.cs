namespace Omo.Clienteling.Scanning;

public static class ScanningModule
{
    /// <summary>What the tablet scans: member codes and the key that verifies the app's rotating codes.</summary>
    public static IServiceCollection AddScanning(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MemberCodeOptions>().Bind(configuration.GetSection(MemberCodeOptions.Section))
            .Validate(o => o.IsValid(), $"{MemberCodeOptions.Section}:AppCodeKey must be a base64 key of at least 16 bytes (see appsettings.sample.json).")
            .ValidateOnStart();
        return services;
    }
}

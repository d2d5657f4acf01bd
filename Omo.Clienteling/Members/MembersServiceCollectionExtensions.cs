using Omo.Clienteling.Scanning;

namespace Omo.Clienteling.Members;

public static class MembersServiceCollectionExtensions
{
    public static IServiceCollection AddMembers(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MemberCodeOptions>().Bind(configuration.GetSection(MemberCodeOptions.Section))
            .Validate(o => o.IsValid(), $"{MemberCodeOptions.Section}:AppCodeKey must be a base64 key of at least 16 bytes (see appsettings.sample.json).")
            .ValidateOnStart();
        services.AddSingleton<IdentityResolver>();
        services.AddSingleton<MemberLookupService>();
        services.AddSingleton<ProfileService>();
        services.AddSingleton<StaffNotes>();
        services.AddSingleton<MemberEraser>();
        return services;
    }
}

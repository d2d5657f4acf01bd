namespace Omo.Clienteling.Members;

public static class MembersModule
{
    public static IServiceCollection AddMembers(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IdentityResolver>();
        services.AddSingleton<MemberLookupService>();
        services.AddSingleton<ProfileService>();
        services.AddSingleton<StaffNotes>();
        services.AddSingleton<MemberEraser>();
        services.AddScoped<ProfileVisit>();
        return services;
    }
}

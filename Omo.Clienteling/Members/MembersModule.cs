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
        services.AddOptions<MergeOptions>().Bind(configuration.GetSection(MergeOptions.Section))
            .Validate(o => o.HoldWhenBothBoughtInStoreWithinDays is >= 0 and <= 3660, "Merges:HoldWhenBothBoughtInStoreWithinDays must be 0 (off) to 3660 days.")
            .Validate(o => o.SplitWithinDays is >= 1 and <= 3660, "Merges:SplitWithinDays must be 1 to 3660 days.")
            .ValidateOnStart();
        services.AddSingleton<MemberMerges>();
        services.AddSingleton<MergeJournalKeeper>();
        services.AddHostedService(sp => sp.GetRequiredService<MergeJournalKeeper>());
        return services;
    }
}

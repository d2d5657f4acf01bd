namespace Omo.Clienteling.Staff;

public static class StaffServiceCollectionExtensions
{
    public static IServiceCollection AddStaff(this IServiceCollection services)
    {
        services.AddScoped<ShopContext>();
        services.AddSingleton<AuditLog>();
        return services;
    }
}

using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Omo.Clienteling.Catalog;
using Omo.Clienteling.Data;
using Omo.Clienteling.Members;
using Omo.Clienteling.Scanning;
using Omo.Clienteling.Staff;
using Omo.Clienteling.TalkingPoints;

namespace Omo.Clienteling.Tests.Support;

/// <summary>A bunit context with MudBlazor, the resource files and the real services over a real SQLite database.</summary>
public abstract class BunitTestBase : IAsyncLifetime
{
    protected BunitContext Ctx { get; } = new();

    protected BunitTestBase(TestDatabase db)
    {
        Ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        var s = Ctx.Services;
        s.AddMudServices();
        s.AddLocalization(o => o.ResourcesPath = "Resources");
        s.AddSingleton(db.Database);
        s.AddSingleton<TimeProvider>(new TestClock(TestDatabase.Now));
        s.AddSingleton(Options.Create(new StoreOptions { Default = "S01" }));
        s.AddSingleton(Options.Create(new MemberCodeOptions { AppCodeKey = Convert.ToBase64String("test-app-code-key-0123456789"u8.ToArray()) }));
        s.AddSingleton<StoreDirectory>();
        s.AddSingleton<IdentityResolver>();
        s.AddSingleton<MemberLookupService>();
        s.AddSingleton<ProfileService>();
        s.AddSingleton<StaffNotes>();
        s.AddSingleton<AuditLog>();
        s.AddScoped<ShopContext>();
        s.AddScoped<ScanSession>();
        s.AddTalkingPoints(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Ctx.DisposeAsync();
}

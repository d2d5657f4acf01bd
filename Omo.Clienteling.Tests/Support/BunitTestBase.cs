using System.Security.Claims;
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

    private Bunit.TestDoubles.BunitAuthorizationContext? _auth;

    // Two cores running the suite's servers and browsers besides: a render that waits for the database gets time.
    static BunitTestBase() => BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(10);

    protected BunitTestBase(TestDatabase db)
    {
        Ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        var s = Ctx.Services;
        s.AddMudServices();
        s.AddLocalization(o => o.ResourcesPath = "Resources");
        s.AddSingleton(db.Database);
        s.AddSingleton(db.Dialect);
        s.AddSingleton<TimeProvider>(new TestClock(TestDatabase.Now));
        s.AddSingleton(Options.Create(new StoreOptions { Default = "S01" }));
        s.AddSingleton(Options.Create(new MemberCodeOptions { AppCodeKey = Convert.ToBase64String("test-app-code-key-0123456789"u8.ToArray()) }));
        s.AddSingleton<StoreDirectory>();
        s.AddSingleton<IdentityResolver>();
        s.AddSingleton<MemberLookupService>();
        s.AddSingleton<ProfileService>();
        s.AddSingleton<StaffNotes>();
        s.AddSingleton<MemberEraser>();
        s.AddSingleton<AuditLog>();
        s.AddScoped<ShopContext>();
        s.AddScoped<ScanSession>();
        s.AddTalkingPoints(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        s.AddSingleton(Options.Create(new StaffOptions()));
        s.AddSingleton<StaffDirectory>();
        s.AddScoped<IdleLock>();
        s.AddSingleton(Options.Create(new Omo.Clienteling.CheckIns.CheckInOptions()));
        s.AddSingleton<Omo.Clienteling.CheckIns.CheckInRecorder>();
        s.AddSingleton<Omo.Clienteling.CheckIns.DoorCheckIn>();
        SignIn(new StaffMember("A001", "青木 あかり", StaffRoles.Associate, "S01"));
    }

    /// <summary>The person signed in on the rendered components' tablet (default: associate A001 of S01).</summary>
    protected void SignIn(StaffMember staff)
    {
        var auth = _auth ??= Ctx.AddAuthorization();
        auth.SetAuthorized(staff.Name);
        auth.SetRoles(staff.Role);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, staff.Code), new Claim(StaffMember.StoreClaim, staff.StoreId));
    }

    /// <summary>The store list is loaded at start-up in the app; here, before the first render.</summary>
    public Task InitializeAsync() => Ctx.Services.GetRequiredService<StoreDirectory>().ReloadAsync();

    public async Task DisposeAsync() => await Ctx.DisposeAsync();
}

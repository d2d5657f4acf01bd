using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
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

    private readonly TestDatabase _db;
    private StaffMember _staff = new("A001", "青木 あかり", StaffRoles.Associate, "S01");

    protected BunitTestBase(TestDatabase db)
    {
        _db = db;
        Ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        Ctx.Services.AddMudServices();
        Ctx.Services.AddOmoFeatures(db, new TestClock(TestDatabase.Now));
        _auth = Ctx.AddAuthorization();
    }

    /// <summary>
    /// The person signed in on the rendered components' tablet (default: associate A001 of S01), with a real session
    /// of theirs in the database, as a sign-in makes one.
    /// </summary>
    protected async Task SignInAsync(StaffMember staff)
    {
        var sessionId = await Ctx.Services.GetRequiredService<StaffSessions>().StartAsync(staff.Code, staff.Role, staff.StoreId, "127.0.0.1");
        _staff = staff with { SessionId = sessionId };
        var auth = _auth!;
        auth.SetAuthorized(staff.Name);
        auth.SetRoles(staff.Role);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, staff.Code), new Claim(StaffMember.StoreClaim, staff.StoreId),
            new Claim(StaffMember.SessionClaim, sessionId));
    }

    /// <summary>The signed-in person, with their session.</summary>
    protected StaffMember SignedIn => _staff;

    /// <summary>The caches are loaded at start-up in the app; here, before the first render.</summary>
    public async Task InitializeAsync()
    {
        await Ctx.Services.GetRequiredService<DataVersions>().LoadAllAsync();
        await SignInAsync(_staff);
    }

    public async Task DisposeAsync() => await Ctx.DisposeAsync();
}

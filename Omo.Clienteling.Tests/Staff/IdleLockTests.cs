using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Omo.Clienteling.Staff;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.Staff;

public abstract class IdleLockTests(DemoDatabaseFixture demo) : BunitTestBase(demo.Db)
{
    private TestClock Clock => (TestClock)Ctx.Services.GetRequiredService<TimeProvider>();

    [Fact]
    public async Task An_idle_tablet_locks_after_five_minutes_and_the_pin_unlocks_it_where_it_was()
    {
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("ja-JP");
        var screen = Ctx.Render<LockScreen>();
        var idle = Ctx.Services.GetRequiredService<IdleLock>();

        Clock.Advance(TimeSpan.FromMinutes(4));
        await screen.InvokeAsync(idle.Check);
        Assert.Empty(screen.FindAll("[data-testid=lock-screen]"));

        // A touch restarts the count.
        await screen.InvokeAsync(idle.RecordActivity);
        Clock.Advance(TimeSpan.FromMinutes(4));
        await screen.InvokeAsync(idle.Check);
        Assert.Empty(screen.FindAll("[data-testid=lock-screen]"));

        Clock.Advance(TimeSpan.FromMinutes(1));
        await screen.InvokeAsync(idle.Check);
        screen.WaitForElement("[data-testid=lock-screen]");
        Assert.Contains("A001", screen.Find("[data-testid=lock-screen]").TextContent);

        screen.Find("[data-testid=lock-pin]").Input("2222");
        screen.Find("form").Submit();
        screen.WaitForAssertion(() => Assert.Contains("あと4回", screen.Find("[data-testid=lock-error]").TextContent));

        screen.Find("[data-testid=lock-pin]").Input("1111");
        screen.Find("form").Submit();
        screen.WaitForAssertion(() => Assert.Empty(screen.FindAll("[data-testid=lock-screen]")));
        Assert.False(idle.IsLocked);
    }

    [Fact]
    public async Task A_member_card_scanned_into_the_pin_field_is_not_counted_as_a_wrong_pin()
    {
        var screen = Ctx.Render<LockScreen>();
        var idle = Ctx.Services.GetRequiredService<IdleLock>();
        await screen.InvokeAsync(idle.Lock);

        screen.Find("[data-testid=lock-pin]").Input("2900000000018");
        screen.Find("form").Submit();

        screen.WaitForAssertion(() => Assert.Contains("PIN", screen.Find("[data-testid=lock-error]").TextContent));
        Assert.Equal(0, (await Ctx.Services.GetRequiredService<StaffDirectory>().FindAsync("A001"))!.FailedPinAttempts);
    }

    public sealed class OnSqlite(DemoDatabaseFixture.OnSqlite demo) : IdleLockTests(demo), IClassFixture<DemoDatabaseFixture.OnSqlite>;

    public sealed class OnPostgres(DemoDatabaseFixture.OnPostgres demo) : IdleLockTests(demo), IClassFixture<DemoDatabaseFixture.OnPostgres>;
}

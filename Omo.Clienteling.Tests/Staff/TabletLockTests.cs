using Bunit;
using Dapper;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Omo.Clienteling.Staff;

namespace Omo.Clienteling.Tests.Staff;

/// <summary>The lock around every page: what a locked tablet shows (nothing of the page), and what ends the lock.</summary>
public abstract class TabletLockTests(DemoDatabaseFixture demo) : BunitTestBase(demo.Db)
{
    private TestClock Clock => (TestClock)Ctx.Services.GetRequiredService<TimeProvider>();

    private StaffSessions Sessions => Ctx.Services.GetRequiredService<StaffSessions>();

    /// <summary>The lock around a page that shows a customer.</summary>
    private IRenderedComponent<LockScreen> RenderLockedPage() => Ctx.Render<LockScreen>(p => p.AddChildContent("""<p data-testid="customer">山田 花子 様 · ゴールド · 12,400 pt</p>"""));

    [Fact]
    public async Task An_idle_tablet_locks_after_five_minutes_the_customer_leaves_the_page_and_the_pin_brings_it_back()
    {
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("ja-JP");
        var screen = RenderLockedPage();
        screen.WaitForElement("[data-testid=customer]");
        var tablet = Ctx.Services.GetRequiredService<TabletLock>();

        Clock.Advance(TimeSpan.FromMinutes(4));
        await screen.InvokeAsync(tablet.CheckIdleAsync);
        Assert.Empty(screen.FindAll("[data-testid=lock-screen]"));

        // A touch restarts the count.
        await screen.InvokeAsync(tablet.RecordActivity);
        Clock.Advance(TimeSpan.FromMinutes(4));
        await screen.InvokeAsync(tablet.CheckIdleAsync);
        Assert.Empty(screen.FindAll("[data-testid=lock-screen]"));

        Clock.Advance(TimeSpan.FromMinutes(1));
        await screen.InvokeAsync(tablet.CheckIdleAsync);
        screen.WaitForElement("[data-testid=lock-screen]");
        // Not covered: gone. Nothing of the customer is in the markup while locked, and the server knows it is locked.
        Assert.DoesNotContain("山田", screen.Markup);
        Assert.DoesNotContain("12,400", screen.Markup);
        Assert.True((await Sessions.GetAsync(SignedIn.SessionId!))!.Locked);

        TypeAndSubmit(screen, "2222");
        screen.WaitForAssertion(() => Assert.Contains("一致しません", screen.Find("[data-testid=lock-error]").TextContent));
        Assert.DoesNotContain("山田", screen.Markup);

        TypeAndSubmit(screen, "1111");
        screen.WaitForElement("[data-testid=customer]");
        Assert.False(tablet.IsLocked);
        Assert.False((await Sessions.GetAsync(SignedIn.SessionId!))!.Locked);
    }

    [Fact]
    public async Task A_member_card_scanned_into_the_pin_field_is_not_counted_as_a_wrong_pin()
    {
        var screen = RenderLockedPage();
        await screen.InvokeAsync(Ctx.Services.GetRequiredService<TabletLock>().LockAsync);

        TypeAndSubmit(screen, "2900000000018");

        screen.WaitForAssertion(() => Assert.Contains("PIN", screen.Find("[data-testid=lock-error]").TextContent));
        await using var c = await demo.Db.OpenAsync();
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM sign_in_throttle WHERE code = 'A001'"));
    }

    [Fact]
    public async Task A_lock_from_another_tab_of_the_same_sign_in_locks_this_one_and_an_ended_session_leaves_for_the_sign_in_page()
    {
        var screen = RenderLockedPage();
        screen.WaitForElement("[data-testid=customer]");

        await Sessions.LockAsync(SignedIn.SessionId!);
        screen.WaitForElement("[data-testid=lock-screen]");
        Assert.Empty(screen.FindAll("[data-testid=customer]"));

        await Sessions.EndAsync(SignedIn.SessionId!, SessionEndings.SignedOut);
        var navigation = Ctx.Services.GetRequiredService<NavigationManager>();
        screen.WaitForAssertion(() => Assert.Contains("/signin", navigation.Uri));
        Assert.Empty(screen.FindAll("[data-testid=customer]"));
    }

    /// <summary>
    /// Types into the PIN field and submits once the field holds the text: the lock screen renders again when the
    /// session changes, and on a busy machine that may fall between typing and submitting.
    /// </summary>
    private static void TypeAndSubmit<T>(IRenderedComponent<T> screen, string text) where T : IComponent
    {
        // Typed again whenever a render emptied the field (the lock screen clears it when the lock's state changes).
        screen.WaitForAssertion(() =>
        {
            if (screen.Find("[data-testid=lock-pin]").GetAttribute("value") != text) screen.Find("[data-testid=lock-pin]").Input(text);
            Assert.Equal(text, screen.Find("[data-testid=lock-pin]").GetAttribute("value"));
        });
        screen.WaitForAssertion(() => screen.Find("form").Submit());
    }

    [Fact]
    public async Task Five_wrong_pins_on_the_lock_screen_end_the_session()
    {
        // Someone else's tablet: the failures count against their code, not against the one the other tests unlock with.
        await SignInAsync(new StaffMember("A002", "石井 翼", StaffRoles.Associate, "S02"));
        var screen = RenderLockedPage();
        await screen.InvokeAsync(Ctx.Services.GetRequiredService<TabletLock>().LockAsync);
        for (var i = 0; i < 4; i++)
        {
            // The lock screen renders again when the session changes: find the field afresh until it takes the input.
            TypeAndSubmit(screen, $"864{i}");
            // Each answer before the next try (the field is emptied when the answer is in).
            screen.WaitForAssertion(() => Assert.True(screen.Find("[data-testid=lock-error]") is not null
                && string.IsNullOrEmpty(screen.Find("[data-testid=lock-pin]").GetAttribute("value"))));
        }
        // The fifth ends the session (a refresh of the lock that read the session before a wrong PIN ended it must
        // not bring the lock screen back: TabletLock ignores answers older than its own last change).
        var navigation = Ctx.Services.GetRequiredService<NavigationManager>();
        TypeAndSubmit(screen, "8650");
        screen.WaitForAssertion(() => Assert.Contains("/signin", navigation.Uri));
        Assert.Contains("/signin", navigation.Uri);
        Assert.False(await Sessions.IsOpenAsync(SignedIn.SessionId));
    }

    public sealed class OnSqlite(DemoDatabaseFixture.OnSqlite demo) : TabletLockTests(demo), IClassFixture<DemoDatabaseFixture.OnSqlite>;

    public sealed class OnPostgres(DemoDatabaseFixture.OnPostgres demo) : TabletLockTests(demo), IClassFixture<DemoDatabaseFixture.OnPostgres>;
}

using Microsoft.Playwright;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.EndToEnd;

public abstract class StaffTests(EndToEndFixture fixture)
{
    private static readonly LocatorAssertionsToHaveAttributeOptions Patient = new() { Timeout = 15_000 };

    [Fact]
    public async Task A001_scans_a_persona_the_lock_keeps_the_page_and_the_manager_sees_the_view_in_the_audit()
    {
        var tablet = await Chromium.OpenAsync(fixture.Browser, fixture.App.BaseUrl + "/", "A001");
        await Assertions.Expect(tablet.GetByTestId("staff-name")).ToContainTextAsync("青木");
        await Assertions.Expect(tablet.GetByTestId("scan-input")).ToBeFocusedAsync();
        await tablet.Keyboard.TypeAsync("0000000005");
        await tablet.Keyboard.PressAsync("Enter");
        await Assertions.Expect(tablet.GetByTestId("profile-header")).ToHaveAttributeAsync("data-member-no", "0000000005", Patient);

        // Locked (as after 5 idle minutes): the PIN brings the assistant back to the same profile.
        await tablet.GetByTestId("lock-now").ClickAsync();
        await Assertions.Expect(tablet.GetByTestId("lock-screen")).ToBeVisibleAsync();
        await tablet.GetByTestId("lock-pin").FillAsync("1111");
        await tablet.GetByTestId("lock-unlock").ClickAsync();
        await Assertions.Expect(tablet.GetByTestId("lock-screen")).ToHaveCountAsync(0);
        await Assertions.Expect(tablet.GetByTestId("profile-header")).ToHaveAttributeAsync("data-member-no", "0000000005");

        var manager = await Chromium.OpenAsync(fixture.Browser, fixture.App.BaseUrl + "/audit", "M001");
        var row = manager.Locator("[data-testid=audit-log] tr[data-action=profile_viewed][data-staff=A001][data-member-no='0000000005']").First;
        await Assertions.Expect(row).ToContainTextAsync("scan:member_number");
        await manager.CloseAsync();

        // Signing out (a posted form with its antiforgery token, from the live page) ends the session.
        await tablet.GetByLabel("メニュー").ClickAsync();
        await tablet.GetByTestId("signout").ClickAsync();
        await tablet.WaitForURLAsync(u => u.Contains("/signin"));
        await tablet.GotoAsync(fixture.App.BaseUrl + "/members/0000000005");
        await Assertions.Expect(tablet.GetByTestId("signin-code")).ToBeVisibleAsync();
        await tablet.CloseAsync();
    }

    [Collection(EndToEndOnSqlite.Name)]
    public sealed class OnSqlite(EndToEndFixture.OnSqlite fixture) : StaffTests(fixture);

    [Collection(EndToEndOnPostgres.Name)]
    public sealed class OnPostgres(EndToEndFixture.OnPostgres fixture) : StaffTests(fixture);
}

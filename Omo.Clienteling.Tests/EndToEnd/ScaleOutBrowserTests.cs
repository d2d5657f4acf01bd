using Microsoft.Playwright;
using Omo.Clienteling.Ingestion;
using static Omo.Clienteling.Tests.Support.Events;

namespace Omo.Clienteling.Tests.EndToEnd;

/// <summary>A tablet on a chain's deployment: Chromium through nginx (sticky sessions) to two servers on one PostgreSQL and one Redis.</summary>
public class ScaleOutBrowserTests(TwoServers servers) : IClassFixture<TwoServers>
{
    [Fact]
    public async Task Through_nginx_a_tablet_signs_in_scans_and_sees_a_check_in_posted_through_the_other_server()
    {
        var browser = await SharedBrowser.GetAsync();
        var tablet = await Chromium.OpenAsync(browser, servers.Nginx.BaseUrl + "/", "A001");
        // A wedge scanner types into whatever has focus: the scan field, once the page has given it focus.
        await Assertions.Expect(tablet.GetByTestId("scan-input")).ToBeFocusedAsync();
        await tablet.Keyboard.TypeAsync("2900000000018");
        await tablet.Keyboard.PressAsync("Enter");
        await Assertions.Expect(tablet.GetByTestId("profile-header")).ToHaveAttributeAsync("data-member-no", "0000000001", new() { Timeout = 15_000 });

        // nginx pinned this tablet to one server; the check-in goes in through the other.
        var pinned = (await tablet.Context.CookiesAsync()).Single(c => c.Name == "omo_server").Value;
        var other = new Uri(servers.A.BaseUrl).Authority == pinned ? servers.B : servers.A;
        Assert.NotEqual(pinned, new Uri(other.BaseUrl).Authority);
        using var pos = other.ClientWithKey(ApiKeyOptions.DemoKey);
        var (_, body) = await PostAsync(pos, Event("store_checked_in", Identity("app_member", "0000000002"), new { source = "app" }, storeId: "S01"));
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());

        await Assertions.Expect(tablet.Locator("[data-testid=checkin-toast][data-member-no='0000000002']")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        // The circuit stayed on its server the whole time: the profile is still live.
        await Assertions.Expect(tablet.GetByTestId("profile-header")).ToHaveAttributeAsync("data-member-no", "0000000001");
        await tablet.CloseAsync();
    }
}

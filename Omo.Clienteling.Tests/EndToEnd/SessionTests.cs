using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Omo.Clienteling.CheckIns;
using Omo.Clienteling.Staff;

namespace Omo.Clienteling.Tests.EndToEnd;

/// <summary>
/// Sessions attacked as an outsider would: a copied cookie, a tab left open, a locked tablet reloaded, a
/// session ended by a new PIN. Each test starts from a fresh sign-in.
/// </summary>
public abstract class SessionTests(EndToEndFixture fixture)
{
    private static readonly StaffMember Admin = new("X001", "管理者", StaffRoles.Admin, "S01");
    private static readonly LocatorAssertionsToBeVisibleOptions Seconds = new() { Timeout = 15_000 };

    private AppServer App => fixture.App;

    /// <summary>Another browser holding a copy of <paramref name="cookies"/>' sign-in cookie.</summary>
    private (HttpClient Client, CookieContainer Cookies) Copy(CookieContainer cookies)
    {
        var copy = new CookieContainer();
        copy.Add(cookies.GetCookies(new Uri(App.BaseUrl)));
        return (StaffSession.ClientFrom(App, null, copy), copy);
    }

    [Fact]
    public async Task A_copied_cookie_is_refused_by_pages_the_api_and_the_hub_once_its_owner_signs_out()
    {
        var (tablet, cookies) = await StaffSession.SignInAsync(App, "A001");
        var (thief, stolen) = Copy(cookies);
        Assert.Equal(HttpStatusCode.OK, (await thief.GetAsync("/members/0000000001")).StatusCode);
        await using var openTab = await CheckInListener.ConnectAsync(App.BaseUrl, cookies: stolen);
        await openTab.Connection.InvokeAsync<IReadOnlyList<CheckInAlert>>(nameof(CheckInHub.GetRecent), DateTimeOffset.UtcNow.AddHours(-1));
        var closed = new TaskCompletionSource();
        openTab.Connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };

        Assert.Equal(HttpStatusCode.Redirect, (await StaffSession.SignOutAsync(tablet)).StatusCode);

        Assert.StartsWith("/signin", (await thief.GetAsync("/members/0000000001")).Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Unauthorized, (await thief.GetAsync("/api/v1/members/2900000000018/profile")).StatusCode);
        var hub = await Assert.ThrowsAsync<HttpRequestException>(() => CheckInListener.ConnectAsync(App.BaseUrl, cookies: stolen));
        Assert.Equal(HttpStatusCode.Unauthorized, hub.StatusCode);
        // The connection that was open when the owner signed out is closed by the server within seconds.
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await Assert.ThrowsAnyAsync<Exception>(() => openTab.Connection.InvokeAsync<IReadOnlyList<CheckInAlert>>(nameof(CheckInHub.GetRecent), DateTimeOffset.UtcNow.AddHours(-1)));
    }

    [Fact]
    public async Task A_new_pin_ends_the_sign_ins_made_with_the_old_one()
    {
        var (tablet, _) = await StaffSession.SignInAsync(App, "M002");
        var directory = App.Services.GetRequiredService<StaffDirectory>();
        try
        {
            await directory.SaveAsync("M002", "前田 涼子", StaffRoles.Manager, "S02", "482913", Admin);
            Assert.StartsWith("/signin", (await tablet.GetAsync("/board")).Headers.Location!.PathAndQuery);
            var (again, _) = await StaffSession.SignInAsync(App, "M002", "482913");
            Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/board")).StatusCode);
        }
        finally
        {
            await directory.SaveAsync("M002", "前田 涼子", StaffRoles.Manager, "S02", "2222", Admin);
        }
    }

    [Fact]
    public async Task A_second_tab_leaves_the_customer_within_seconds_of_signing_out_in_the_first()
    {
        await using var browser = await fixture.Browser.NewContextAsync(Chromium.TabletContext);
        var first = await Chromium.OpenAsync(browser, App.BaseUrl + "/members/0000000001", "A001");
        var second = await browser.NewPageAsync();
        await second.GotoAsync(App.BaseUrl + "/members/0000000002");
        await Assertions.Expect(second.GetByTestId("profile-header")).ToBeVisibleAsync(Seconds);
        var name = (await second.Locator("#page-title").InnerTextAsync()).Split(' ')[0];

        await first.GetByLabel("メニュー").ClickAsync();
        await first.GetByTestId("signout").ClickAsync();
        await first.WaitForURLAsync(u => u.Contains("/signin"));

        // No reload, no click: the open tab's circuit hears that its session ended and goes to the sign-in page.
        await second.WaitForURLAsync(u => u.Contains("/signin"), new PageWaitForURLOptions { Timeout = 15_000 });
        await Assertions.Expect(second.GetByTestId("profile-header")).ToHaveCountAsync(0);
        Assert.DoesNotContain(name, await second.ContentAsync());
    }

    [Fact]
    public async Task A_locked_tablet_shows_no_customer_after_a_reload_or_in_a_new_tab_and_the_pin_goes_back_to_the_same_page()
    {
        await using var browser = await fixture.Browser.NewContextAsync(Chromium.TabletContext);
        var tablet = await Chromium.OpenAsync(browser, App.BaseUrl + "/members/0000000005", "A001");
        var header = tablet.GetByTestId("profile-header");
        await Assertions.Expect(header).ToHaveAttributeAsync("data-member-no", "0000000005", new() { Timeout = 15_000 });
        var name = (await tablet.Locator("#page-title").InnerTextAsync()).Split(' ')[0];

        await tablet.GetByTestId("lock-now").ClickAsync();
        await Assertions.Expect(tablet.GetByTestId("lock-screen")).ToBeVisibleAsync();
        await Assertions.Expect(header).ToHaveCountAsync(0);
        Assert.DoesNotContain(name, await tablet.ContentAsync());

        await tablet.ReloadAsync();
        await Assertions.Expect(tablet.GetByTestId("lock-screen")).ToBeVisibleAsync(Seconds);
        Assert.DoesNotContain(name, await tablet.ContentAsync());
        // What the server sends for that address before any script runs holds no customer either.
        var served = await (await browser.APIRequest.GetAsync(App.BaseUrl + "/members/0000000005")).TextAsync();
        Assert.DoesNotContain(name, served);

        var newTab = await browser.NewPageAsync();
        await newTab.GotoAsync(App.BaseUrl + "/members/0000000002");
        await Assertions.Expect(newTab.GetByTestId("lock-screen")).ToBeVisibleAsync(Seconds);
        await Assertions.Expect(newTab.GetByTestId("profile-header")).ToHaveCountAsync(0);
        await newTab.CloseAsync();

        await tablet.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await tablet.GetByTestId("lock-pin").FillAsync("1111");
        await tablet.GetByTestId("lock-unlock").ClickAsync();
        await Assertions.Expect(header).ToHaveAttributeAsync("data-member-no", "0000000005", new() { Timeout = 15_000 });
        Assert.EndsWith("/members/0000000005", tablet.Url);
    }

    [Collection(EndToEndOnSqlite.Name)]
    public sealed class OnSqlite(EndToEndFixture.OnSqlite fixture) : SessionTests(fixture);

    [Collection(EndToEndOnPostgres.Name)]
    public sealed class OnPostgres(EndToEndFixture.OnPostgres fixture) : SessionTests(fixture);
}

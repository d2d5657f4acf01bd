using System.Globalization;
using Bunit;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Omo.Clienteling.Demo;
using Omo.Clienteling.Holds;
using Omo.Clienteling.Members;
using Omo.Clienteling.Staff;
using Omo.Clienteling.Tests.Support;
using static Omo.Clienteling.Tests.Support.Events;

namespace Omo.Clienteling.Tests.Holds;

/// <summary>
/// The shop's preparation list and the profile's holds section, rendered over the demo world at 10:00: persona 11 is
/// due at Shibuya at 14:00 for styling, persona 3's jacket is kept at Ginza until tomorrow.
/// </summary>
public abstract class HoldsPageTests(DemoDatabaseFixture demo) : BunitTestBase(demo.Db)
{
    private static readonly DateOnly Today = TestDatabase.Today;

    private void Japanese()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("ja-JP");
        Ctx.Render<MudPopoverProvider>();
    }

    private async Task<(long Id, object Card)> NewMemberAsync()
    {
        var id = NewMemberId();
        Assert.Equal(1, (await IngestAsync(Ctx.Services, NewMember(id, at: TestDatabase.Now.AddDays(-10)))).Accepted);
        return (id, Card(CardOf(id)));
    }

    private async Task<string> StockedSkuAsync(string store)
    {
        await using var c = await demo.Db.OpenAsync();
        return await c.QueryFirstAsync<string>("""
            SELECT s.sku FROM stock s WHERE s.store_id = @store AND s.quantity > 1
              AND NOT EXISTS (SELECT 1 FROM hold_lines l WHERE l.sku = s.sku) ORDER BY s.sku DESC LIMIT 1
            """, new { store });
    }

    private IRenderedComponent<HoldsPage> RenderList()
    {
        var page = Ctx.Render<HoldsPage>();
        page.WaitForState(() => page.FindAll("[data-testid=holds-day], [data-testid=holds-empty]").Count > 0);
        return page;
    }

    [Fact]
    public async Task The_list_puts_the_next_customer_first_and_a_tap_marks_a_hold_prepared_where_it_waits()
    {
        Japanese();
        var (today, todayCard) = await NewMemberAsync();
        var (tomorrow, tomorrowCard) = await NewMemberAsync();
        var sku = await StockedSkuAsync("S01");
        var at = TestDatabase.Now.AddMinutes(-30);
        var result = await IngestAsync(Ctx.Services,
            Hold(todayCard, "S01", "H-LIST-TODAY", Today, at, lines: (sku, 1)),
            Appointment(tomorrowCard, "S01", "A-LIST-TOMORROW", ShopTime.At(Today.AddDays(1), 11, 0), at, purpose: "try_on"),
            Hold(tomorrowCard, "S01", "H-LIST-TOMORROW", Today.AddDays(1), at, lines: (sku, 1)));
        Assert.Equal(3, result.Accepted);

        var page = RenderList();
        var days = page.FindAll("[data-testid=holds-day]");
        Assert.Equal([Today.ToString("yyyy-MM-dd"), Today.AddDays(1).ToString("yyyy-MM-dd")], days.Select(d => d.GetAttribute("data-day")));
        // Today: persona 11 at 14:00, then the hold that ends at closing time (and says so).
        var todays = days[0].QuerySelectorAll("[data-testid=due-customer]").Select(c => c.GetAttribute("data-member-no")).ToList();
        Assert.Equal([DemoPersonas.All[10].MemberNo, MemberNumberOf(today)], todays);
        Assert.Contains("14:00", days[0].QuerySelectorAll("[data-testid=due-customer]")[0].TextContent);
        Assert.NotNull(days[0].QuerySelector($"[data-member-no='{MemberNumberOf(today)}'] [data-testid=hold-expiring]"));
        // Tomorrow: the try-on appointment with its hold on the same card.
        var tomorrowsCard = days[1].QuerySelector($"[data-member-no='{MemberNumberOf(tomorrow)}']")!;
        Assert.NotNull(tomorrowsCard.QuerySelector("[data-appointment-id=A-LIST-TOMORROW]"));
        Assert.NotNull(tomorrowsCard.QuerySelector("[data-hold-id=H-LIST-TOMORROW]"));
        // Only this shop's: persona 3's hold waits at Ginza.
        Assert.Empty(page.FindAll($"[data-hold-id={DemoPersonas.Persona3Hold}]"));

        var hold = page.Find("[data-hold-id=H-LIST-TODAY]");
        Assert.Equal("requested", hold.GetAttribute("data-status"));
        Assert.Contains(sku, hold.QuerySelector("[data-sku]")!.GetAttribute("data-sku"));
        page.Find("[data-hold-id=H-LIST-TODAY] [data-testid=hold-location]").Change("フィッティングルーム2");
        page.Find("[data-hold-id=H-LIST-TODAY] [data-testid=hold-prepare]").Click();
        page.WaitForState(() => page.Find("[data-hold-id=H-LIST-TODAY]").GetAttribute("data-status") == "prepared");
        Assert.Contains("フィッティングルーム2", page.Find("[data-hold-id=H-LIST-TODAY] [data-testid=hold-ready]").TextContent);

        await using var c = await demo.Db.OpenAsync();
        var row = await c.QuerySingleAsync<(string Status, string Location, string PreparedBy)>(
            "SELECT status, location, prepared_by FROM holds WHERE hold_id = 'H-LIST-TODAY'");
        Assert.Equal(("prepared", "フィッティングルーム2", "A001"), row);
    }

    [Fact]
    public async Task A_location_that_hides_what_it_says_is_refused_with_a_message_and_the_hold_stays_to_prepare()
    {
        Japanese();
        var (_, card) = await NewMemberAsync();
        Assert.Equal(1, (await IngestAsync(Ctx.Services, Hold(card, "S01", "H-LIST-BAD", Today, TestDatabase.Now.AddMinutes(-5), lines: (await StockedSkuAsync("S01"), 1)))).Accepted);
        var page = RenderList();
        page.Find("[data-hold-id=H-LIST-BAD] [data-testid=hold-location]").Change("room\u202E2");
        page.Find("[data-hold-id=H-LIST-BAD] [data-testid=hold-prepare]").Click();
        page.WaitForState(() => page.FindAll("[data-testid=holds-message]").Count > 0);
        Assert.Equal("requested", page.Find("[data-hold-id=H-LIST-BAD]").GetAttribute("data-status"));
    }

    [Fact]
    public async Task On_the_profile_holds_and_appointments_come_first_and_the_hold_here_leads_the_talking_points()
    {
        Japanese();
        await SignInAsync(SignedIn with { StoreId = "S03" });
        var page = Ctx.Render<ProfilePage>(p => p.Add(x => x.MemberNo, DemoPersonas.All[2].MemberNo));
        page.WaitForState(() => page.FindAll("[data-testid=profile-timeline]").Count > 0);

        var sections = page.FindAll(".profile-grid > [data-testid]").Select(s => s.GetAttribute("data-testid")).ToList();
        Assert.Equal("profile-holds", sections[0]);
        var hold = page.Find($"[data-testid=hold][data-hold-id={DemoPersonas.Persona3Hold}]");
        Assert.Equal("requested", hold.GetAttribute("data-status"));
        Assert.Contains("JK-0003-M", hold.QuerySelector("[data-sku]")!.GetAttribute("data-sku"));
        Assert.Equal("hold-waiting", page.FindAll("[data-testid=talking-point]")[0].GetAttribute("data-rule"));
        Assert.Contains("お取り置き", page.Find("[data-testid=profile-timeline]").TextContent);
    }

    [Fact]
    public async Task An_appointment_today_shows_on_the_profile_and_as_the_first_talking_point()
    {
        Japanese();
        var page = Ctx.Render<ProfilePage>(p => p.Add(x => x.MemberNo, DemoPersonas.All[10].MemberNo));
        page.WaitForState(() => page.FindAll("[data-testid=profile-timeline]").Count > 0);

        var appointment = page.Find($"[data-testid=profile-holds] [data-testid=appointment][data-appointment-id={DemoPersonas.Persona11Appointment}]");
        Assert.Contains("スタイリング", appointment.TextContent);
        Assert.Contains("秋物のジャケット", appointment.TextContent);
        var first = page.FindAll("[data-testid=talking-point]")[0];
        Assert.Equal("appointment-today", first.GetAttribute("data-rule"));
        Assert.Contains("14:00", first.TextContent);
    }

    private static string MemberNumberOf(long id) => Omo.Clienteling.Scanning.MemberNumber.Format(id);

    public sealed class OnSqlite(DemoDatabaseFixture.OnSqlite demo) : HoldsPageTests(demo), IClassFixture<DemoDatabaseFixture.OnSqlite>;

    public sealed class OnPostgres(DemoDatabaseFixture.OnPostgres demo) : HoldsPageTests(demo), IClassFixture<DemoDatabaseFixture.OnPostgres>;
}

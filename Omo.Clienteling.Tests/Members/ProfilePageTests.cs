using Omo.Clienteling.Scanning;
using Microsoft.Extensions.DependencyInjection;
using System.Globalization;
using Bunit;
using Dapper;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Omo.Clienteling.Members;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.Members;

public abstract class ProfilePageTests(DemoDatabaseFixture demo) : BunitTestBase(demo.Db)
{
    private bool _providerRendered;

    private IRenderedComponent<ProfilePage> RenderProfile(string memberNo)
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("ja-JP");
        if (!_providerRendered) Ctx.Render<MudPopoverProvider>();
        _providerRendered = true;
        var page = Ctx.Render<ProfilePage>(p => p.Add(x => x.MemberNo, memberNo));
        // The data arrives asynchronously: wait for the profile (and its talking points) or the outcome.
        page.WaitForState(() => page.FindAll("[data-testid=scan-error], [data-testid=profile-timeline]").Count > 0);
        return page;
    }

    [Fact]
    public async Task Persona_1s_profile_shows_browsing_purchases_and_the_timeline()
    {
        var page = RenderProfile("0000000001");

        Assert.Equal("0000000001", page.Find("[data-testid=profile-header]").GetAttribute("data-member-no"));
        Assert.Contains("佐藤 美咲", page.Find("[data-testid=profile-header]").TextContent);
        Assert.Contains("3回", page.Find("[data-testid=profile-views]").TextContent);
        Assert.NotEmpty(page.FindAll("[data-testid=profile-purchases] [data-purchase-id]"));
        var timeline = page.Find("[data-testid=profile-timeline]").TextContent;
        Assert.Contains("試着", timeline);
        Assert.Contains("チェックイン", timeline);
        Assert.Single(page.FindAll("[data-testid=staff-note]"));
        Assert.Empty(page.FindAll("[data-testid=profile-no-consent]"));
    }

    [Fact]
    public async Task The_no_consent_persona_shows_purchases_and_says_why_browsing_is_missing()
    {
        var page = RenderProfile("0000000010");

        Assert.NotEmpty(page.FindAll("[data-testid=profile-purchases] [data-purchase-id]"));
        Assert.Empty(page.FindAll("[data-testid=profile-views]"));
        Assert.Empty(page.FindAll("[data-testid=profile-cart]"));
        Assert.Contains("同意していません", page.Find("[data-testid=profile-no-consent]").TextContent);
        Assert.DoesNotContain("閲覧", page.Find("[data-testid=profile-timeline]").TextContent);
    }

    [Fact]
    public async Task The_cart_persona_shows_the_cart_and_the_pickup_persona_the_waiting_order()
    {
        Assert.Single(RenderProfile("0000000002").FindAll("[data-testid=profile-cart] .product-tile"));
        var pickups = RenderProfile("0000000005").Find("[data-testid=profile-pickups]");
        Assert.Contains("受け取り可能", pickups.TextContent);
    }

    [Fact]
    public async Task An_unknown_member_number_shows_the_unknown_outcome()
    {
        var page = RenderProfile("0999999999");
        Assert.Equal("unknown", page.Find("[data-testid=scan-error]").GetAttribute("data-outcome"));
    }

    [Fact]
    public async Task Viewing_a_profile_writes_an_audit_row_and_a_note_can_be_added()
    {
        await using var c = await demo.Db.OpenAsync();
        var before = await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM audit_log WHERE member_id = 7 AND action = 'profile_viewed'");
        var page = RenderProfile("0000000007");
        await Eventually.EqualAsync(before + 1, () => c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM audit_log WHERE member_id = 7 AND action = 'profile_viewed'"));

        // The page renders again when the view is written down: find the field and button afresh until they take it.
        page.WaitForAssertion(() => page.Find("[data-testid=profile-notes] textarea").Input("誕生日のお祝いをお伝えした"));
        page.WaitForAssertion(() => page.Find("[data-testid=staff-note-save]:not([disabled])").Click());

        page.WaitForAssertion(() => Assert.Contains("誕生日のお祝いをお伝えした", page.Find("[data-testid=staff-note]").TextContent));
        await c.ExecuteAsync("DELETE FROM staff_notes WHERE member_id = 7");
    }

    private static readonly AsyncLocal<bool> CountingHere = new();

    [Fact]
    public async Task A_scan_resolves_the_code_once_and_writes_one_audit_row_and_a_note_does_not_open_the_profile_again()
    {
        var lookups = 0;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument == IdentityResolver.Lookups) l.EnableMeasurementEvents(instrument); };
        // Only this test's lookups: other test classes resolve codes at the same time in this process.
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => { if (CountingHere.Value) Interlocked.Add(ref lookups, (int)value); });
        listener.Start();
        CountingHere.Value = true;
        await using var c = await demo.Db.OpenAsync();
        const string Views = "SELECT COUNT(*) FROM audit_log WHERE member_id = 9 AND action = 'profile_viewed' AND detail = 'scan:point_card'";
        var before = await c.ExecuteScalarAsync<int>(Views);

        var address = await Ctx.Services.GetRequiredService<ProfileVisit>().FindAsync(Events.CardOf(9), VisitSources.Scan);
        Assert.Equal("/members/0000000009?via=scan&by=point_card", address);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("ja-JP");
        Ctx.Render<MudPopoverProvider>();
        Ctx.Services.GetRequiredService<NavigationManager>().NavigateTo(address!);
        var page = Ctx.Render<ProfilePage>(p => p.Add(x => x.MemberNo, "0000000009")); // how they were found comes in the address
        page.WaitForElement("[data-testid=profile-notes] textarea");
        await Eventually.EqualAsync(before + 1, () => c.ExecuteScalarAsync<int>(Views)); // written once it is shown
        page.WaitForAssertion(() => page.Find("[data-testid=profile-notes] textarea").Input("合うカーディガンをご案内"));
        page.WaitForAssertion(() => page.Find("[data-testid=staff-note-save]:not([disabled])").Click());
        page.WaitForAssertion(() => Assert.Contains("合うカーディガンをご案内", page.Find("[data-testid=profile-notes]").TextContent));

        Assert.Equal(1, lookups);
        await Eventually.EqualAsync(before + 1, () => c.ExecuteScalarAsync<int>(Views));
        await c.ExecuteAsync("DELETE FROM staff_notes WHERE member_id = 9 AND body = '合うカーディガンをご案内'");
    }

    [Fact]
    public async Task Talking_points_show_their_evidence_and_marking_one_used_is_stored()
    {
        var page = RenderProfile("0000000001");
        var points = page.FindAll("[data-testid=talking-point]");
        Assert.InRange(points.Count, 1, 3);
        var tried = page.Find("[data-testid=talking-point][data-rule=tried-not-bought]");
        Assert.Contains("3回閲覧", tried.TextContent);

        page.WaitForAssertion(() => page.Find("[data-testid=talking-point][data-rule=tried-not-bought] [data-testid=talking-point-used]").Click());

        page.WaitForAssertion(() => Assert.Equal("used", page.Find("[data-testid=talking-point][data-rule=tried-not-bought]").GetAttribute("data-state")));
        await using var connection = await demo.Db.OpenAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM talking_point_feedback WHERE member_id = 1 AND rule_id = 'tried-not-bought' AND action = 'used' AND store_id = 'S01'"));
    }

    [Fact]
    public async Task The_checked_in_button_records_the_visit_once_and_then_shows_since_when()
    {
        var page = RenderProfile("0000000008");
        page.WaitForAssertion(() => page.Find("[data-testid=checkin-now]").Click());

        page.WaitForAssertion(() => Assert.Contains("来店中", page.Find("[data-testid=checked-in]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=checkin-now]"));
        await using var connection = await demo.Db.OpenAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM check_ins WHERE member_id = 8 AND store_id = 'S01' AND source = 'staff' AND occurred_at = @now",
            new { now = TestDatabase.Now }));
    }

    public sealed class OnSqlite(DemoDatabaseFixture.OnSqlite demo) : ProfilePageTests(demo), IClassFixture<DemoDatabaseFixture.OnSqlite>;

    public sealed class OnPostgres(DemoDatabaseFixture.OnPostgres demo) : ProfilePageTests(demo), IClassFixture<DemoDatabaseFixture.OnPostgres>;
}

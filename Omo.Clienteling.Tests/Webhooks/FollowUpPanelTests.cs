using System.Globalization;
using Bunit;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Omo.Clienteling.Members;
using Omo.Clienteling.Staff;
using Omo.Clienteling.Tests.Support;
using Omo.Clienteling.Webhooks;

namespace Omo.Clienteling.Tests.Webhooks;

/// <summary>The follow-up on the profile, and the admin's webhook page, rendered over the demo world.</summary>
public abstract class FollowUpPanelTests(DemoDatabaseFixture demo) : BunitTestBase(demo.Db)
{
    private IRenderedComponent<ProfilePage> Profile(string memberNo)
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("ja-JP");
        Ctx.Render<MudPopoverProvider>();
        var page = Ctx.Render<ProfilePage>(p => p.Add(x => x.MemberNo, memberNo));
        page.WaitForState(() => page.FindAll("[data-testid=profile-timeline]").Count > 0);
        return page;
    }

    [Fact]
    public async Task A_follow_up_is_suggested_from_the_point_used_edited_sent_audited_and_on_the_timeline()
    {
        var page = Profile("0000000001");
        page.Find("[data-testid=talking-point][data-rule=tried-not-bought] [data-testid=talking-point-used]").Click();
        page.WaitForState(() => page.Find("[data-testid=talking-point][data-rule=tried-not-bought]").GetAttribute("data-state") == "used");
        page.Find("[data-testid=followup-open]").Click();
        page.WaitForState(() => page.FindAll("[data-testid=followup-message]").Count > 0);

        var suggested = page.Find("[data-testid=followup-message]").GetAttribute("value") ?? page.Find("[data-testid=followup-message]").TextContent;
        Assert.Contains("佐藤様", suggested);
        Assert.Contains(page.FindAll("[data-testid=followup-item]"), i => i.GetAttribute("data-sku")!.StartsWith("DR-0001-M-"));
        page.Find("[data-testid=followup-message]").Change("佐藤様　カーディガンをご用意しています。");
        page.Find("[data-testid=followup-send]").Click();
        page.WaitForState(() => page.FindAll("[data-testid=followup-sent]").Count > 0);
        Assert.Contains("カーディガンをご用意", page.Find("[data-testid=profile-timeline]").TextContent);

        await using var c = await demo.Db.OpenAsync();
        var id = await c.QuerySingleAsync<string>("SELECT follow_up_id FROM follow_ups WHERE member_id = 1 AND message LIKE '%カーディガン%'");
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE action = 'followup_requested' AND detail = @id", new { id }));
    }

    [Fact]
    public void Without_marketing_consent_there_is_no_follow_up_button_and_the_tablet_says_why()
    {
        var page = Profile("0000000010");
        Assert.Empty(page.FindAll("[data-testid=followup-open]"));
        Assert.Contains("同意", page.Find("[data-testid=followup-unavailable]").TextContent);
    }

    [Fact]
    public async Task The_admin_makes_a_subscription_sees_its_secret_once_and_pauses_it()
    {
        await SignInAsync(new StaffMember("X001", "管理者", StaffRoles.Admin, "S01"));
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("ja-JP");
        Ctx.Render<MudPopoverProvider>();
        var page = Ctx.Render<WebhooksPage>();
        page.WaitForState(() => page.FindAll("[data-testid=webhook-url]").Count > 0);
        page.Find("[data-testid=webhook-url]").Change("https://push.example.jp/omo");
        page.Find("[data-testid=webhook-create]").Click();
        page.WaitForState(() => page.FindAll("[data-testid=webhook-secret]").Count > 0);
        Assert.True(WebhookSignature.IsValidSecret(page.Find("[data-testid=webhook-secret]").TextContent.Trim()));
        var card = page.FindAll("[data-testid=webhook-subscription]").Last();
        Assert.Equal("active", card.GetAttribute("data-status"));
        card.QuerySelector("[data-testid=webhook-toggle]")!.Click();
        page.WaitForState(() => page.FindAll("[data-testid=webhook-subscription]").Last().GetAttribute("data-status") == "paused");

        page.Find("[data-testid=webhook-url]").Change("ftp://nowhere");
        page.Find("[data-testid=webhook-create]").Click();
        page.WaitForState(() => page.Find("[data-testid=webhook-message]").TextContent.Contains("ftp://nowhere"));
        var subscriptions = await Ctx.Services.GetRequiredService<WebhookSubscriptions>().AllAsync();
        Assert.DoesNotContain(subscriptions, s => s.Url.StartsWith("ftp"));
    }

    public sealed class OnSqlite(DemoDatabaseFixture.OnSqlite demo) : FollowUpPanelTests(demo), IClassFixture<DemoDatabaseFixture.OnSqlite>;

    public sealed class OnPostgres(DemoDatabaseFixture.OnPostgres demo) : FollowUpPanelTests(demo), IClassFixture<DemoDatabaseFixture.OnPostgres>;
}

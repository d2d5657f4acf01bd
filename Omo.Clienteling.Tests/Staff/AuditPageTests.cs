using Dapper;
using Microsoft.AspNetCore.Components;
using System.Globalization;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Omo.Clienteling.Members;
using Omo.Clienteling.Scanning;
using Omo.Clienteling.Staff;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.Staff;

public abstract class AuditPageTests(DemoDatabaseFixture demo) : BunitTestBase(demo.Db)
{
    [Fact]
    public async Task Opening_a_profile_writes_who_where_whom_and_how_and_the_manager_sees_it_but_not_another_store()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("ja-JP");
        Ctx.Render<MudPopoverProvider>();
        var address = await Ctx.Services.GetRequiredService<ProfileVisit>().FindAsync("2900000000018", VisitSources.Camera);
        Assert.Equal("/members/0000000001?via=camera&by=point_card", address);
        Ctx.Services.GetRequiredService<NavigationManager>().NavigateTo(address!);
        var profile = Ctx.Render<ProfilePage>(p => p.Add(x => x.MemberNo, "0000000001")); // how they were found comes in the address
        profile.WaitForElement("[data-testid=profile-header]");
        await using (var c = await demo.Db.OpenAsync()) // written just after the profile is shown
            await Eventually.EqualAsync(true, async () => await c.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'profile_viewed' AND staff_code = 'A001' AND member_id = 1 AND detail = 'camera:point_card'") > 0);
        await Ctx.Services.GetRequiredService<AuditLog>().RecordAsync(AuditActions.ProfileViewed, "A002", "S02", 3, "scan");

        await SignInAsync(new StaffMember("M001", "森 誠", StaffRoles.Manager, "S01"));
        var audit = Ctx.Render<AuditPage>();

        var view = audit.WaitForElement("[data-testid=audit-log] tr[data-action=profile_viewed][data-staff=A001]");
        Assert.Equal("0000000001", view.GetAttribute("data-member-no"));
        Assert.Contains("渋谷店", view.TextContent);
        Assert.Contains("camera:point_card", view.TextContent);
        Assert.Empty(audit.FindAll("[data-testid=audit-log] tr[data-staff=A002]"));
        Assert.Empty(audit.FindAll("[data-testid=audit-store]"));
    }

    [Fact]
    public async Task An_admin_chooses_any_store_or_all_of_them()
    {
        await Ctx.Services.GetRequiredService<AuditLog>().RecordAsync(AuditActions.ProfileViewed, "A002", "S02", 3, "scan");
        await SignInAsync(new StaffMember("X001", "管理者", StaffRoles.Admin, "S02"));
        Ctx.Render<MudPopoverProvider>();
        var audit = Ctx.Render<AuditPage>();

        Assert.NotEmpty(audit.FindAll("[data-testid=audit-store]"));
        audit.WaitForElement("[data-testid=audit-log] tr[data-staff=A002]");
    }

    public sealed class OnSqlite(DemoDatabaseFixture.OnSqlite demo) : AuditPageTests(demo), IClassFixture<DemoDatabaseFixture.OnSqlite>;

    public sealed class OnPostgres(DemoDatabaseFixture.OnPostgres demo) : AuditPageTests(demo), IClassFixture<DemoDatabaseFixture.OnPostgres>;
}

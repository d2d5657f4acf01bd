using System.Globalization;
using Bunit;
using Dapper;
using MudBlazor;
using Omo.Clienteling.Members;
using Omo.Clienteling.Staff;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.Members;

public abstract class ErasePageTests(DemoDatabaseFixture demo) : BunitTestBase(demo.Db)
{
    private TestDatabase Db => demo.Db;

    [Fact]
    public async Task An_admin_finds_a_member_confirms_with_a_reference_and_the_member_is_gone()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("ja-JP");
        await SignInAsync(new StaffMember("X001", "管理者", StaffRoles.Admin, "S01"));
        Ctx.Render<MudPopoverProvider>();
        var page = Ctx.Render<ErasePage>();

        Input(page, "erase-code").Change("2900000000100");
        page.Find("[data-testid=erase-find]").Click();
        Assert.Equal("0000000010", page.WaitForElement("[data-testid=erase-member]").GetAttribute("data-member-no"));
        Assert.True(page.Find("[data-testid=erase-submit]").HasAttribute("disabled"));

        Input(page, "erase-reference").Change("REQ-77");
        Input(page, "erase-confirm").Change(true);
        page.Find("[data-testid=erase-submit]").Click();

        page.WaitForElement("[data-testid=erase-done]");
        Input(page, "erase-code").Change("2900000000100");
        page.Find("[data-testid=erase-find]").Click();
        Assert.Equal("erased", page.WaitForElement("[data-testid=scan-error]").GetAttribute("data-outcome"));
        await using var c = await Db.OpenAsync();
        // The lookup was audited, and the erasure then took the member out of that row.
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE detail = 'erasure-lookup' AND member_id IS NULL AND staff_code = 'X001'"));
    }

    // MudBlazor puts the test id on the input itself or on the component around it.
    private static AngleSharp.Dom.IElement Input(IRenderedComponent<ErasePage> page, string testId) =>
        page.FindAll($"input[data-testid={testId}], [data-testid={testId}] input").First();

    // Erases from a demo database of its own: other tests' demo data stays whole.
    public sealed class OnSqlite(DemoDatabaseFixture.OnSqlite demo) : ErasePageTests(demo), IClassFixture<DemoDatabaseFixture.OnSqlite>;

    public sealed class OnPostgres(DemoDatabaseFixture.OnPostgres demo) : ErasePageTests(demo), IClassFixture<DemoDatabaseFixture.OnPostgres>;
}

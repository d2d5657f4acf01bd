using System.Text.RegularExpressions;
using Bunit;
using Omo.Clienteling.Members;
using Omo.Clienteling.Staff;
using Omo.Clienteling.Tests.Support;
using static Omo.Clienteling.Tests.Support.Events;

namespace Omo.Clienteling.Tests.Members;

/// <summary>The merges page: a held link approved with a tap, a wrong merge split after a second tap, the order of undoing shown.</summary>
public abstract class MergesPageTests(DemoDatabaseFixture demo) : BunitTestBase(demo.Db)
{
    private static readonly StaffMember Manager = new("M001", "森 誠", StaffRoles.Manager, "S01");

    /// <summary>A member of S01 who bought at the till, so a link between two of them waits for a manager.</summary>
    private async Task<(long Id, object Card, object Account)> ShopperAsync(string familyName, int createdDaysAgo)
    {
        var id = NewMemberId();
        var (card, account) = (Card(CardOf(id)), Identity("ec_account", $"EC-{id}"));
        var result = await IngestAsync(Ctx.Services,
            Event("member_upserted", null, new
            {
                memberNo = id.ToString("D10"), familyName, givenName = "花子", birthMonth = 4, homeStoreId = "S01",
                consent = new { onlineBehaviour = true, marketing = true }, identities = new[] { card, account },
            }, at: TestDatabase.Now.AddDays(-createdDaysAgo)),
            Event("pos_sale", card, new { receiptId = $"R-PAGE-{id}", lines = new[] { new { sku = "TS-0003-M-WHITE", quantity = 1, unitPrice = 1990 } } },
                storeId: "S01", at: TestDatabase.Now.AddDays(-2)));
        Assert.True(result.Accepted == 2, string.Join("; ", result.Rejected.Select(r => r.Detail)));
        return (id, card, account);
    }

    private IRenderedComponent<MergesPage> RenderPage()
    {
        var page = Ctx.Render<MergesPage>();
        page.WaitForState(() => page.FindAll("[data-testid=merge], [data-testid=merges-none]").Count > 0);
        return page;
    }

    [Fact]
    public async Task A_held_link_shows_both_people_and_why_and_a_tap_merges_them_then_split_takes_a_second_tap()
    {
        await SignInAsync(Manager);
        var older = await ShopperAsync("上田", 20);
        var newer = await ShopperAsync("下田", 5);
        var result = await IngestAsync(Ctx.Services, Event("identity_linked", older.Card, new { identity = newer.Account }, at: TestDatabase.Now.AddMinutes(-5)));
        var mergeId = Assert.Single(result.Pending).MergeId;

        var page = RenderPage();
        var held = page.Find($"[data-testid=merge-pending][data-merge-id='{mergeId}']");
        Assert.Equal(MemberNumberOf(older.Id), held.QuerySelector("[data-testid=merge-survivor]")!.GetAttribute("data-member-no"));
        Assert.Contains("下田 花子", held.QuerySelector("[data-testid=merge-merged]")!.TextContent);
        Assert.Equal(["both_bought_in_store", "names_differ"], held.QuerySelectorAll("[data-testid=merge-risk]").Select(r => r.GetAttribute("data-risk")!).Order());
        Assert.Contains("test-sender", held.TextContent);

        held.QuerySelector("[data-testid=merge-approve]")!.Click();
        page.WaitForState(() => page.FindAll($"[data-testid=merge][data-merge-id='{mergeId}'][data-status=applied]").Count == 1);
        Assert.Empty(page.FindAll($"[data-testid=merge-pending][data-merge-id='{mergeId}']"));
        Assert.Contains(MemberNumberOf(newer.Id), page.Find("[data-testid=merges-message]").TextContent);
        var merged = page.Find($"[data-testid=merge][data-merge-id='{mergeId}']");
        Assert.NotNull(merged.QuerySelector("[data-testid=merge-moved] [data-table=receipts]"));
        Assert.Contains("森 誠 (M001)", merged.TextContent); // who approved it, by name

        // The first tap only asks; the second splits.
        merged.QuerySelector("[data-testid=merge-split]")!.Click();
        page.WaitForElement($"[data-testid=merge][data-merge-id='{mergeId}'] [data-testid=merge-split-confirm]").Click();
        page.WaitForState(() => page.FindAll($"[data-testid=merge][data-merge-id='{mergeId}'][data-status=split]").Count == 1);
        Assert.Empty(page.FindAll($"[data-testid=merge][data-merge-id='{mergeId}'] [data-testid=merge-split]"));
        Assert.Equal(2, Regex.Count(page.Find($"[data-testid=merge][data-merge-id='{mergeId}']").TextContent, "森 誠 \\(M001\\)")); // approved and split
    }

    [Fact]
    public async Task An_earlier_merge_says_which_one_to_split_first_and_another_store_s_manager_sees_neither()
    {
        var a = await ShopperAsync("連鎖", 30);
        var (b, c) = (NewMemberId(), NewMemberId());
        // Web-shop accounts without a name or a till sale: linked at once.
        foreach (var id in new[] { b, c })
            Assert.Equal(1, (await IngestAsync(Ctx.Services, Event("member_upserted", null, new
            {
                memberNo = id.ToString("D10"), homeStoreId = "S01", identities = new[] { Identity("ec_account", $"EC-{id}") },
            }, at: TestDatabase.Now.AddDays(-3)))).Accepted);
        foreach (var id in new[] { b, c })
        {
            var linked = await IngestAsync(Ctx.Services, Event("identity_linked", a.Card, new { identity = Identity("ec_account", $"EC-{id}") }, at: TestDatabase.Now.AddMinutes(-5)));
            Assert.Equal((1, 0), (linked.Accepted, linked.Pending.Count));
        }

        await SignInAsync(Manager);
        var page = RenderPage();
        var first = MergeOf(page, b);
        Assert.Null(first.QuerySelector("[data-testid=merge-split]"));
        Assert.NotNull(first.QuerySelector("[data-testid=merge-blocked]"));
        var second = MergeOf(page, c);
        Assert.NotNull(second.QuerySelector("[data-testid=merge-split]"));

        await SignInAsync(new StaffMember("M002", "前田 涼子", StaffRoles.Manager, "S02"));
        var theirs = RenderPage();
        Assert.Empty(theirs.FindAll($"[data-member-no='{MemberNumberOf(b)}']"));
    }

    [Fact]
    public async Task A_merge_older_than_the_split_window_is_final_and_offers_no_split()
    {
        var a = await ShopperAsync("確定", 200);
        var b = NewMemberId();
        Assert.Equal(1, (await IngestAsync(Ctx.Services, Event("member_upserted", null, new
        {
            memberNo = b.ToString("D10"), homeStoreId = "S01", identities = new[] { Identity("ec_account", $"EC-{b}") },
        }, at: TestDatabase.Now.AddDays(-150)))).Accepted);
        var linked = await IngestAsync(Ctx.Services, Event("identity_linked", a.Card, new { identity = Identity("ec_account", $"EC-{b}") }, at: TestDatabase.Now.AddDays(-91)));
        Assert.Equal((1, 0), (linked.Accepted, linked.Pending.Count));

        await SignInAsync(Manager);
        var merge = MergeOf(RenderPage(), b);
        Assert.Null(merge.QuerySelector("[data-testid=merge-split]"));
        Assert.Contains("90", merge.QuerySelector("[data-testid=merge-blocked]")!.TextContent);
        Assert.NotNull(merge.QuerySelector("[data-testid=merge-moved] [data-table=member_identifiers]"));
    }

    private static string MemberNumberOf(long id) => id.ToString("D10");

    private static AngleSharp.Dom.IElement MergeOf(IRenderedComponent<MergesPage> page, long merged) =>
        page.FindAll("[data-testid=merge][data-status=applied]")
            .Single(m => m.QuerySelector("[data-testid=merge-merged]")!.GetAttribute("data-member-no") == MemberNumberOf(merged));

    public sealed class OnSqlite(DemoDatabaseFixture.OnSqlite demo) : MergesPageTests(demo), IClassFixture<DemoDatabaseFixture.OnSqlite>;

    public sealed class OnPostgres(DemoDatabaseFixture.OnPostgres demo) : MergesPageTests(demo), IClassFixture<DemoDatabaseFixture.OnPostgres>;
}

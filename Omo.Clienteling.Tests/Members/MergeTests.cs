using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Omo.Clienteling.Data;
using Omo.Clienteling.Ingestion;
using Omo.Clienteling.Members;
using Omo.Clienteling.Staff;
using Omo.Clienteling.Webhooks;
using Omo.Clienteling.Tests.Support;
using static Omo.Clienteling.Tests.Support.Events;

namespace Omo.Clienteling.Tests.Members;

/// <summary>
/// Merges you can trust (docs/merges.md): every merge journaled, split back to exactly what each member had, undone one
/// step at a time, risky links held for a manager, and bad links refused with nothing changed.
/// </summary>
public abstract class MergeTests(AppServer server)
{
    private static readonly StaffMember Admin = new("X001", "管理者", StaffRoles.Admin, "S01");
    private static readonly StaffMember ManagerS01 = new("M001", "森 誠", StaffRoles.Manager, "S01");
    private static readonly StaffMember ManagerS02 = new("M002", "前田 涼子", StaffRoles.Manager, "S02");
    private static int _next = Environment.ProcessId % 1000 * 10;

    private readonly HttpClient _api = server.ClientWithKey(ApiKeyOptions.DemoKey);
    private MemberMerges Merges => server.Services.GetRequiredService<MemberMerges>();
    private SqlDialect Dialect => server.Services.GetRequiredService<OmoDatabase>().Dialect;

    private sealed record Person(long Id, object Card, object Account)
    {
        public string MemberNo => Id.ToString("D10");
        public string AccountNo => $"EC-{Id}";
    }

    /// <summary>
    /// A member with a bit of everything a merge moves: identifiers, browsing (two identical views), cart and wishlist (one
    /// SKU shared by everyone), an online order, a try-on, a visit, a hold, a booking, a note, and a till sale if asked.
    /// </summary>
    private async Task<Person> PersonAsync(string family = "合併", string given = "試子", int? birthMonth = 5, bool boughtInStore = false, int createdDaysAgo = 30)
    {
        var id = NewMemberId();
        var person = new Person(id, Card(CardOf(id)), Identity("ec_account", $"EC-{id}"));
        var skus = await SkusAsync();
        var n = Interlocked.Increment(ref _next);
        var now = DateTimeOffset.UtcNow;
        var events = new List<object>
        {
            Event("member_upserted", null, new
            {
                memberNo = person.MemberNo, familyName = family, givenName = given, birthMonth, tier = "silver", homeStoreId = "S01",
                email = $"merge{id}@example.jp", consent = new { onlineBehaviour = true, marketing = true }, identities = new[] { person.Card, person.Account },
            }, at: now.AddDays(-createdDaysAgo)),
            Event("product_viewed", person.Account, new { sku = skus[0], channel = "ec", seconds = 30 }, at: now.AddHours(-5)),
            Event("product_viewed", person.Account, new { sku = skus[0], channel = "ec", seconds = 30 }, at: now.AddHours(-5)),
            Event("page_viewed", person.Card, new { page = "size_guide", channel = "app" }, at: now.AddHours(-5).AddMinutes(1)),
            Event("cart_item_added", person.Card, new { sku = skus[1], quantity = 1 }, at: now.AddHours(-5).AddMinutes(2)),
            Event("cart_item_added", person.Card, new { sku = skus[2 + (int)(id % 3)], quantity = 2 }, at: now.AddHours(-5).AddMinutes(3)),
            Event("wishlist_item_added", person.Card, new { sku = skus[1] }, at: now.AddHours(-5).AddMinutes(4)),
            Event("order_placed", person.Account, new
            {
                orderId = $"ORD-M-{id}", channel = "ec", fulfilment = "delivery", lines = new[] { new { sku = skus[0], quantity = 1, unitPrice = 4990 } },
            }, at: now.AddHours(-4)),
            Event("fitting_room_try_on", person.Card, new { sku = skus[2] }, storeId: "S01", at: now.AddHours(-3)),
            Event("store_checked_in", person.Card, new { source = "app" }, storeId: "S01", at: now.AddHours(-3).AddMinutes(-5)),
            Hold(person.Card, "S01", $"H-M-{n}-{id % 100000}", ShopTime.DayOf(now).AddDays(2), now.AddHours(-2), lines: (skus[2], 1)),
            Appointment(person.Card, "S01", $"AP-M-{n}-{id % 100000}", now.AddDays(3), now.AddHours(-2)),
        };
        if (boughtInStore)
            events.Add(Event("pos_sale", person.Card, new { receiptId = $"R-M-{id}", lines = new[] { new { sku = skus[3], quantity = 1, unitPrice = 2990 } } },
                storeId: "S01", at: now.AddHours(-1)));
        var (response, body) = await PostAsync(_api, [.. events]);
        Assert.True(response.IsSuccessStatusCode && body.GetProperty("accepted").GetInt32() == events.Count, body.ToString());
        await server.Services.GetRequiredService<StaffNotes>().AddAsync(id, "A001", "S01", $"{family}様のメモ");
        return person;
    }

    private async Task<string[]> SkusAsync()
    {
        await using var c = await server.OpenAsync();
        return (await c.QueryAsync<string>("SELECT sku FROM stock WHERE store_id = 'S01' AND quantity >= 3 ORDER BY sku LIMIT 6")).ToArray();
    }

    private async Task<string> DigestAsync(Person person)
    {
        await using var c = await server.OpenAsync();
        return await DatabaseDigest.ComputeAsync(Dialect, c, person.Id);
    }

    private async Task<JsonElement> LinkAsync(Person to, object identity, bool accepted = true)
    {
        var (response, body) = await PostAsync(_api, Event("identity_linked", to.Card, new { identity }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body.GetProperty("accepted").GetInt32() == (accepted ? 1 : 0), body.ToString());
        return body;
    }

    private async Task<long> MergeIdAsync(Person merged)
    {
        await using var c = await server.OpenAsync();
        return await c.ExecuteScalarAsync<long>("SELECT merge_id FROM merge_journal WHERE merged_member_id = @Id ORDER BY merge_id DESC LIMIT 1", merged);
    }

    /// <summary>Everything a journal entry keeps of what its merge moved.</summary>
    private async Task<string> JournalTextAsync(long mergeId)
    {
        await using var c = await server.OpenAsync();
        return await c.ExecuteScalarAsync<string>("SELECT COALESCE(moved, '') || COALESCE(moved_counts, '') FROM merge_journal WHERE merge_id = @mergeId", new { mergeId }) ?? "";
    }

    private static string EmailOf(Person person) => $"merge{person.Id}@example.jp";

    private async Task<string> MemberNoOfAsync(string code) =>
        (await ProfileAsync(_api, code)).GetProperty("member").GetProperty("memberNo").GetString()!;

    private async Task<long> AuditCountAsync(string action, long memberId, string? staffCode = null)
    {
        await using var c = await server.OpenAsync();
        return await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM audit_log WHERE action = @action AND member_id = @memberId AND (@staffCode IS NULL OR staff_code = @staffCode)",
            new { action, memberId, staffCode });
    }

    [Fact]
    public async Task Merge_then_split_gives_both_members_back_exactly_their_rows_table_by_table()
    {
        var older = await PersonAsync(boughtInStore: true, createdDaysAgo: 40);
        var newer = await PersonAsync(createdDaysAgo: 10);
        var (olderBefore, newerBefore) = (await DigestAsync(older), await DigestAsync(newer));

        var body = await LinkAsync(older, newer.Account);
        Assert.Equal(0, body.GetProperty("pending").GetArrayLength());
        // The mixed record: the newer person's order now shows on the older one's profile, through either card.
        var mixed = await ProfileAsync(_api, CardOf(newer.Id));
        Assert.Equal(older.MemberNo, mixed.GetProperty("member").GetProperty("memberNo").GetString());
        Assert.NotEqual(olderBefore, await DigestAsync(older));
        Assert.Equal(1, await AuditCountAsync(AuditActions.MembersMerged, older.Id));

        var mergeId = await MergeIdAsync(newer);
        var entry = (await Merges.ListAsync(Admin, waiting: false)).Single(m => m.MergeId == mergeId);
        Assert.Equal(MergeStatus.Applied, entry.Status);
        Assert.Equal("合併 試子", entry.Merged.DisplayName);
        Assert.Equal(2, entry.Moved["product_views"]);
        Assert.Equal(2, entry.Moved["member_identifiers"]);
        Assert.Equal(1, entry.Moved["orders"]);
        // Why: the event that linked them, from which sender, naming which identifier.
        Assert.NotNull(entry.Sender);
        Assert.StartsWith("test-", entry.EventId);
        Assert.Equal($"ec_account {newer.AccountNo}", entry.Link);

        await Merges.SplitAsync(Admin, mergeId);

        Assert.Equal(olderBefore, await DigestAsync(older));
        Assert.Equal(newerBefore, await DigestAsync(newer));
        Assert.Equal(newer.MemberNo, await MemberNoOfAsync(CardOf(newer.Id)));
        Assert.Equal(newer.MemberNo, await MemberNoOfAsync(newer.AccountNo));
        Assert.Equal(older.MemberNo, await MemberNoOfAsync(CardOf(older.Id)));
        Assert.Equal(1, await AuditCountAsync(AuditActions.MemberSplit, newer.Id, Admin.Code));
        Assert.Equal(MergeStatus.Split, (await Merges.FindAsync(Admin, mergeId))!.Status);
        // The merged record has its own data back: the journal keeps only how many rows of each kind moved.
        Assert.Equal(entry.Moved, (await Merges.FindAsync(Admin, mergeId))!.Moved);
        Assert.DoesNotContain(EmailOf(newer), await JournalTextAsync(mergeId));
    }

    [Fact]
    public async Task After_the_split_window_a_merge_is_final_and_its_journal_forgets_the_merged_person()
    {
        var older = await PersonAsync(createdDaysAgo: 40);
        var newer = await PersonAsync(createdDaysAgo: 10);
        await LinkAsync(older, newer.Account);
        var mergeId = await MergeIdAsync(newer);
        var moved = (await Merges.FindAsync(Admin, mergeId))!.Moved;
        Assert.Contains(EmailOf(newer), await JournalTextAsync(mergeId));
        Assert.Contains(newer.AccountNo, await JournalTextAsync(mergeId));

        var database = server.Services.GetRequiredService<OmoDatabase>();
        var options = server.Services.GetRequiredService<IOptions<MergeOptions>>();
        var outbox = server.Services.GetRequiredService<WebhookOutbox>();
        Assert.Equal(90, options.Value.SplitWithinDays);
        (MemberMerges Merges, MergeJournalKeeper Keeper) DaysOn(int days)
        {
            var clock = new TestClock(DateTimeOffset.UtcNow.AddDays(days));
            return (new MemberMerges(database, outbox, clock, options), new MergeJournalKeeper(database, options, clock, NullLogger<MergeJournalKeeper>.Instance));
        }

        // On the last day of the window the merge can still be split, and the journal keeps what it needs for that.
        var lastDay = DaysOn(89);
        Assert.Null((await lastDay.Merges.FindAsync(Admin, mergeId))!.SplitBlocker);
        await lastDay.Keeper.SweepAsync();
        Assert.Contains(EmailOf(newer), await JournalTextAsync(mergeId));

        // The day after, it is final at once, even before a sweep has come by.
        var after = DaysOn(91);
        Assert.Equal("Merges.Blocked.Final", (await after.Merges.FindAsync(Admin, mergeId))!.SplitBlocker);
        var before = await DigestAsync(older);
        Assert.Equal("Merges.Blocked.Final", (await Assert.ThrowsAsync<MergeRefused>(() => after.Merges.SplitAsync(Admin, mergeId))).Reason);
        Assert.Equal(before, await DigestAsync(older));

        // The sweep forgets the merged person: no personal data or identifier left, only how many rows moved.
        Assert.True(await after.Keeper.SweepAsync() >= 1);
        var kept = await JournalTextAsync(mergeId);
        Assert.DoesNotContain(EmailOf(newer), kept);
        Assert.DoesNotContain(newer.AccountNo, kept);
        var entry = (await Merges.FindAsync(Admin, mergeId))!;
        Assert.Equal(moved, entry.Moved);
        Assert.Equal("Merges.Blocked.Final", entry.SplitBlocker);
        Assert.Equal("Merges.Blocked.Final", (await Assert.ThrowsAsync<MergeRefused>(() => Merges.SplitAsync(Admin, mergeId))).Reason);
        // The survivor is untouched, and a second sweep has nothing left to do.
        Assert.Equal(before, await DigestAsync(older));
        Assert.Equal(0, await after.Keeper.SweepAsync());
    }

    [Fact]
    public async Task What_was_recorded_after_the_merge_stays_with_the_survivor()
    {
        var older = await PersonAsync(createdDaysAgo: 40);
        var newer = await PersonAsync(createdDaysAgo: 10);
        var newerBefore = await DigestAsync(newer);
        await LinkAsync(older, newer.Account);

        // After the merge, through the newer person's own account too (it leads to the survivor now).
        var sku = (await SkusAsync())[5];
        var (_, body) = await PostAsync(_api,
            Event("product_viewed", newer.Account, new { sku, channel = "ec", seconds = 12 }),
            Event("cart_item_added", older.Card, new { sku, quantity = 1 }),
            Event("cart_item_added", older.Card, new { sku = (await SkusAsync())[1], quantity = 3 }));
        Assert.Equal(3, body.GetProperty("accepted").GetInt32());
        await Merges.SplitAsync(Admin, await MergeIdAsync(newer));

        Assert.Equal(newerBefore, await DigestAsync(newer));
        await using var c = await server.OpenAsync();
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM product_views WHERE member_id = @Id AND sku = @sku", new { older.Id, sku }));
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT quantity FROM cart_lines WHERE member_id = @Id AND sku = @sku", new { older.Id, sku }));
        // The shared cart line was changed after the merge: it is the survivor's as it stands.
        Assert.Equal(5, await c.ExecuteScalarAsync<long>("SELECT quantity FROM cart_lines WHERE member_id = @Id AND sku = @sku",
            new { older.Id, sku = (await SkusAsync())[1] }));
    }

    [Fact]
    public async Task Chained_merges_are_undone_one_step_at_a_time_newest_first()
    {
        var a = await PersonAsync(createdDaysAgo: 50);
        var b = await PersonAsync(createdDaysAgo: 40);
        var c = await PersonAsync(createdDaysAgo: 30);
        var d = await PersonAsync(createdDaysAgo: 20);
        var before = new Dictionary<Person, string>();
        foreach (var p in new[] { a, b, c, d }) before[p] = await DigestAsync(p);

        await LinkAsync(b, d.Account); // B ← D
        await LinkAsync(a, b.Account); // A ← B (and D with it)
        await LinkAsync(a, c.Account); // A ← C
        var (dIntoB, bIntoA, cIntoA) = (await MergeIdAsync(d), await MergeIdAsync(b), await MergeIdAsync(c));
        Assert.Equal(a.MemberNo, await MemberNoOfAsync(d.AccountNo));

        var aMerged = await DigestAsync(a);
        var refused = await Assert.ThrowsAsync<MergeRefused>(() => Merges.SplitAsync(Admin, bIntoA));
        Assert.Equal("Merges.Blocked.LaterMerge", refused.Reason);
        refused = await Assert.ThrowsAsync<MergeRefused>(() => Merges.SplitAsync(Admin, dIntoB));
        Assert.Equal("Merges.Blocked.MergedOnward", refused.Reason);
        Assert.Equal(aMerged, await DigestAsync(a));
        Assert.Equal("Merges.Blocked.LaterMerge", (await Merges.FindAsync(Admin, bIntoA))!.SplitBlocker);

        await Merges.SplitAsync(Admin, cIntoA);
        Assert.Equal(before[c], await DigestAsync(c));
        await Merges.SplitAsync(Admin, bIntoA);
        Assert.Equal(before[a], await DigestAsync(a));
        Assert.Equal(b.MemberNo, await MemberNoOfAsync(d.AccountNo)); // D is B's again, until that merge is split too
        await Merges.SplitAsync(Admin, dIntoB);
        foreach (var p in new[] { a, b, c, d }) Assert.Equal(before[p], await DigestAsync(p));
        Assert.Equal(d.MemberNo, await MemberNoOfAsync(d.AccountNo));
    }

    [Fact]
    public async Task A_risky_link_is_accepted_as_pending_and_changes_nothing_until_a_manager_approves_it()
    {
        var older = await PersonAsync("山田", "花子", 5, boughtInStore: true, createdDaysAgo: 40);
        var newer = await PersonAsync("田中", "花子", 7, boughtInStore: true, createdDaysAgo: 10);
        var (olderBefore, newerBefore) = (await DigestAsync(older), await DigestAsync(newer));

        var body = await LinkAsync(older, newer.Account);
        var pending = Assert.Single(body.GetProperty("pending").EnumerateArray());
        Assert.Equal(0, pending.GetProperty("index").GetInt32());
        Assert.Equal(["birth_months_differ", "both_bought_in_store", "names_differ"],
            pending.GetProperty("risks").EnumerateArray().Select(r => r.GetString()).Order());
        var mergeId = pending.GetProperty("mergeId").GetInt64();

        Assert.Equal(olderBefore, await DigestAsync(older));
        Assert.Equal(newerBefore, await DigestAsync(newer));
        Assert.Equal(newer.MemberNo, await MemberNoOfAsync(newer.AccountNo));
        Assert.Equal(1, await AuditCountAsync(AuditActions.MergeHeld, older.Id));
        // The same link again while it waits is refused, not queued twice.
        body = await LinkAsync(older, newer.Account, accepted: false);
        Assert.Equal("Merge awaiting approval", body.GetProperty("rejected")[0].GetProperty("title").GetString());

        // Another store's manager does not see it; this store's manager does, and approves it.
        Assert.DoesNotContain(await Merges.ListAsync(ManagerS02, waiting: true), m => m.MergeId == mergeId);
        await Assert.ThrowsAsync<MergeRefused>(() => Merges.ApproveAsync(ManagerS02, mergeId));
        var waiting = Assert.Single(await Merges.ListAsync(ManagerS01, waiting: true), m => m.MergeId == mergeId);
        Assert.Equal("田中 花子", waiting.Merged.DisplayName);
        await Merges.ApproveAsync(ManagerS01, mergeId);

        Assert.Equal(older.MemberNo, await MemberNoOfAsync(newer.AccountNo));
        Assert.Equal(1, await AuditCountAsync(AuditActions.MembersMerged, older.Id, ManagerS01.Code));
        var applied = (await Merges.FindAsync(ManagerS01, mergeId))!;
        Assert.Equal((MergeStatus.Applied, "M001"), (applied.Status, applied.DecidedBy));
        Assert.Equal("Merges.Refused.applied", (await Assert.ThrowsAsync<MergeRefused>(() => Merges.ApproveAsync(ManagerS01, mergeId))).Reason);

        // And it can still be split like any other merge.
        await Merges.SplitAsync(ManagerS01, mergeId);
        Assert.Equal(olderBefore, await DigestAsync(older));
        Assert.Equal(newerBefore, await DigestAsync(newer));
    }

    [Fact]
    public async Task A_rejected_link_leaves_two_members_and_is_audited()
    {
        var older = await PersonAsync("佐藤", "一", 2, boughtInStore: true, createdDaysAgo: 40);
        var newer = await PersonAsync("佐藤", "一", 2, boughtInStore: true, createdDaysAgo: 10);
        var newerBefore = await DigestAsync(newer);
        var body = await LinkAsync(older, newer.Account);
        var pending = Assert.Single(body.GetProperty("pending").EnumerateArray());
        Assert.Equal(["both_bought_in_store"], pending.GetProperty("risks").EnumerateArray().Select(r => r.GetString()));
        var mergeId = pending.GetProperty("mergeId").GetInt64();

        await Merges.RejectAsync(ManagerS01, mergeId);

        Assert.Equal(newerBefore, await DigestAsync(newer));
        Assert.Equal(newer.MemberNo, await MemberNoOfAsync(newer.AccountNo));
        Assert.Equal(1, await AuditCountAsync(AuditActions.MergeRejected, older.Id, "M001"));
        Assert.Equal("Merges.Refused.rejected", (await Assert.ThrowsAsync<MergeRefused>(() => Merges.ApproveAsync(Admin, mergeId))).Reason);
        Assert.Equal(MergeStatus.Rejected, (await Merges.FindAsync(Admin, mergeId))!.Status);
    }

    [Fact]
    public async Task Linking_to_its_own_member_or_in_a_cycle_and_splitting_a_merge_that_is_gone_are_refused_with_nothing_changed()
    {
        var older = await PersonAsync(createdDaysAgo: 40);
        var newer = await PersonAsync(createdDaysAgo: 10);
        var body = await LinkAsync(older, older.Account, accepted: false);
        Assert.Equal("Already linked", body.GetProperty("rejected")[0].GetProperty("title").GetString());

        await LinkAsync(older, newer.Account);
        var merged = await DigestAsync(older);
        // The newer member's own number leads to the older one now: linking it again would merge the member with itself.
        body = await LinkAsync(older, Identity("app_member", newer.MemberNo), accepted: false);
        Assert.Equal("Link would make a cycle", body.GetProperty("rejected")[0].GetProperty("title").GetString());
        (_, body) = await PostAsync(_api, Event("identity_linked", Identity("app_member", newer.MemberNo), new { identity = older.Account }));
        Assert.Equal("Link would make a cycle", body.GetProperty("rejected")[0].GetProperty("title").GetString());
        // The newer card moved with the merge: it is the older member's own now.
        body = await LinkAsync(newer, older.Account, accepted: false);
        Assert.Equal("Already linked", body.GetProperty("rejected")[0].GetProperty("title").GetString());
        Assert.Equal(merged, await DigestAsync(older));

        var mergeId = await MergeIdAsync(newer);
        await Merges.SplitAsync(Admin, mergeId);
        var split = (await DigestAsync(older), await DigestAsync(newer));
        Assert.Equal("Merges.Refused.split", (await Assert.ThrowsAsync<MergeRefused>(() => Merges.SplitAsync(Admin, mergeId))).Reason);
        Assert.Equal("Merges.Refused.Gone", (await Assert.ThrowsAsync<MergeRefused>(() => Merges.SplitAsync(Admin, long.MaxValue))).Reason);
        Assert.Equal(split, (await DigestAsync(older), await DigestAsync(newer)));

        // Erased: the journal goes with the person, and the merge with it.
        await LinkAsync(older, newer.Account);
        mergeId = await MergeIdAsync(newer);
        await server.Services.GetRequiredService<MemberEraser>().EraseAsync(older.Id, Admin, $"REQ-{older.Id}");
        Assert.Equal("Merges.Refused.Gone", (await Assert.ThrowsAsync<MergeRefused>(() => Merges.SplitAsync(Admin, mergeId))).Reason);
        await using var c = await server.OpenAsync();
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM merge_journal WHERE survivor_member_id = @Id OR merged_member_id = @Id", older));
    }

    [Fact]
    public async Task The_rules_for_holding_a_link_follow_the_settings()
    {
        var older = await PersonAsync("鈴木", "陽子", 3, boughtInStore: true, createdDaysAgo: 40);
        var newer = await PersonAsync("鈴木", "洋子", 9, boughtInStore: true, createdDaysAgo: 10);
        await using var c = await server.OpenAsync();
        await using var t = await c.BeginTransactionAsync();
        async Task<IReadOnlyList<MergeRisk>> Assess(MergeOptions options) => await MergeRules.AssessAsync(c, t, older.Id, newer.Id, DateTimeOffset.UtcNow, options);

        Assert.Equal([MergeRisk.BothBoughtInStore, MergeRisk.BirthMonthsDiffer, MergeRisk.NamesDiffer], await Assess(new MergeOptions()));
        Assert.Empty(await Assess(new MergeOptions { HoldWhenBothBoughtInStoreWithinDays = 0, HoldWhenBirthMonthsDiffer = false, HoldWhenNamesDiffer = false }));
        Assert.Equal([MergeRisk.NamesDiffer], await Assess(new MergeOptions { HoldWhenBothBoughtInStoreWithinDays = 0, HoldWhenBirthMonthsDiffer = false }));
    }

    public sealed class OnSqlite(SqliteAppServer server) : MergeTests(server), IClassFixture<SqliteAppServer>;

    public sealed class OnPostgres(PostgresAppServer server) : MergeTests(server), IClassFixture<PostgresAppServer>;
}

/// <summary>When two names are one person's: the rule is pure, so every case is cheap to pin down.</summary>
public sealed class MergeNameRuleTests
{
    private static MergeRules.Candidate Name(string? family, string? given, string? familyKana = null, string? givenKana = null) =>
        new() { FamilyName = family, GivenName = given, FamilyNameKana = familyKana, GivenNameKana = givenKana };

    [Theory]
    [InlineData("佐藤", "美咲", null, null, "佐藤", "美咲", null, null, false)]
    [InlineData("佐藤", "美咲", null, null, "佐藤 ", "美咲", null, null, false)]     // spacing
    [InlineData("Sato", "Misaki", null, null, "SATO", "misaki", null, null, false)]   // case, full-width
    [InlineData("髙橋", "陽", "タカハシ", "ヨウ", "高橋", "陽", "タカハシ", "ヨウ", false)] // a variant kanji reads the same
    [InlineData("佐藤", "美咲", null, null, "田中", "美咲", null, null, true)]
    [InlineData("佐藤", "美咲", "サトウ", "ミサキ", "佐藤", "美咲", "サトウ", "ミキ", false)] // same written name, a typo in the reading
    [InlineData("佐藤", "美咲", null, null, null, null, null, null, false)]           // a web-shop account without a name
    [InlineData(null, null, "サトウ", "ミサキ", null, null, "タナカ", "ミサキ", true)]
    public void Names_differ_only_when_both_are_known_and_neither_writing_nor_reading_agree(
        string? f1, string? g1, string? fk1, string? gk1, string? f2, string? g2, string? fk2, string? gk2, bool differ) =>
        Assert.Equal(differ, MergeRules.NamesDiffer(Name(f1, g1, fk1, gk1), Name(f2, g2, fk2, gk2)));
}

using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using Omo.Clienteling.Data;
using Omo.Clienteling.Scanning;
using Omo.Clienteling.Staff;
using Omo.Clienteling.Webhooks;

namespace Omo.Clienteling.Members;

/// <summary>A decision on a merge that cannot be taken, with the resource key of the reason the tablet shows.</summary>
public sealed class MergeRefused(string reason, params object[] args) : Exception(reason)
{
    public string Reason => Message;
    public object[] Args => args;
}

/// <summary>One side of a merge as the merges page shows it.</summary>
public sealed record MergeSide(long MemberId, string DisplayName, IReadOnlyList<string> Identifiers)
{
    public string MemberNo => MemberNumber.Format(MemberId);
}

/// <summary>A merge, or a link waiting to become one, with what the page needs to decide on it.</summary>
public sealed record MergeEntry(
    long MergeId, MergeStatus Status, MergeSide Survivor, MergeSide Merged, string? Sender, string? EventId, string? Link,
    IReadOnlyList<MergeRisk> Risks, DateTimeOffset RequestedAt, DateTimeOffset? MergedAt, IReadOnlyDictionary<string, int> Moved,
    string? DecidedBy, string? SplitBy, DateTimeOffset? SplitAt, string? SplitBlocker, string? Blocking)
{
    /// <summary>Who approved or rejected it, and who split it, as the page names them: "森 誠 (M001)".</summary>
    public string? DecidedByName { get; init; }

    public string? SplitByName { get; init; }
}

/// <summary>
/// The merges page's journey (docs/merges.md): list the recent merges and the links held for approval that this person
/// may see (admins every member; managers members of their store), approve or reject a held link, and split a merge that
/// was wrong. Every decision is audited; a split is told to the retailer's systems as <c>member.split</c>.
/// </summary>
public sealed class MemberMerges(OmoDatabase database, WebhookOutbox outbox, TimeProvider clock, IOptions<MergeOptions> options)
{
    public const int Shown = 50;

    // The journal entry, both members, and what would stop a split: the survivor merged on into someone else, or a later
    // merge into the same survivor (merges are undone newest first, one step at a time).
    private const string EntrySql = """
        SELECT j.merge_id, j.status, j.survivor_member_id, j.merged_member_id, j.sender, j.event_id, j.link_kind, j.link_value, j.risks,
               j.requested_at, j.merged_at, j.moved, j.moved_counts, j.decided_by, j.split_by, j.split_at,
               (SELECT d.display_name FROM staff d WHERE d.staff_code = j.decided_by) AS decided_by_name,
               (SELECT x.display_name FROM staff x WHERE x.staff_code = j.split_by) AS split_by_name,
               s.family_name AS survivor_family_name, s.given_name AS survivor_given_name,
               m.family_name AS merged_family_name, m.given_name AS merged_given_name,
               (SELECT mm.survivor_member_id FROM member_merges mm WHERE mm.merged_member_id = j.survivor_member_id) AS survivor_merged_into,
               (SELECT l.merge_id FROM merge_journal l WHERE l.survivor_member_id = j.survivor_member_id AND l.status = 'applied' AND l.merge_id > j.merge_id
                ORDER BY l.merge_id DESC LIMIT 1) AS later_merge_id
        FROM merge_journal j
        JOIN members s ON s.member_id = j.survivor_member_id
        JOIN members m ON m.member_id = j.merged_member_id
        """;

    // A manager sees a merge when either record belongs to their store.
    private const string Visible = "(@everyStore OR s.home_store_id = @storeId OR m.home_store_id = @storeId)";

    /// <summary>Links waiting for a decision (oldest first: they have waited longest), or the latest merges and decisions.</summary>
    public async Task<IReadOnlyList<MergeEntry>> ListAsync(StaffMember staff, bool waiting, int limit = Shown)
    {
        await using var c = await database.OpenAsync();
        var rows = (await c.QueryAsync<Row>($"""
            {EntrySql}
            WHERE {Visible} AND {(waiting ? "j.status = 'pending'" : "j.status <> 'pending'")}
            ORDER BY j.merge_id {(waiting ? "ASC" : "DESC")} LIMIT @limit
            """, new { everyStore = staff.ChoosesStore, storeId = staff.StoreId, limit })).ToList();
        return await EntriesAsync(c, null, rows);
    }

    public async Task<MergeEntry?> FindAsync(StaffMember staff, long mergeId)
    {
        await using var c = await database.OpenAsync();
        var row = await c.QuerySingleOrDefaultAsync<Row>($"{EntrySql} WHERE j.merge_id = @mergeId AND {Visible}",
            new { mergeId, everyStore = staff.ChoosesStore, storeId = staff.StoreId });
        return row is null ? null : (await EntriesAsync(c, null, [row]))[0];
    }

    /// <summary>
    /// Undoes a merge: the merged member comes back with exactly its own rows, identifiers and values; what was recorded for
    /// the survivor since stays with the survivor. Refused (nothing changed) when the merge is gone, not applied, or not
    /// the newest step.
    /// </summary>
    public async Task SplitAsync(StaffMember staff, long mergeId)
    {
        var now = clock.GetUtcNow();
        await database.InTransactionAsync(async (c, t) =>
        {
            var (entry, row) = await LockAsync(c, t, staff, mergeId);
            if (entry.Status != MergeStatus.Applied) throw new MergeRefused($"Merges.Refused.{entry.Status.Wire}");
            if (entry.SplitBlocker is { } blocker) throw new MergeRefused(blocker, entry.Blocking!);
            // An applied merge without its journal (made before schema 009, or forgotten) is final: refused just above.
            var journal = MergeJournal.FromJson(row.Moved!);
            await journal.RestoreAsync(database.Dialect, c, t, entry.Survivor.MemberId, entry.Merged.MemberId, now);
            // The merged record has its own data back: the journal need not keep a copy.
            await journal.ForgetAsync(c, t, mergeId);
            await c.ExecuteAsync("UPDATE merge_journal SET status = @split, split_by = @staff, split_at = @now WHERE merge_id = @mergeId",
                new { split = MergeStatus.Split, staff = staff.Code, now, mergeId }, t);
            await AuditLog.RecordAsync(c, t, now, AuditActions.MemberSplit, staff.Code, staff.StoreId, entry.Merged.MemberId, $"merge {mergeId}");
            // The senders hold their own links: they hear that the two are two people again (member numbers only).
            await WebhookOutbox.EnqueueAsync(c, t, WebhookTopics.MemberSplit, null, entry.Merged.MemberId,
                new { memberNo = entry.Survivor.MemberNo, restoredMemberNo = entry.Merged.MemberNo, splitAt = now }, now);
        });
        outbox.Committed();
    }

    /// <summary>A manager confirms a held link: the two members are merged now, as the link asked (older survives).</summary>
    public async Task ApproveAsync(StaffMember staff, long mergeId)
    {
        var now = clock.GetUtcNow();
        await database.InTransactionAsync(async (c, t) =>
        {
            var entry = await LockPendingAsync(c, t, staff, mergeId);
            // Either may have been merged into someone else, or erased, while the link waited.
            var current = (await c.QueryAsync<(long Id, long? ErasedAt)>("""
                SELECT m.member_id, m.erased_at FROM members m
                WHERE m.member_id IN (SELECT COALESCE((SELECT mm.survivor_member_id FROM member_merges mm WHERE mm.merged_member_id = x.id), x.id)
                                      FROM (SELECT @a AS id UNION ALL SELECT @b) x)
                """, new { a = entry.Survivor.MemberId, b = entry.Merged.MemberId }, t)).ToList();
            if (current.Count < 2) throw new MergeRefused("Merges.Refused.AlreadyOne");
            if (current.Any(m => m.ErasedAt is not null)) throw new MergeRefused("Merges.Refused.Erased");
            var cause = new MergeCause(entry.Sender, entry.EventId, null, null);
            var (survivor, merged) = await MemberMerger.OlderFirstAsync(database.Dialect, c, t, current[0].Id, current[1].Id);
            await MemberMerger.MergeAsync(database.Dialect, c, t, survivor, merged, now, cause, (mergeId, staff.Code));
        });
    }

    /// <summary>A manager turns a held link down: the two stay two members.</summary>
    public async Task RejectAsync(StaffMember staff, long mergeId)
    {
        var now = clock.GetUtcNow();
        await database.InTransactionAsync(async (c, t) =>
        {
            var entry = await LockPendingAsync(c, t, staff, mergeId);
            await c.ExecuteAsync("UPDATE merge_journal SET status = @rejected, decided_by = @staff, decided_at = @now WHERE merge_id = @mergeId",
                new { rejected = MergeStatus.Rejected, staff = staff.Code, now, mergeId }, t);
            await AuditLog.RecordAsync(c, t, now, AuditActions.MergeRejected, staff.Code, staff.StoreId, entry.Survivor.MemberId, $"merge {mergeId}");
        });
    }

    private async Task<MergeEntry> LockPendingAsync(DbConnection c, DbTransaction t, StaffMember staff, long mergeId)
    {
        var (entry, _) = await LockAsync(c, t, staff, mergeId);
        return entry.Status == MergeStatus.Pending ? entry : throw new MergeRefused($"Merges.Refused.{entry.Status.Wire}");
    }

    /// <summary>The entry, locked for this decision; one this person may not see is as good as gone.</summary>
    private async Task<(MergeEntry, Row)> LockAsync(DbConnection c, DbTransaction t, StaffMember staff, long mergeId)
    {
        var row = await c.QuerySingleOrDefaultAsync<Row>($"{EntrySql} WHERE j.merge_id = @mergeId AND {Visible}{database.Dialect.ForUpdate}",
            new { mergeId, everyStore = staff.ChoosesStore, storeId = staff.StoreId }, t);
        return row is null ? throw new MergeRefused("Merges.Refused.Gone") : ((await EntriesAsync(c, t, [row]))[0], row);
    }

    /// <summary>
    /// Both sides' identifiers in one read: the merged record's as journaled while the merge stands (today's otherwise),
    /// the survivor's today without those, so each side shows its own.
    /// </summary>
    private async Task<List<MergeEntry>> EntriesAsync(DbConnection c, DbTransaction? t, IReadOnlyList<Row> rows)
    {
        var journals = rows.ToDictionary(r => r.MergeId, r => r.Moved is null ? null : MergeJournal.FromJson(r.Moved));
        var finalBefore = clock.GetUtcNow() - options.Value.SplitWindow;
        var ids = rows.SelectMany(r => new[] { r.SurvivorMemberId, r.MergedMemberId }).Distinct();
        var identifiers = (await c.QueryAsync<(long MemberId, string Kind, string Value)>(
                $"SELECT member_id, kind, value FROM member_identifiers WHERE member_id {database.Dialect.InArray("@ids")} AND status = 'active' ORDER BY kind, value",
                new { ids = database.Dialect.Array(ids) }, t))
            .ToLookup(i => i.MemberId, i => (i.Kind, i.Value));
        return rows.Select(r =>
        {
            var journal = journals[r.MergeId];
            var applied = r.Status == MergeStatus.Applied && journal is not null;
            var movedIdentifiers = applied ? journal!.Identifiers.ToList() : [];
            var merged = applied
                ? new MergeSide(r.MergedMemberId, journal!.Merged.DisplayName, Masked(movedIdentifiers))
                : new MergeSide(r.MergedMemberId, new MemberValues { FamilyName = r.MergedFamilyName, GivenName = r.MergedGivenName }.DisplayName,
                    Masked(identifiers[r.MergedMemberId]));
            var survivor = new MergeSide(r.SurvivorMemberId, new MemberValues { FamilyName = r.SurvivorFamilyName, GivenName = r.SurvivorGivenName }.DisplayName,
                Masked(identifiers[r.SurvivorMemberId].Except(movedIdentifiers)));
            // Final once the journal has forgotten it (or is about to: past the window, before the next sweep). Otherwise
            // undone newest first: not while the survivor is itself merged into someone, nor before a later merge into it.
            var (blocker, blocking) = r.Status == MergeStatus.Applied && (journal is null || r.MergedAt < finalBefore) ? ("Merges.Blocked.Final", options.Value.SplitWithinDays.ToString())
                : r.SurvivorMergedInto is { } onward ? ("Merges.Blocked.MergedOnward", MemberNumber.Format(onward))
                : r.LaterMergeId is { } later ? ("Merges.Blocked.LaterMerge", later.ToString()) : ((string?)null, (string?)null);
            return new MergeEntry(r.MergeId, r.Status, survivor, merged, r.Sender, r.EventId, r.LinkKind is null ? null : $"{r.LinkKind} {Mask.Identifier(r.LinkKind, r.LinkValue ?? "")}",
                r.Risks.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ShopWord.Parse<MergeRisk>).ToList(),
                r.RequestedAt, r.MergedAt, journal?.Counts() ?? (r.MovedCounts is { } counts ? MergeJournal.CountsFromJson(counts) : new Dictionary<string, int>()), r.DecidedBy, r.SplitBy, r.SplitAt, blocker, blocking)
            {
                DecidedByName = StaffName(r.DecidedBy, r.DecidedByName),
                SplitByName = StaffName(r.SplitBy, r.SplitByName),
            };
        }).ToList();
    }

    private static List<string> Masked(IEnumerable<(string Kind, string Value)> identifiers) => identifiers.Select(i => Mask.Identifier(i.Kind, i.Value)).ToList();

    // A staff member no longer on the staff list is still named by their code.
    private static string? StaffName(string? code, string? name) => code is null ? null : name is null ? code : $"{name} ({code})";

    private sealed class Row
    {
        public long MergeId { get; init; }
        public MergeStatus Status { get; init; }
        public long SurvivorMemberId { get; init; }
        public long MergedMemberId { get; init; }
        public string? Sender { get; init; }
        public string? EventId { get; init; }
        public string? LinkKind { get; init; }
        public string? LinkValue { get; init; }
        public string Risks { get; init; } = "";
        public DateTimeOffset RequestedAt { get; init; }
        public DateTimeOffset? MergedAt { get; init; }
        public string? Moved { get; init; }
        public string? MovedCounts { get; init; }
        public string? DecidedBy { get; init; }
        public string? SplitBy { get; init; }
        public string? DecidedByName { get; init; }
        public string? SplitByName { get; init; }
        public DateTimeOffset? SplitAt { get; init; }
        public string? SurvivorFamilyName { get; init; }
        public string? SurvivorGivenName { get; init; }
        public string? MergedFamilyName { get; init; }
        public string? MergedGivenName { get; init; }
        public long? SurvivorMergedInto { get; init; }
        public long? LaterMergeId { get; init; }
    }
}

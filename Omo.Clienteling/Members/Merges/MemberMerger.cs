using System.Data.Common;
using Dapper;
using Omo.Clienteling.Data;
using Omo.Clienteling.Staff;

namespace Omo.Clienteling.Members;

/// <summary>Why two records became one: the link that joined them (its event, sender and identifier), or the demo's story.</summary>
public sealed record MergeCause(string? Sender, string? EventId, string? LinkKind, string? LinkValue)
{
    public static readonly MergeCause Demo = new(null, null, null, null);
}

/// <summary>
/// Joins two member records that turned out to be one person (docs/merges.md). The older record survives; the other's
/// history, identifiers, notes and points move to it, its personal data is cleared, a merge record keeps its member number
/// resolving to the survivor, and the merge journal keeps exactly what moved, so the merge can be split again.
/// </summary>
public static class MemberMerger
{
    /// <summary>The two members, older first (the survivor), locked for the rest of the transaction.</summary>
    public static async Task<(long Survivor, long Merged)> OlderFirstAsync(SqlDialect dialect, DbConnection connection, DbTransaction transaction, long a, long b)
    {
        var created = (await connection.QueryAsync<(long Id, long CreatedAt)>(
            $"SELECT member_id, created_at FROM members WHERE member_id IN (@a, @b) ORDER BY member_id{dialect.ForUpdate}", new { a, b }, transaction)).ToList();
        if (created.Count != 2) throw new InvalidOperationException($"Cannot merge members {a} and {b}: both must exist.");
        var ordered = created.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToList();
        return (ordered[0].Id, ordered[1].Id);
    }

    /// <summary>Merges the two members, keeping the one created first. Returns the merge's journal id.</summary>
    public static async Task<long> MergeKeepingOlderAsync(SqlDialect dialect, DbConnection connection, DbTransaction transaction, long a, long b,
        DateTimeOffset at, MergeCause cause)
    {
        var (survivor, merged) = await OlderFirstAsync(dialect, connection, transaction, a, b);
        return await MergeAsync(dialect, connection, transaction, survivor, merged, at, cause);
    }

    /// <summary>Writes a link that would merge the two as pending, for a manager to approve or reject; nothing else changes.</summary>
    public static async Task<long> HoldAsync(SqlDialect dialect, DbConnection connection, DbTransaction transaction, long a, long b,
        DateTimeOffset at, MergeCause cause, IReadOnlyList<MergeRisk> risks)
    {
        var (survivor, merged) = await OlderFirstAsync(dialect, connection, transaction, a, b);
        var mergeId = await connection.ExecuteScalarAsync<long>("""
            INSERT INTO merge_journal (survivor_member_id, merged_member_id, status, sender, event_id, link_kind, link_value, risks, requested_at)
            VALUES (@survivor, @merged, @pending, @Sender, @EventId, @LinkKind, @LinkValue, @risks, @at)
            RETURNING merge_id
            """, new
        {
            survivor, merged, pending = MergeStatus.Pending, cause.Sender, cause.EventId, cause.LinkKind, cause.LinkValue,
            risks = string.Join(",", risks.Select(r => r.Wire)), at,
        }, transaction);
        await AuditLog.RecordAsync(connection, transaction, at, AuditActions.MergeHeld, null, null, survivor, $"merge {mergeId}");
        return mergeId;
    }

    /// <summary>
    /// Merges <paramref name="merged"/> into <paramref name="survivor"/> and journals it: a new journal entry, or the pending
    /// one a manager approved (<paramref name="approval"/>). Returns the journal id.
    /// </summary>
    public static async Task<long> MergeAsync(SqlDialect dialect, DbConnection connection, DbTransaction transaction, long survivor, long merged,
        DateTimeOffset at, MergeCause cause, (long MergeId, string StaffCode)? approval = null)
    {
        if (survivor == merged) throw new InvalidOperationException($"Member {survivor} cannot be merged into itself.");
        var journal = await MergeJournal.CaptureAsync(connection, transaction, survivor, merged);
        // One command, one round trip: on PostgreSQL a merge's statements otherwise cost a network wait each.
        await connection.ExecuteAsync(string.Concat(MergeJournal.MovedTables.Select(table => $"UPDATE {table} SET member_id = @survivor WHERE member_id = @merged;\n")) + $"""
            -- Keyed current state: combine, then drop the merged member's copy.
            INSERT INTO cart_lines (member_id, sku, quantity, added_at)
            SELECT @survivor, sku, quantity, added_at FROM cart_lines WHERE member_id = @merged
            ON CONFLICT (member_id, sku) DO UPDATE SET quantity = cart_lines.quantity + excluded.quantity,
                                                      added_at = {dialect.Least("cart_lines.added_at", "excluded.added_at")};
            DELETE FROM cart_lines WHERE member_id = @merged;
            INSERT INTO wishlist_items (member_id, sku, added_at)
            SELECT @survivor, sku, added_at FROM wishlist_items WHERE member_id = @merged
            ON CONFLICT (member_id, sku) DO NOTHING;
            DELETE FROM wishlist_items WHERE member_id = @merged;
            -- The survivor keeps its own name and consent, takes over contact data it lacks, and the points.
            UPDATE members SET
                email = COALESCE(email, (SELECT m.email FROM members m WHERE m.member_id = @merged)),
                phone = COALESCE(phone, (SELECT m.phone FROM members m WHERE m.member_id = @merged)),
                points = points + (SELECT m.points FROM members m WHERE m.member_id = @merged),
                points_expire_on = CASE
                    WHEN (SELECT m.points_expire_on FROM members m WHERE m.member_id = @merged) IS NULL THEN points_expire_on
                    WHEN points_expire_on IS NULL THEN (SELECT m.points_expire_on FROM members m WHERE m.member_id = @merged)
                    ELSE {dialect.Least("points_expire_on", "(SELECT m.points_expire_on FROM members m WHERE m.member_id = @merged)")} END,
                updated_at = @at
            WHERE member_id = @survivor;
            UPDATE members SET family_name = NULL, given_name = NULL, family_name_kana = NULL, given_name_kana = NULL,
                               email = NULL, phone = NULL, birth_month = NULL, points = 0, points_expire_on = NULL, updated_at = @at
            WHERE member_id = @merged;
            UPDATE member_merges SET survivor_member_id = @survivor WHERE survivor_member_id = @merged;
            INSERT INTO member_merges (merged_member_id, survivor_member_id, merged_at) VALUES (@merged, @survivor, @at);
            """, new { survivor, merged, at }, transaction);

        var entry = new
        {
            survivor, merged, applied = MergeStatus.Applied, cause.Sender, cause.EventId, cause.LinkKind, cause.LinkValue, at, moved = journal.ToJson(),
            mergeId = approval?.MergeId, staff = approval?.StaffCode,
        };
        var mergeId = approval is null
            ? await connection.ExecuteScalarAsync<long>("""
                INSERT INTO merge_journal (survivor_member_id, merged_member_id, status, sender, event_id, link_kind, link_value, requested_at, merged_at, moved)
                VALUES (@survivor, @merged, @applied, @Sender, @EventId, @LinkKind, @LinkValue, @at, @at, @moved)
                RETURNING merge_id
                """, entry, transaction)
            : await connection.ExecuteScalarAsync<long>("""
                UPDATE merge_journal SET survivor_member_id = @survivor, merged_member_id = @merged, status = @applied, merged_at = @at, moved = @moved,
                                         decided_by = @staff, decided_at = @at
                WHERE merge_id = @mergeId
                RETURNING merge_id
                """, entry, transaction);
        // The demo dataset's merges are part of the generated world, not something someone did.
        if (cause != MergeCause.Demo)
            await AuditLog.RecordAsync(connection, transaction, at, AuditActions.MembersMerged, approval?.StaffCode, null, survivor, $"merge {mergeId}");
        return mergeId;
    }
}

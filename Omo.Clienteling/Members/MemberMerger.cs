using System.Data.Common;
using Dapper;
using Omo.Clienteling.Data;

namespace Omo.Clienteling.Members;

/// <summary>
/// Joins two member records that turned out to be one person. The older record survives; the other's
/// history, identifiers, notes and points move to it, its personal data is cleared, and a merge record
/// keeps its member number resolving to the survivor.
/// </summary>
public static class MemberMerger
{
    /// <summary>Tables whose rows simply change owner.</summary>
    private static readonly string[] HistoryTables =
    [
        "product_views", "page_views", "cart_events", "orders", "receipts", "try_ons", "check_ins",
        "staff_notes", "talking_point_feedback", "member_identifiers", "holds", "appointments", "follow_ups",
    ];

    /// <summary>Merges the two members, keeping the one created first. Returns the survivor's id.</summary>
    public static async Task<long> MergeKeepingOlderAsync(SqlDialect dialect, DbConnection connection, DbTransaction transaction, long a, long b, DateTimeOffset at)
    {
        var created = (await connection.QueryAsync<(long Id, long CreatedAt)>(
            $"SELECT member_id, created_at FROM members WHERE member_id IN (@a, @b){dialect.ForUpdate}", new { a, b }, transaction)).ToList();
        if (created.Count != 2) throw new InvalidOperationException($"Cannot merge members {a} and {b}: both must exist.");
        var ordered = created.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToList();
        await MergeAsync(dialect, connection, transaction, survivor: ordered[0].Id, merged: ordered[1].Id, at);
        return ordered[0].Id;
    }

    public static async Task MergeAsync(SqlDialect dialect, DbConnection connection, DbTransaction transaction, long survivor, long merged, DateTimeOffset at)
    {
        if (survivor == merged) return;
        // One command, one round trip: on PostgreSQL a merge's statements otherwise cost a network wait each.
        await connection.ExecuteAsync(string.Concat(HistoryTables.Select(table => $"UPDATE {table} SET member_id = @survivor WHERE member_id = @merged;\n")) + $"""
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
    }
}

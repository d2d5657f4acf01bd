using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Omo.Clienteling.Data;
using Omo.Clienteling.Scanning;
using Omo.Clienteling.Staff;

namespace Omo.Clienteling.Members;

/// <summary>What an erasure removed, for the admin's confirmation.</summary>
public sealed record ErasureSummary(int Members, int Identifiers, int Rows);

/// <summary>
/// The right to be forgotten (APPI, GDPR): deletes a member's personal data and whole history in one transaction.
/// What stays is a hash of each identifier, so their old card or app code answers "erased" rather than "unknown",
/// and the audit row saying that an erasure happened, by whom and under which request reference.
/// </summary>
public sealed class MemberEraser(OmoDatabase database, TimeProvider clock)
{
    /// <summary>Every table that holds rows about a member, children before parents.</summary>
    private static readonly string[] MemberTables =
    [
        "product_views", "page_views", "cart_lines", "cart_events", "wishlist_items", "try_ons", "check_ins",
        "staff_notes", "talking_point_feedback", "member_identifiers",
    ];

    public Task<ErasureSummary> EraseAsync(long memberId, StaffMember by, string requestReference) => database.InTransactionAsync(async (c, t) =>
    {
        var now = clock.GetUtcNow();
        var dialect = database.Dialect;
        // The member and any duplicate records merged into them are one person.
        var ids = (await c.QueryAsync<long>("""
            SELECT member_id FROM members WHERE member_id = @memberId
            UNION SELECT merged_member_id FROM member_merges WHERE survivor_member_id = @memberId
            """, new { memberId }, t)).ToList();
        if (!ids.Contains(memberId)) throw new InvalidOperationException($"Member {MemberNumber.Format(memberId)} does not exist.");
        var p = new { ids = dialect.Array(ids), now };
        var theirs = dialect.InArray("@ids");

        var identifiers = (await c.QueryAsync<(string Kind, string Value)>(
            $"SELECT kind, value FROM member_identifiers WHERE member_id {theirs}", p, t))
            .Concat(ids.Select(id => (Kind: "app_member", Value: MemberNumber.Format(id)))).Distinct().ToList();
        await c.ExecuteAsync("INSERT INTO erased_identifiers (kind, value_hash, erased_at) VALUES (@kind, @hash, @now) ON CONFLICT DO NOTHING",
            identifiers.Select(i => new { kind = i.Kind, hash = Hash(i.Kind, i.Value), now }), t);

        var rows = 0;
        rows += await c.ExecuteAsync($"DELETE FROM order_lines WHERE order_id IN (SELECT order_id FROM orders WHERE member_id {theirs})", p, t);
        rows += await c.ExecuteAsync($"DELETE FROM orders WHERE member_id {theirs}", p, t);
        rows += await c.ExecuteAsync($"DELETE FROM receipt_lines WHERE receipt_id IN (SELECT receipt_id FROM receipts WHERE member_id {theirs})", p, t);
        rows += await c.ExecuteAsync($"DELETE FROM receipts WHERE member_id {theirs}", p, t);
        foreach (var table in MemberTables)
            rows += await c.ExecuteAsync($"DELETE FROM {table} WHERE member_id {theirs}", p, t);
        rows += await c.ExecuteAsync($"DELETE FROM member_merges WHERE merged_member_id {theirs} OR survivor_member_id {theirs}", p, t);
        rows += await c.ExecuteAsync($"DELETE FROM members WHERE member_id {theirs}", p, t);
        // Earlier audit rows keep who looked and when, but no longer whom.
        await c.ExecuteAsync($"UPDATE audit_log SET member_id = NULL WHERE member_id {theirs}", p, t);
        await AuditLog.RecordAsync(c, t, now, AuditActions.MemberErased, by.Code, by.StoreId, null, requestReference.Trim());
        return new ErasureSummary(ids.Count, identifiers.Count, rows);
    });

    /// <summary>Whether this identifier belonged to a member who was erased.</summary>
    public static Task<bool> WasErasedAsync(DbConnection connection, DbTransaction? transaction, MemberCode code) =>
        connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM erased_identifiers WHERE kind = @kind AND value_hash = @hash)",
            new { kind = code.StoredKind, hash = Hash(code.StoredKind, code.Value) }, transaction);

    private static string Hash(string kind, string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{kind}:{value}")));
}

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
        "staff_notes", "talking_point_feedback", "member_identifiers", "appointments", "follow_ups",
    ];

    /// <summary>
    /// Tables whose rows hold what identifies a person in words (names, contact details, identifiers, notes, a code typed
    /// at sign-in, a note on a booking). The history tables hold only the member's number as a binary key beside product codes and times.
    /// </summary>
    private static readonly string[] PersonalTables = ["members", "member_identifiers", "staff_notes", "appointments", "follow_ups", "webhook_messages", "merge_journal", "audit_log", "sign_in_throttle"];

    public const int MaxReferenceLength = 40;

    public async Task<ErasureSummary> EraseAsync(long memberId, StaffMember by, string requestReference)
    {
        requestReference = requestReference.Trim();
        if (requestReference.Length == 0) throw new ArgumentException("An erasure needs the request's reference.", nameof(requestReference));
        SafeText.Require(requestReference, MaxReferenceLength, "request reference");
        var summary = await DeleteAsync(memberId, by, requestReference);
        // Then what the database keeps of deleted rows outside the tables (the log, dead row versions).
        await database.Dialect.ScrubAsync(PersonalTables);
        return summary;
    }

    private Task<ErasureSummary> DeleteAsync(long memberId, StaffMember by, string requestReference) => database.InTransactionAsync(async (c, t) =>
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
        rows += await c.ExecuteAsync($"DELETE FROM hold_lines WHERE hold_id IN (SELECT hold_id FROM holds WHERE member_id {theirs})", p, t);
        rows += await c.ExecuteAsync($"DELETE FROM holds WHERE member_id {theirs}", p, t);
        // Messages about them still waiting to be sent (or kept as sent) go too: nothing about them leaves Omo afterwards.
        rows += await c.ExecuteAsync($"DELETE FROM webhook_deliveries WHERE message_id IN (SELECT message_id FROM webhook_messages WHERE member_id {theirs})", p, t);
        rows += await c.ExecuteAsync($"DELETE FROM webhook_messages WHERE member_id {theirs}", p, t);
        foreach (var table in MemberTables)
            rows += await c.ExecuteAsync($"DELETE FROM {table} WHERE member_id {theirs}", p, t);
        rows += await c.ExecuteAsync($"DELETE FROM member_merges WHERE merged_member_id {theirs} OR survivor_member_id {theirs}", p, t);
        // The merge journal keeps a merged record's names and identifiers so it can be split again: not after an erasure.
        rows += await c.ExecuteAsync($"DELETE FROM merge_journal WHERE merged_member_id {theirs} OR survivor_member_id {theirs}", p, t);
        rows += await c.ExecuteAsync($"DELETE FROM members WHERE member_id {theirs}", p, t);
        // Earlier audit rows keep who looked and when, and the erasure's reference in place of whom.
        await c.ExecuteAsync($"UPDATE audit_log SET member_id = NULL, erased_ref = @requestReference WHERE member_id {theirs}",
            new { p.ids, requestReference }, t);
        // An identifier typed into the staff-code field (a web-shop account that looks like a staff code) was written
        // down as a failed sign-in and counted: forget it there too, unless it is a real staff member's code.
        var typedAsStaffCode = dialect.Array(identifiers.Select(i => StaffDirectory.NormaliseCode(i.Value)).Where(StaffDirectory.IsStaffCodeShaped).Distinct());
        const string NotStaff = "NOT IN (SELECT staff_code FROM staff)";
        await c.ExecuteAsync($"DELETE FROM sign_in_throttle WHERE code {dialect.InArray("@codes")} AND code {NotStaff}", new { codes = typedAsStaffCode }, t);
        await c.ExecuteAsync($"""
            UPDATE audit_log SET staff_code = NULL, erased_ref = @requestReference
            WHERE action = '{AuditActions.SignInFailed}' AND erased_ref IS NULL AND staff_code {dialect.InArray("@codes")} AND staff_code {NotStaff}
            """, new { codes = typedAsStaffCode, requestReference }, t);
        await AuditLog.RecordAsync(c, t, now, AuditActions.MemberErased, by.Code, by.StoreId, null, requestReference);
        return new ErasureSummary(ids.Count, identifiers.Count, rows);
    });

    /// <summary>Whether this identifier belonged to a member who was erased.</summary>
    public static Task<bool> WasErasedAsync(DbConnection connection, DbTransaction? transaction, MemberCode code) =>
        connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM erased_identifiers WHERE kind = @kind AND value_hash = @hash)",
            new { kind = code.StoredKind, hash = Hash(code.StoredKind, code.Value) }, transaction);

    private static string Hash(string kind, string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{kind}:{value}")));
}

using System.Data.Common;
using Dapper;
using Omo.Clienteling.Data;

namespace Omo.Clienteling.Staff;

public static class AuditActions
{
    public const string ProfileViewed = "profile_viewed";
    public const string NoteAdded = "note_added";
    public const string MemberErased = "member_erased";
    public const string SignedIn = "signed_in";
    public const string SignInFailed = "sign_in_failed";
    public const string StaffChanged = "staff_changed";
    public const string DemoReset = "demo_reset";

    public static readonly string[] All = [ProfileViewed, NoteAdded, MemberErased, SignedIn, SignInFailed, StaffChanged, DemoReset];
}

/// <summary>One line of the audit log, with the staff member's name for reading.</summary>
public sealed class AuditEntry
{
    public long AuditId { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public string? StaffCode { get; init; }
    public string? StaffName { get; init; }
    public string? StoreId { get; init; }
    public string Action { get; init; } = "";
    public long? MemberId { get; init; }
    public string? Detail { get; init; }
}

/// <summary>
/// Append-only record of who looked at or changed what. The app only inserts; triggers in the schema refuse
/// deletes and every update except an erasure taking the member out of old rows.
/// </summary>
public sealed class AuditLog(OmoDatabase database, TimeProvider clock)
{
    public async Task RecordAsync(string action, string? staffCode, string? storeId, long? memberId, string? detail)
    {
        await using var connection = await database.OpenAsync();
        await RecordAsync(connection, null, clock.GetUtcNow(), action, staffCode, storeId, memberId, detail);
    }

    /// <summary>Writes inside the caller's transaction, so the audit row and the change it records commit together.</summary>
    public static Task RecordAsync(DbConnection connection, DbTransaction? transaction, DateTimeOffset at,
        string action, string? staffCode, string? storeId, long? memberId, string? detail) =>
        connection.ExecuteAsync("""
            INSERT INTO audit_log (occurred_at, staff_code, store_id, action, member_id, detail)
            VALUES (@at, @staffCode, @storeId, @action, @memberId, @detail)
            """, new { at, staffCode, storeId, action, memberId, detail }, transaction);

    /// <summary>
    /// The newest entries first, older than <paramref name="before"/> when paging; <paramref name="storeId"/> null means
    /// every store (admins only: the caller decides who may ask for that).
    /// </summary>
    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(string? storeId, string? action, long? before, int limit)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<AuditEntry>("""
            SELECT a.audit_id AS AuditId, a.occurred_at AS OccurredAt, a.staff_code AS StaffCode, s.display_name AS StaffName,
                   a.store_id AS StoreId, a.action AS Action, a.member_id AS MemberId, a.detail AS Detail
            FROM audit_log a LEFT JOIN staff s ON s.staff_code = a.staff_code
            WHERE (@storeId IS NULL OR a.store_id = @storeId) AND (@action IS NULL OR a.action = @action)
              AND (@before IS NULL OR a.audit_id < @before)
            ORDER BY a.audit_id DESC LIMIT @limit
            """, new { storeId, action, before, limit })).ToList();
    }
}

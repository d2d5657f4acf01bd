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
}

/// <summary>Append-only record of who looked at or changed what. Nothing in the app updates or deletes these rows.</summary>
public sealed class AuditLog(OmoDatabase database, TimeProvider clock)
{
    public void Record(string action, string? staffCode, string? storeId, long? memberId, string? detail)
    {
        using var connection = database.Open();
        connection.Execute("""
            INSERT INTO audit_log (occurred_at, staff_code, store_id, action, member_id, detail)
            VALUES (@now, @staffCode, @storeId, @action, @memberId, @detail)
            """, new { now = clock.GetUtcNow(), staffCode, storeId, action, memberId, detail });
    }
}

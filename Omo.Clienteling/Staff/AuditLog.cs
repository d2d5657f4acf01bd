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
    public const string SignedOut = "signed_out";
    public const string StaffChanged = "staff_changed";
    public const string DemoReset = "demo_reset";
    public const string HoldPrepared = "hold_prepared";
    public const string FollowUpRequested = "followup_requested";
    public const string WebhookChanged = "webhook_changed";
    public const string IdentityUnlinked = "identity_unlinked";
    public const string MembersMerged = "members_merged";
    public const string MergeHeld = "merge_held";
    public const string MergeRejected = "merge_rejected";
    public const string MemberSplit = "member_split";

    public static readonly string[] All =
        [ProfileViewed, NoteAdded, MemberErased, SignedIn, SignInFailed, SignedOut, StaffChanged, DemoReset, HoldPrepared, FollowUpRequested, WebhookChanged,
         IdentityUnlinked, MembersMerged, MergeHeld, MergeRejected, MemberSplit];
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
    public string? ClientAddress { get; init; }

    /// <summary>For an erased member: the erasure's request reference, in place of who it was.</summary>
    public string? ErasedRef { get; init; }
}

/// <summary>Failed sign-ins counted by staff code or by client address, for the audit page.</summary>
public sealed record SignInAttempts(string Key, int Failures, DateTimeOffset Last);

/// <summary>
/// Append-only record of who looked at or changed what. The app only inserts; triggers in the schema refuse deletes and
/// every update except an erasure replacing the member by the erasure's reference. When the database refuses writes
/// (read-only, disk full), a row is not lost and the assistant's work does not stop: it goes to a local file
/// (<see cref="AuditSpill"/>) and into the database as soon as it accepts writes again.
/// </summary>
public sealed class AuditLog(OmoDatabase database, AuditSpill spill, TimeProvider clock)
{
    public async Task RecordAsync(string action, string? staffCode, string? storeId, long? memberId, string? detail, string? clientAddress = null)
    {
        var row = new AuditRow(clock.GetUtcNow(), action, staffCode, storeId, memberId, detail, clientAddress);
        try
        {
            await using var connection = await database.OpenAsync();
            await RecordAsync(connection, null, row);
        }
        catch (Exception e) when (database.Dialect.IsUnavailable(e))
        {
            await spill.AppendAsync(row);
        }
    }

    /// <summary>Writes inside the caller's transaction, so the audit row and the change it records commit together.</summary>
    public static Task RecordAsync(DbConnection connection, DbTransaction? transaction, DateTimeOffset at,
        string action, string? staffCode, string? storeId, long? memberId, string? detail) =>
        RecordAsync(connection, transaction, new AuditRow(at, action, staffCode, storeId, memberId, detail, null));

    internal static Task RecordAsync(DbConnection connection, DbTransaction? transaction, AuditRow row) =>
        connection.ExecuteAsync("""
            INSERT INTO audit_log (occurred_at, staff_code, store_id, action, member_id, detail, client_address)
            VALUES (@At, @StaffCode, @StoreId, @Action, @MemberId, @Detail, @ClientAddress)
            """, row, transaction);

    /// <summary>
    /// The newest entries first, older than <paramref name="before"/> when paging; <paramref name="storeId"/> null means
    /// every store (admins only: the caller decides who may ask for that).
    /// </summary>
    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(string? storeId, string? action, long? before, int limit)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<AuditEntry>("""
            SELECT a.audit_id AS AuditId, a.occurred_at AS OccurredAt, a.staff_code AS StaffCode, s.display_name AS StaffName,
                   a.store_id AS StoreId, a.action AS Action, a.member_id AS MemberId, a.detail AS Detail,
                   a.client_address AS ClientAddress, a.erased_ref AS ErasedRef
            FROM audit_log a LEFT JOIN staff s ON s.staff_code = a.staff_code
            WHERE (@storeId IS NULL OR a.store_id = @storeId) AND (@action IS NULL OR a.action = @action)
              AND (@before IS NULL OR a.audit_id < @before)
            ORDER BY a.audit_id DESC LIMIT @limit
            """, new { storeId, action, before, limit })).ToList();
    }

    /// <summary>
    /// Failed sign-ins since <paramref name="since"/>, counted per staff code and per client address, most first
    /// (codes of unknown staff have no store: only admins, who ask for every store, see those).
    /// </summary>
    public async Task<(IReadOnlyList<SignInAttempts> ByCode, IReadOnlyList<SignInAttempts> ByAddress)> FailedSignInsAsync(string? storeId, DateTimeOffset since)
    {
        await using var connection = await database.OpenAsync();
        const string Where = "WHERE action = 'sign_in_failed' AND occurred_at >= @since AND (@storeId IS NULL OR store_id = @storeId)";
        var byCode = await connection.QueryAsync<(string Key, int Failures, long Last)>($"""
            SELECT COALESCE(staff_code, '-'), COUNT(*), MAX(occurred_at) FROM audit_log {Where}
            GROUP BY COALESCE(staff_code, '-') ORDER BY COUNT(*) DESC LIMIT 20
            """, new { since, storeId });
        var byAddress = await connection.QueryAsync<(string Key, int Failures, long Last)>($"""
            SELECT COALESCE(client_address, '-'), COUNT(*), MAX(occurred_at) FROM audit_log {Where}
            GROUP BY COALESCE(client_address, '-') ORDER BY COUNT(*) DESC LIMIT 20
            """, new { since, storeId });
        return ([.. byCode.Select(Attempts)], [.. byAddress.Select(Attempts)]);

        static SignInAttempts Attempts((string Key, int Failures, long Last) r) => new(r.Key, r.Failures, DateTimeOffset.FromUnixTimeMilliseconds(r.Last));
    }
}

/// <summary>One audit row as written (and as kept in the spill file).</summary>
public sealed record AuditRow(DateTimeOffset At, string Action, string? StaffCode, string? StoreId, long? MemberId, string? Detail, string? ClientAddress);

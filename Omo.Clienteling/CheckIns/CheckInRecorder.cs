using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using Omo.Clienteling.Data;
using Omo.Clienteling.Holds;
using Omo.Clienteling.Scanning;
using Omo.Clienteling.Webhooks;

namespace Omo.Clienteling.CheckIns;

public sealed class CheckInOptions
{
    public const string Section = "CheckIns";

    /// <summary>Check-ins of one member in one store this close together are one visit: one alert, not a flood.</summary>
    public TimeSpan VisitWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Where this server reaches its own hub for the in-process feed, e.g. <c>http://127.0.0.1:8080</c>. Unset: the
    /// address Kestrel listens on. Behind a proxy or TLS offload, point it at the server itself, not the public name.
    /// </summary>
    public string? InternalUrl { get; set; }
}

/// <summary>A check-in that started a new visit, and so deserves an alert.</summary>
public sealed record RecordedCheckIn(long CheckInId, long MemberId, string StoreId, CheckInSource Source, DateTimeOffset OccurredAt);

/// <summary>
/// The one place check-ins are written, whatever their source: the events API (app, beacon), the assistant's
/// "checked in" button and the trainer's simulator all come through here.
/// </summary>
public sealed class CheckInRecorder(SqlDialect dialect, IOptions<CheckInOptions> options, TimeProvider clock)
{
    /// <summary>Raised after the check-ins that started a visit are committed; the live alerts listen here.</summary>
    public event Action<IReadOnlyList<RecordedCheckIn>>? Recorded;

    /// <summary>Records a check-in inside the caller's transaction. Returns it if it starts a visit, or null if it extends one.</summary>
    public async Task<RecordedCheckIn?> RecordAsync(DbConnection connection, DbTransaction transaction, long memberId, string storeId, CheckInSource source, DateTimeOffset at)
    {
        // The visit still open, if any, read while holding the member's row: two servers recording the same arrival at
        // once make one visit, not two (SQLite has one writer at a time and no row locks to take).
        var (visit, marketing) = await connection.QueryFirstOrDefaultAsync<(long?, bool)>($"""
            SELECT (SELECT c.check_in_id FROM check_ins c
                    WHERE c.member_id = @memberId AND c.store_id = @storeId AND c.occurred_at <= @at AND c.last_seen_at >= @since
                    ORDER BY c.occurred_at DESC LIMIT 1), consent_marketing
            FROM members WHERE member_id = @memberId{dialect.ForUpdate}
            """, new { memberId, storeId, at, since = at - options.Value.VisitWindow }, transaction);
        // However they arrived, an appointment they booked here today is kept.
        await HoldLedger.MarkVisitedAsync(connection, transaction, memberId, storeId, at);
        if (visit is { } openVisit)
        {
            await connection.ExecuteAsync($"UPDATE check_ins SET last_seen_at = {dialect.Greatest("last_seen_at", "@at")} WHERE check_in_id = @openVisit",
                new { at, openVisit }, transaction);
            return null;
        }
        var id = await connection.ExecuteScalarAsync<long>("""
            INSERT INTO check_ins (member_id, store_id, source, occurred_at, last_seen_at) VALUES (@memberId, @storeId, @source, @at, @at)
            RETURNING check_in_id
            """, new { memberId, storeId, source, at }, transaction);
        // The app's push service may greet them: only members who accept marketing (docs/webhooks.md).
        if (marketing)
            await WebhookOutbox.EnqueueAsync(connection, transaction, WebhookTopics.MemberCheckedIn, storeId, memberId,
                new { checkInId = id, storeId, memberNo = MemberNumber.Format(memberId), occurredAt = at, source }, clock.GetUtcNow());
        return new RecordedCheckIn(id, memberId, storeId, source, at);
    }

    /// <summary>Call after the transaction that recorded them has committed, never before: an alert must not outrun its row.</summary>
    public void Announce(IReadOnlyList<RecordedCheckIn> checkIns)
    {
        if (checkIns.Count > 0) Recorded?.Invoke(checkIns);
    }
}

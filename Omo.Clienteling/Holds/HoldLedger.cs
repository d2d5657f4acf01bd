using System.Data.Common;
using Dapper;
using Omo.Clienteling.Catalog;
using Omo.Clienteling.Data;
using Omo.Clienteling.Ingestion;

namespace Omo.Clienteling.Holds;

/// <summary>
/// How holds and appointments change, inside the transaction of the event or visit that changes them
/// (docs/events-api.md, "Holds and appointments"). Like every event handler, each checks before its first write.
/// </summary>
public static class HoldLedger
{
    public static async Task RequestAsync(SqlDialect dialect, DbConnection c, DbTransaction t, long memberId, string storeId, DateTimeOffset at,
        DateTimeOffset expiresAt, HoldRequested hold)
    {
        if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM holds WHERE hold_id = @HoldId", hold, t) > 0)
            throw new EventRefused("Hold already exists", $"Hold '{hold.HoldId}' was requested before (with another eventId).");
        // What this shop can still give: on hand, less what open holds already keep. A line it cannot fill is still
        // accepted, as one another shop sends over ("to transfer").
        var skus = hold.Lines.Select(l => l.Sku).ToList();
        var available = (await c.QueryAsync<(string Sku, int Available)>($"""
            SELECT s.sku, {HeldStock.Available(dialect, "s")}
            FROM stock s WHERE s.store_id = @storeId AND s.sku {dialect.InArray("@skus")}
            """, new { storeId, skus = dialect.Array(skus), now = at }, t)).ToDictionary(r => r.Sku, r => r.Available);
        await c.ExecuteAsync("""
            INSERT INTO holds (hold_id, member_id, store_id, purpose, status, requested_at, hold_until, expires_at)
            VALUES (@HoldId, @memberId, @storeId, @Purpose, 'requested', @at, @HoldUntil, @expiresAt)
            """, new { hold.HoldId, memberId, storeId, hold.Purpose, at, hold.HoldUntil, expiresAt }, t);
        await c.ExecuteAsync("""
            INSERT INTO hold_lines (hold_id, line_no, sku, store_id, quantity, to_transfer) VALUES (@HoldId, @lineNo, @Sku, @storeId, @Quantity, @toTransfer)
            """, hold.Lines.Select((l, i) => new
        {
            hold.HoldId, lineNo = i + 1, l.Sku, storeId, l.Quantity, toTransfer = available.GetValueOrDefault(l.Sku) < l.Quantity,
        }), t);
    }

    public static async Task CancelAsync(DbConnection c, DbTransaction t, long memberId, DateTimeOffset at, string holdId)
    {
        var status = await StatusAsync<HoldStatus>(c, t, "holds", "hold_id", holdId, memberId, "Hold");
        if (status == HoldStatus.Cancelled) return;
        if (!status.IsOpen) throw new EventRefused("Hold already closed", $"Hold '{holdId}' is {status} and cannot be cancelled.");
        await c.ExecuteAsync("UPDATE holds SET status = 'cancelled', closed_at = @at WHERE hold_id = @holdId", new { holdId, at }, t);
    }

    /// <summary>A sale to the member in the shop that holds one of the SKUs completes that hold: they came and bought.</summary>
    public static Task CompleteBySaleAsync(SqlDialect dialect, DbConnection c, DbTransaction t, long memberId, string storeId, DateTimeOffset at,
        string receiptId, IEnumerable<string> skus) =>
        c.ExecuteAsync($"""
            UPDATE holds SET status = '{HoldStatus.Completed.Wire}', closed_at = @at, receipt_id = @receiptId
            WHERE member_id = @memberId AND store_id = @storeId AND status IN ('{HoldStatus.Requested.Wire}', '{HoldStatus.Prepared.Wire}')
              AND requested_at <= @at AND expires_at > @at
              AND hold_id IN (SELECT hold_id FROM hold_lines WHERE store_id = @storeId AND sku {dialect.InArray("@skus")})
            """, new { memberId, storeId, at, receiptId, skus = dialect.Array(skus.Distinct().ToList()) }, t);

    public static async Task BookAsync(DbConnection c, DbTransaction t, long memberId, string storeId, DateTimeOffset at, AppointmentBooked booking)
    {
        if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM appointments WHERE appointment_id = @AppointmentId", booking, t) > 0)
            throw new EventRefused("Appointment already exists", $"Appointment '{booking.AppointmentId}' was booked before (with another eventId).");
        await c.ExecuteAsync("""
            INSERT INTO appointments (appointment_id, member_id, store_id, starts_at, minutes, purpose, note, status, booked_at)
            VALUES (@AppointmentId, @memberId, @storeId, @StartsAt, @Minutes, @Purpose, @Note, 'booked', @at)
            """, new { booking.AppointmentId, memberId, storeId, booking.StartsAt, booking.Minutes, booking.Purpose, booking.Note, at }, t);
    }

    public static async Task CancelAppointmentAsync(DbConnection c, DbTransaction t, long memberId, DateTimeOffset at, string appointmentId)
    {
        var status = await StatusAsync<AppointmentStatus>(c, t, "appointments", "appointment_id", appointmentId, memberId, "Appointment");
        if (status == AppointmentStatus.Cancelled) return;
        if (status != AppointmentStatus.Booked) throw new EventRefused("Appointment already closed", $"Appointment '{appointmentId}' is {status} and cannot be cancelled.");
        await c.ExecuteAsync("UPDATE appointments SET status = 'cancelled', closed_at = @at WHERE appointment_id = @appointmentId", new { appointmentId, at }, t);
    }

    /// <summary>The member arrived: their appointment in this shop that day is kept.</summary>
    public static Task MarkVisitedAsync(DbConnection c, DbTransaction t, long memberId, string storeId, DateTimeOffset at)
    {
        var day = ShopTime.DayOf(at);
        return c.ExecuteAsync($"""
            UPDATE appointments SET status = '{AppointmentStatus.Visited.Wire}', closed_at = @at
            WHERE member_id = @memberId AND store_id = @storeId AND status = '{AppointmentStatus.Booked.Wire}' AND starts_at >= @from AND starts_at < @to
            """, new { memberId, storeId, at, from = ShopTime.StartOf(day), to = ShopTime.StartOf(day.AddDays(1)) }, t);
    }

    private static async Task<T> StatusAsync<T>(DbConnection c, DbTransaction t, string table, string key, string id, long memberId, string what)
        where T : struct, IShopWord<T>
    {
        var row = await c.QuerySingleOrDefaultAsync<(long MemberId, string Status)?>($"SELECT member_id, status FROM {table} WHERE {key} = @id", new { id }, t);
        if (row is not { } r) throw new EventRefused($"Unknown {what.ToLowerInvariant()}", $"{what} '{id}' does not exist.");
        if (r.MemberId != memberId) throw new EventRefused($"{what} of another member", $"{what} '{id}' does not belong to this identity's member.");
        return ShopWord.Parse<T>(r.Status);
    }
}

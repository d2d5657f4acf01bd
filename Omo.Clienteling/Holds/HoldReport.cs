using Dapper;
using Omo.Clienteling.Data;

namespace Omo.Clienteling.Holds;

/// <summary>
/// How holds and appointments turned out in one shop over a period. A hold counts once it has ended (bought, or kept
/// until closing time in vain); a cancelled one is left out, as the customer called it off. A visit is a check-in of
/// the member in that shop while the hold was open.
/// </summary>
public sealed record HoldFigures(int Holds, int Ended, int Visited, int Purchased, int Cancelled, int Appointments, int Shows, int NoShows)
{
    public double VisitRate => Ended == 0 ? 0 : (double)Visited / Ended;
    public double PurchaseRate => Ended == 0 ? 0 : (double)Purchased / Ended;
    public double ShowRate => Shows + NoShows == 0 ? 0 : (double)Shows / (Shows + NoShows);
}

/// <summary>The manager's hold and appointment figures beside the talking-points report.</summary>
public sealed class HoldReport(OmoDatabase database)
{
    public async Task<HoldFigures> ForAsync(string storeId, DateOnly from, DateOnly to)
    {
        await using var connection = await database.OpenAsync();
        var range = new { storeId, start = ShopTime.StartOf(from), end = ShopTime.StartOf(to.AddDays(1)) };
        await using var grid = await connection.QueryMultipleAsync($"""
            SELECT COUNT(*) AS holds,
                   COALESCE(SUM(CASE WHEN h.status IN ('{HoldStatus.Completed.Wire}', '{HoldStatus.Expired.Wire}') THEN 1 ELSE 0 END), 0) AS ended,
                   COALESCE(SUM(CASE WHEN h.status IN ('{HoldStatus.Completed.Wire}', '{HoldStatus.Expired.Wire}') AND EXISTS (
                       SELECT 1 FROM check_ins c WHERE c.member_id = h.member_id AND c.store_id = h.store_id
                         AND c.last_seen_at >= h.requested_at AND c.occurred_at <= h.closed_at) THEN 1 ELSE 0 END), 0) AS visited,
                   COALESCE(SUM(CASE WHEN h.status = '{HoldStatus.Completed.Wire}' THEN 1 ELSE 0 END), 0) AS purchased,
                   COALESCE(SUM(CASE WHEN h.status = '{HoldStatus.Cancelled.Wire}' THEN 1 ELSE 0 END), 0) AS cancelled
            FROM holds h WHERE h.store_id = @storeId AND h.requested_at >= @start AND h.requested_at < @end;
            SELECT COUNT(*) AS appointments,
                   COALESCE(SUM(CASE WHEN status = '{AppointmentStatus.Visited.Wire}' THEN 1 ELSE 0 END), 0) AS shows,
                   COALESCE(SUM(CASE WHEN status = '{AppointmentStatus.NoShow.Wire}' THEN 1 ELSE 0 END), 0) AS no_shows
            FROM appointments WHERE store_id = @storeId AND starts_at >= @start AND starts_at < @end AND status <> '{AppointmentStatus.Cancelled.Wire}';
            """, range);
        var holds = await grid.ReadSingleAsync<(long Holds, long Ended, long Visited, long Purchased, long Cancelled)>();
        var appointments = await grid.ReadSingleAsync<(long Appointments, long Shows, long NoShows)>();
        return new HoldFigures((int)holds.Holds, (int)holds.Ended, (int)holds.Visited, (int)holds.Purchased, (int)holds.Cancelled,
            (int)appointments.Appointments, (int)appointments.Shows, (int)appointments.NoShows);
    }
}

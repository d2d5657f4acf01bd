using Dapper;
using Microsoft.Extensions.Options;
using Omo.Clienteling.Data;

namespace Omo.Clienteling.Holds;

/// <summary>
/// Closes what time has ended: holds past closing time on their last day expire (their stock is already back on sale,
/// see <see cref="HeldStock"/>), and a booked appointment whose shop day has closed without the member checking in is a
/// no-show. Each server sweeps; the statements only change rows still open, so two servers sweeping at once agree.
/// </summary>
public sealed class HoldKeeper(OmoDatabase database, IOptions<HoldOptions> options, TimeProvider clock, ILogger<HoldKeeper> logger)
    : PeriodicSweep(clock, logger)
{
    protected override TimeSpan Every => options.Value.SweepEvery;

    protected override string Failure => "Closing expired holds and missed appointments failed";

    protected override Task SweepOnceAsync(CancellationToken cancellationToken) => SweepAsync(cancellationToken);

    /// <summary>Expires holds and records no-shows up to now. Returns how many of each changed.</summary>
    public async Task<(int Expired, int NoShows)> SweepAsync(CancellationToken cancellationToken = default)
    {
        var now = Clock.GetUtcNow();
        return await database.InTransactionAsync(async (c, t) =>
        {
            var expired = await c.ExecuteAsync(new CommandDefinition($"""
                UPDATE holds SET status = '{HoldStatus.Expired.Wire}', closed_at = expires_at
                WHERE status IN ('{HoldStatus.Requested.Wire}', '{HoldStatus.Prepared.Wire}') AND expires_at <= @now
                """, new { now }, t, cancellationToken: cancellationToken));
            // Appointments that started before now and are still booked: each is decided once its shop has closed that
            // day. A check-in that day kept it (one can begin before the booking is made at the counter); none is a no-show.
            var waiting = await c.QueryAsync<(string AppointmentId, long MemberId, string StoreId, DateTimeOffset StartsAt)>(new CommandDefinition($"""
                SELECT appointment_id, member_id, store_id, starts_at FROM appointments WHERE status = '{AppointmentStatus.Booked.Wire}' AND starts_at <= @now
                """, new { now }, t, cancellationToken: cancellationToken));
            var closed = waiting.Select(a => (a.AppointmentId, a.MemberId, a.StoreId, From: ShopTime.StartOf(ShopTime.DayOf(a.StartsAt)),
                    Closed: options.Value.ClosesAt(a.StoreId, ShopTime.DayOf(a.StartsAt))))
                .Where(a => a.Closed <= now).ToList();
            if (closed.Count == 0) return (expired, 0);
            await c.ExecuteAsync(new CommandDefinition($"""
                UPDATE appointments SET status = '{AppointmentStatus.Visited.Wire}', closed_at = @Closed
                WHERE appointment_id = @AppointmentId AND status = '{AppointmentStatus.Booked.Wire}'
                  AND EXISTS (SELECT 1 FROM check_ins ci WHERE ci.member_id = @MemberId AND ci.store_id = @StoreId
                              AND ci.last_seen_at >= @From AND ci.occurred_at < @Closed)
                """, closed.Select(a => new { a.AppointmentId, a.MemberId, a.StoreId, a.From, a.Closed }), t, cancellationToken: cancellationToken));
            var noShows = await c.ExecuteAsync(new CommandDefinition($"""
                UPDATE appointments SET status = '{AppointmentStatus.NoShow.Wire}', closed_at = @Closed
                WHERE appointment_id = @AppointmentId AND status = '{AppointmentStatus.Booked.Wire}'
                """, closed.Select(a => new { a.AppointmentId, a.Closed }), t, cancellationToken: cancellationToken));
            return (expired, noShows);
        }, cancellationToken);
    }
}

using Dapper;
using Omo.Clienteling.Catalog;
using Omo.Clienteling.Data;
using Omo.Clienteling.Members;
using Omo.Clienteling.Staff;
using Omo.Clienteling.Webhooks;

namespace Omo.Clienteling.Holds;

/// <summary>
/// One customer the shop expects: their appointment that day (if any) and their holds, due at the appointment's time,
/// else by closing time on the hold's last day.
/// </summary>
public sealed record DueCustomer(long MemberId, string DisplayName, Tier Tier, DateTimeOffset DueAt, Appointment? Appointment, IReadOnlyList<Hold> Holds)
{
    public string MemberNo => Scanning.MemberNumber.Format(MemberId);
}

/// <summary>The customers due on one shop day, the next first.</summary>
public sealed record PreparationDay(DateOnly Day, IReadOnlyList<DueCustomer> Customers);

/// <summary>
/// The shop's preparation list (/holds): today's and tomorrow's appointments and every open hold, grouped by the day the
/// customer is due and in the order they are due, so the next customer's items are picked first. One round trip.
/// </summary>
public sealed class PreparationList(OmoDatabase database, WebhookOutbox outbox, TimeProvider clock)
{
    public const int MaxLocationLength = 40;

    public async Task<IReadOnlyList<PreparationDay>> ForStoreAsync(string storeId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var today = ShopTime.DayOf(now);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var grid = await connection.QueryMultipleAsync(new CommandDefinition($"""
            SELECT h.hold_id, h.member_id, h.purpose, h.status, h.requested_at, h.hold_until, h.expires_at, h.prepared_at, h.location,
                   l.quantity AS held, l.to_transfer, COALESCE({StockLedger.OnHand("s.quantity")}, 0) AS on_hand,
                   k.sku, k.style_code, k.size, k.colour, p.name_ja, p.name_en, p.category, p.price, p.image_path, p.image_url
            FROM holds h JOIN hold_lines l ON l.hold_id = h.hold_id
                 JOIN skus k ON k.sku = l.sku JOIN products p ON p.style_code = k.style_code
                 LEFT JOIN stock s ON s.sku = l.sku AND s.store_id = h.store_id
            WHERE h.store_id = @storeId AND {HeldStock.OpenHold}
            ORDER BY h.expires_at, h.hold_id, l.line_no;
            SELECT {AppointmentRow.Columns} FROM appointments
            WHERE store_id = @storeId AND starts_at >= @from AND starts_at < @to
              AND status IN ('{AppointmentStatus.Booked.Wire}', '{AppointmentStatus.Visited.Wire}')
            ORDER BY starts_at;
            SELECT member_id, family_name, given_name, tier FROM members
            WHERE member_id IN (SELECT h.member_id FROM holds h WHERE h.store_id = @storeId AND {HeldStock.OpenHold}
                                UNION SELECT a.member_id FROM appointments a WHERE a.store_id = @storeId AND a.starts_at >= @from AND a.starts_at < @to);
            """, new { storeId, now, from = ShopTime.StartOf(today), to = ShopTime.StartOf(today.AddDays(2)) }, cancellationToken: cancellationToken));
        var lines = (await grid.ReadAsync<LineRow>()).ToList();
        var appointments = (await grid.ReadAsync<AppointmentRow>()).Select(a => (a.MemberId, Appointment: a.ToAppointment())).ToList();
        var members = (await grid.ReadAsync<(long MemberId, string? FamilyName, string? GivenName, Tier Tier)>()).ToDictionary(m => m.MemberId);

        var holds = lines.GroupBy(l => l.HoldId).Select(g =>
        {
            var h = g.First();
            // The pick list's "here" is what is on the shelf, the held pieces included: whether to fetch or to wait for a transfer.
            return (h.MemberId, Hold: new Hold(h.HoldId, storeId, h.Purpose, h.Status, h.RequestedAt, h.HoldUntil, h.ExpiresAt, h.PreparedAt, h.Location,
                g.Select(l => new HeldItem(new ProfileItem(l.ToInfo(), new Availability(l.OnHand, [], null)), l.Held, l.ToTransfer)).ToList()));
        }).ToList();

        // A customer is due at their appointment, else when their earliest hold ends; their holds travel with them.
        var bookedBy = appointments.ToLookup(a => a.MemberId, a => a.Appointment);
        var heldFor = holds.ToLookup(h => h.MemberId, h => h.Hold);
        var customers = new List<DueCustomer>();
        foreach (var member in bookedBy.Select(g => g.Key).Concat(heldFor.Select(g => g.Key)).Distinct())
        {
            var booked = bookedBy[member].ToList();
            var theirHolds = heldFor[member].ToList();
            var (name, tier) = members.TryGetValue(member, out var m) ? ($"{m.FamilyName} {m.GivenName}".Trim(), m.Tier) : ("", Tier.Regular);
            if (booked.Count == 0)
            {
                customers.Add(new DueCustomer(member, name, tier, theirHolds.Min(h => h.ExpiresAt), null, theirHolds));
                continue;
            }
            // Holds go with their first appointment; a second appointment (tomorrow as well) is a card of its own.
            for (var i = 0; i < booked.Count; i++)
                customers.Add(new DueCustomer(member, name, tier, booked[i].StartsAt, booked[i], i == 0 ? theirHolds : []));
        }
        return customers.GroupBy(c => Day(c.DueAt, today))
            .OrderBy(g => g.Key)
            .Select(g => new PreparationDay(g.Key, g.OrderBy(c => c.DueAt).ThenBy(c => c.MemberId).ToList()))
            .ToList();
    }

    /// <summary>Customers due later than tomorrow are listed with tomorrow's: their items are picked ahead of time.</summary>
    private static DateOnly Day(DateTimeOffset dueAt, DateOnly today)
    {
        var day = ShopTime.DayOf(dueAt);
        return day > today.AddDays(1) ? today.AddDays(1) : day;
    }

    /// <summary>
    /// Staff picked the items (and say where they wait). Returns false when the hold is no longer open here (completed,
    /// cancelled or expired meanwhile). Marking it again only moves it (another fitting room).
    /// </summary>
    public async Task<bool> MarkPreparedAsync(string storeId, string staffCode, string holdId, string? location)
    {
        location = string.IsNullOrWhiteSpace(location) ? null : location.Trim();
        SafeText.Require(location, MaxLocationLength, "location");
        var now = clock.GetUtcNow();
        var (prepared, told) = await database.InTransactionAsync(async (c, t) =>
        {
            var hold = await c.QuerySingleOrDefaultAsync<(long MemberId, HoldStatus Status, bool Marketing)?>($"""
                SELECT h.member_id, h.status, m.consent_marketing FROM holds h JOIN members m ON m.member_id = h.member_id
                WHERE h.hold_id = @holdId AND h.store_id = @storeId AND {HeldStock.OpenHold}{database.Dialect.ForUpdate}
                """, new { holdId, storeId, now }, t);
            if (hold is not { } h) return (false, false);
            await c.ExecuteAsync($"""
                UPDATE holds SET status = '{HoldStatus.Prepared.Wire}', prepared_at = COALESCE(prepared_at, @now), prepared_by = @staffCode, location = @location
                WHERE hold_id = @holdId
                """, new { holdId, staffCode, location, now }, t);
            await AuditLog.RecordAsync(c, t, now, AuditActions.HoldPrepared, staffCode, storeId, h.MemberId, holdId);
            // The app tells the customer her items are ready: once, when first prepared, and only with marketing consent.
            var told = h.Status == HoldStatus.Requested && h.Marketing && await WebhookOutbox.EnqueueAsync(c, t, WebhookTopics.HoldPrepared, storeId, h.MemberId,
                new { holdId, memberNo = Scanning.MemberNumber.Format(h.MemberId), storeId, preparedAt = now }, now) is not null;
            return (true, told);
        });
        if (told) outbox.Committed();
        return prepared;
    }

    private sealed class LineRow : ProductRow
    {
        public string HoldId { get; init; } = "";
        public long MemberId { get; init; }
        public HoldPurpose Purpose { get; init; }
        public HoldStatus Status { get; init; }
        public DateTimeOffset RequestedAt { get; init; }
        public DateOnly HoldUntil { get; init; }
        public DateTimeOffset ExpiresAt { get; init; }
        public DateTimeOffset? PreparedAt { get; init; }
        public string? Location { get; init; }
        public int Held { get; init; }
        public bool ToTransfer { get; init; }
        public int OnHand { get; init; }
    }
}

using Dapper;
using Omo.Clienteling.Data;
using Omo.Clienteling.Members;
using Omo.Clienteling.Staff;
using Omo.Clienteling.TalkingPoints;

namespace Omo.Clienteling.CheckIns;

/// <summary>Check-ins as alerts: the new one to announce, the ones a reconnecting client missed, today's for the board.</summary>
public sealed class CheckInAlerts(OmoDatabase database, ProfileService profiles, TalkingPointService talkingPoints, TimeProvider clock)
{
    /// <summary>At most this many alerts in one catch-up or board load: a day's arrivals at a busy shop.</summary>
    public const int MaxRecent = 300;

    /// <summary>The alert of a visit that has just started: nobody has claimed it yet, so the check-in is not read again.</summary>
    public Task<CheckInAlert?> ForAsync(RecordedCheckIn checkIn) => BuildAsync(new Row
    {
        CheckInId = checkIn.CheckInId, MemberId = checkIn.MemberId, StoreId = checkIn.StoreId, Source = checkIn.Source.Wire, OccurredAt = checkIn.OccurredAt,
    }, clock.GetUtcNow());

    /// <summary>
    /// Check-ins in <paramref name="stores"/> (or every store for <see cref="CheckInAudience.AllStores"/>) from a moment on,
    /// newest first, with who claimed them.
    /// </summary>
    public async Task<IReadOnlyList<CheckInAlert>> RecentAsync(IReadOnlyCollection<string> stores, DateTimeOffset since, long? checkInId = null)
    {
        List<Row> rows;
        await using (var connection = await database.OpenAsync())
            rows = (await connection.QueryAsync<Row>($"""
                SELECT c.check_in_id AS CheckInId, c.member_id AS MemberId, c.store_id AS StoreId, c.source AS Source, c.occurred_at AS OccurredAt,
                       c.claimed_by AS ClaimedByCode, s.display_name AS ClaimedByName, c.claimed_at AS ClaimedAt
                FROM check_ins c LEFT JOIN staff s ON s.staff_code = c.claimed_by
                WHERE c.occurred_at >= @since AND (@all OR c.store_id {database.Dialect.InArray("@stores")})
                  AND (@checkInId IS NULL OR c.check_in_id = @checkInId)
                ORDER BY c.occurred_at DESC, c.check_in_id DESC LIMIT @MaxRecent
                """, new
            {
                since, checkInId, MaxRecent, all = stores.Contains(CheckInAudience.AllStores), stores = database.Dialect.Array(stores),
            })).ToList();
        var now = clock.GetUtcNow();
        var alerts = new List<CheckInAlert>(rows.Count);
        foreach (var row in rows)
            if (await BuildAsync(row, now) is { } alert) alerts.Add(alert);
        return alerts;
    }

    /// <summary>Today's check-ins at a store (shop day, UTC+9), newest first: what the board opens with.</summary>
    public Task<IReadOnlyList<CheckInAlert>> TodayAsync(string storeId) => RecentAsync([storeId], ShopTime.StartOf(clock.Today()));

    private async Task<CheckInAlert?> BuildAsync(Row row, DateTimeOffset now)
    {
        // The same profile and talking points the assistant will open, so the highlights agree with what they will see.
        var profile = await profiles.AssembleAsync(row.MemberId, row.StoreId);
        if (profile is null) return null; // erased since
        var highlights = TalkingPointEngine.Highlights(await talkingPoints.ForAsync(profile));
        return new CheckInAlert(row.CheckInId, row.StoreId, profile.Member.MemberNo, profile.Member.DisplayName, profile.Member.Tier.Wire, row.OccurredAt,
            row.Source, highlights.Select(CheckInHighlights.InEnglish).ToList(), highlights,
            row.ClaimedByCode is null ? null : row.ClaimedByName ?? row.ClaimedByCode, row.ClaimedAt);
    }

    private sealed class Row
    {
        public long CheckInId { get; init; }
        public long MemberId { get; init; }
        public string StoreId { get; init; } = "";
        public string Source { get; init; } = "";
        public DateTimeOffset OccurredAt { get; init; }
        public string? ClaimedByCode { get; init; }
        public string? ClaimedByName { get; init; }
        public DateTimeOffset? ClaimedAt { get; init; }
    }
}

/// <summary>"I'll go": the first assistant to claim a check-in has it; everyone in the store hears who.</summary>
public sealed class CheckInClaims(OmoDatabase database, CheckInBroadcaster broadcaster, TimeProvider clock)
{
    public enum Outcome { Claimed, AlreadyClaimed, NotFound, OtherStore }

    public async Task<(Outcome Outcome, ClaimNotice? Claim)> ClaimAsync(long checkInId, StaffMember staff)
    {
        var now = clock.GetUtcNow();
        var (outcome, notice) = await database.InTransactionAsync<(Outcome, ClaimNotice?)>(async (c, t) =>
        {
            var storeId = await c.ExecuteScalarAsync<string?>("SELECT store_id FROM check_ins WHERE check_in_id = @checkInId", new { checkInId }, t);
            if (storeId is null) return (Outcome.NotFound, null);
            if (!staff.MayWorkIn(storeId)) return (Outcome.OtherStore, null);
            // The first claim wins, on whichever server it is made: the update takes only an unclaimed check-in.
            var claimed = await c.ExecuteAsync("UPDATE check_ins SET claimed_by = @Code, claimed_at = @now WHERE check_in_id = @checkInId AND claimed_by IS NULL",
                new { staff.Code, now, checkInId }, t);
            if (claimed == 1) return (Outcome.Claimed, new ClaimNotice(checkInId, storeId, staff.Code, staff.Name, now));
            var earlier = await c.QuerySingleAsync<(string By, string? Name, long At)>("""
                SELECT c.claimed_by, s.display_name, c.claimed_at FROM check_ins c LEFT JOIN staff s ON s.staff_code = c.claimed_by
                WHERE c.check_in_id = @checkInId
                """, new { checkInId }, t);
            return (Outcome.AlreadyClaimed, new ClaimNotice(checkInId, storeId, earlier.By, earlier.Name ?? earlier.By, DateTimeOffset.FromUnixTimeMilliseconds(earlier.At)));
        });
        if (outcome == Outcome.Claimed) await broadcaster.ClaimedAsync(notice!);
        return (outcome, notice);
    }
}

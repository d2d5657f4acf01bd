using Dapper;
using Microsoft.Extensions.Options;
using Omo.Clienteling.Data;
using Omo.Clienteling.Scanning;
using Omo.Clienteling.Webhooks;

namespace Omo.Clienteling.TalkingPoints;

public static class FeedbackActions
{
    public const string Shown = "shown";
    public const string Used = "used";
    public const string Dismissed = "dismissed";
}

/// <summary>One row of the manager report: how a rule fared in a store over a period.</summary>
public sealed record RuleReport(string RuleId, int Shown, int Used, int Dismissed, int AttributedReceipts, long AttributedSales)
{
    /// <summary>Online orders credited to this store and rule (within Attribution:Days of a used point or a follow-up).</summary>
    public int OnlineOrders { get; init; }
    public long OnlineSales { get; init; }

    public double UseRate => Shown == 0 ? 0 : (double)Used / Shown;
}

/// <summary>Online orders credited to one staff member of the store.</summary>
public sealed record StaffCredit(string StaffCode, int Orders, long Sales);

/// <summary>
/// What assistants did with the talking points (shown, used, not relevant) and what followed: the numbers that tell
/// a manager which rules earn their place on the screen.
/// </summary>
public sealed class TalkingPointFeedback(OmoDatabase database, WebhookOutbox outbox, IOptions<AttributionOptions> attribution, TimeProvider clock,
    ILogger<TalkingPointFeedback> logger)
{
    public Task<bool> RecordAsync(long memberId, string storeId, string? staffCode, string ruleId, string action) =>
        RecordAsync(memberId, storeId, staffCode, [ruleId], action);

    /// <summary>
    /// A point the assistant used: recorded for the report and, for a member who accepts marketing, told to the
    /// retailer's systems as <c>talking_point.used</c> in the same transaction (docs/webhooks.md).
    /// </summary>
    public Task<bool> RecordUsedAsync(long memberId, string storeId, string? staffCode, string ruleId, IReadOnlyList<string> skus, bool marketingConsent) =>
        WriteAsync(memberId, storeId, staffCode, [ruleId], FeedbackActions.Used, async (c, t, now) =>
            marketingConsent && await WebhookOutbox.EnqueueAsync(c, t, WebhookTopics.TalkingPointUsed, storeId, memberId,
                new { memberNo = MemberNumber.Format(memberId), storeId, rule = ruleId, skus, staffCode }, now) is not null);

    /// <summary>One action for several rules in one write (the points shown on one profile view).</summary>
    public Task<bool> RecordAsync(long memberId, string storeId, string? staffCode, IEnumerable<string> ruleIds, string action) =>
        WriteAsync(memberId, storeId, staffCode, ruleIds, action, told: null);

    /// <summary>
    /// Feedback is for the manager's report, never in the assistant's way: when the database takes no writes it is
    /// dropped with a warning and the answer is false. <paramref name="told"/> writes in the same transaction what the
    /// retailer's systems hear of it, and says whether it wrote anything.
    /// </summary>
    private async Task<bool> WriteAsync(long memberId, string storeId, string? staffCode, IEnumerable<string> ruleIds, string action,
        Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, DateTimeOffset, Task<bool>>? told)
    {
        var now = clock.GetUtcNow();
        try
        {
            var wroteMessage = await database.InTransactionAsync(async (c, t) =>
            {
                await c.ExecuteAsync("""
                    INSERT INTO talking_point_feedback (member_id, store_id, staff_code, rule_id, action, occurred_at)
                    VALUES (@memberId, @storeId, @staffCode, @ruleId, @action, @now)
                    """, ruleIds.Select(ruleId => new { memberId, storeId, staffCode, ruleId, action, now }), t);
                return told is not null && await told(c, t, now);
            });
            if (wroteMessage) outbox.Committed();
            return true;
        }
        catch (Exception e) when (database.Dialect.IsUnavailable(e))
        {
            logger.LogWarning(e, "Talking-point feedback ({Action}) not recorded: the database refused the write", action);
            return false;
        }
    }

    /// <summary>
    /// Per rule, for one store and the shop days <paramref name="from"/> to <paramref name="to"/>. Attributed sales are
    /// in-store sales by that member in the same store on the same shop day after a point of that rule was marked used;
    /// a receipt counts once per rule.
    /// </summary>
    public async Task<IReadOnlyList<RuleReport>> ReportAsync(string storeId, DateOnly from, DateOnly to)
    {
        await using var connection = await database.OpenAsync();
        var start = ShopTime.StartOf(from);
        var end = ShopTime.StartOf(to.AddDays(1));
        var dayMs = (long)TimeSpan.FromDays(1).TotalMilliseconds;
        var offsetMs = (long)ShopTime.Offset.TotalMilliseconds;
        var counts = (await connection.QueryAsync<(string RuleId, int Shown, int Used, int Dismissed)>("""
            SELECT rule_id, COUNT(*) FILTER (WHERE action = 'shown'), COUNT(*) FILTER (WHERE action = 'used'), COUNT(*) FILTER (WHERE action = 'dismissed')
            FROM talking_point_feedback
            WHERE store_id = @storeId AND occurred_at >= @start AND occurred_at < @end
            GROUP BY rule_id
            """, new { storeId, start, end })).ToDictionary(r => r.RuleId);
        // The end of the shop day of each "used": the next local midnight, in unix milliseconds.
        var sales = (await connection.QueryAsync<(string RuleId, int Receipts, long Amount)>("""
            SELECT rule_id, COUNT(*), CAST(COALESCE(SUM(total), 0) AS BIGINT) FROM (
                SELECT DISTINCT f.rule_id, r.receipt_id, r.total
                FROM talking_point_feedback f
                JOIN receipts r ON r.member_id = f.member_id AND r.store_id = f.store_id AND r.kind = 'sale'
                               AND r.occurred_at >= f.occurred_at
                               AND r.occurred_at < ((f.occurred_at + @offsetMs) / @dayMs + 1) * @dayMs - @offsetMs
                WHERE f.action = 'used' AND f.store_id = @storeId AND f.occurred_at >= @start AND f.occurred_at < @end) AS attributed
            GROUP BY rule_id
            """, new { storeId, start, end, dayMs, offsetMs })).ToDictionary(r => r.RuleId);
        var online = (await CreditedOnlineAsync(connection, storeId, start, end)).Where(c => c.Touch.RuleId is not null)
            .GroupBy(c => c.Touch.RuleId!).ToDictionary(g => g.Key, g => (Orders: g.Count(), Sales: g.Sum(c => c.Order.Total)));
        return Rules.All.Select(rule =>
        {
            var c = counts.GetValueOrDefault(rule);
            var s = sales.GetValueOrDefault(rule);
            var o = online.GetValueOrDefault(rule);
            return new RuleReport(rule, c.Shown, c.Used, c.Dismissed, s.Receipts, s.Amount) { OnlineOrders = o.Orders, OnlineSales = o.Sales };
        }).ToList();
    }

    /// <summary>Online orders credited to each staff member of the store for touches in the period.</summary>
    public async Task<IReadOnlyList<StaffCredit>> OnlineCreditsByStaffAsync(string storeId, DateOnly from, DateOnly to)
    {
        await using var connection = await database.OpenAsync();
        return (await CreditedOnlineAsync(connection, storeId, ShopTime.StartOf(from), ShopTime.StartOf(to.AddDays(1))))
            .GroupBy(c => c.Touch.StaffCode).Select(g => new StaffCredit(g.Key, g.Count(), g.Sum(c => c.Order.Total)))
            .OrderByDescending(s => s.Sales).ToList();
    }

    private sealed class Touch
    {
        public long MemberId { get; init; }
        public string StoreId { get; init; } = "";
        public string StaffCode { get; init; } = "";
        public string? RuleId { get; init; }
        public DateTimeOffset At { get; init; }
    }

    private sealed class OnlineOrder
    {
        public string OrderId { get; init; } = "";
        public long MemberId { get; init; }
        public DateTimeOffset PlacedAt { get; init; }
        public long Total { get; init; }
    }

    /// <summary>Members this store touched in the period: a point marked used, or a follow-up sent.</summary>
    private const string Touched = """
        SELECT member_id FROM talking_point_feedback WHERE action = 'used' AND store_id = @storeId AND occurred_at >= @start AND occurred_at < @end
        UNION SELECT member_id FROM follow_ups WHERE store_id = @storeId AND created_at >= @start AND created_at < @end
        """;

    /// <summary>
    /// Online orders (web shop and app, not cancelled) placed within Attribution:Days after a touch of this store in the
    /// period. Each order is credited once: to the latest touch before it in any store, and it counts here only when that
    /// touch is this store's, so two shops never both claim one order.
    /// </summary>
    private async Task<IReadOnlyList<(Touch Touch, OnlineOrder Order)>> CreditedOnlineAsync(System.Data.Common.DbConnection connection, string storeId,
        DateTimeOffset start, DateTimeOffset end)
    {
        var window = TimeSpan.FromDays(attribution.Value.Days);
        var range = new { storeId, start, end, before = start - window, after = end + window };
        var touches = (await connection.QueryAsync<Touch>($"""
            SELECT member_id, store_id, COALESCE(staff_code, '') AS staff_code, rule_id, occurred_at AS at FROM talking_point_feedback
            WHERE action = 'used' AND occurred_at >= @before AND occurred_at < @after AND member_id IN ({Touched})
            UNION ALL
            SELECT member_id, store_id, staff_code, rule_id, created_at FROM follow_ups
            WHERE created_at >= @before AND created_at < @after AND member_id IN ({Touched})
            """, range)).ToLookup(t => t.MemberId);
        var orders = await connection.QueryAsync<OnlineOrder>($"""
            SELECT order_id, member_id, placed_at, total FROM orders
            WHERE member_id IN ({Touched}) AND channel IN ('{SalesChannel.Ec.Wire}', '{SalesChannel.App.Wire}') AND status <> '{OrderStatus.Cancelled.Wire}'
              AND placed_at >= @start AND placed_at < @after
            """, range);
        var credited = new List<(Touch, OnlineOrder)>();
        foreach (var order in orders)
        {
            var latest = touches[order.MemberId].Where(t => t.At <= order.PlacedAt && order.PlacedAt - t.At <= window).MaxBy(t => t.At);
            if (latest is not null && latest.StoreId == storeId && latest.At >= start && latest.At < end) credited.Add((latest, order));
        }
        return credited;
    }
}

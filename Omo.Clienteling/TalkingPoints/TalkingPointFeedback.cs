using Dapper;
using Omo.Clienteling.Data;

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
    public double UseRate => Shown == 0 ? 0 : (double)Used / Shown;
}

/// <summary>
/// What assistants did with the talking points (shown, used, not relevant) and what followed: the numbers that tell
/// a manager which rules earn their place on the screen.
/// </summary>
public sealed class TalkingPointFeedback(OmoDatabase database, TimeProvider clock, ILogger<TalkingPointFeedback> logger)
{
    public Task<bool> RecordAsync(long memberId, string storeId, string? staffCode, string ruleId, string action) =>
        RecordAsync(memberId, storeId, staffCode, [ruleId], action);

    /// <summary>
    /// One action for several rules in one write (the points shown on one profile view). Feedback is for the manager's
    /// report, never in the assistant's way: when the database takes no writes it is dropped with a warning and the
    /// answer is false.
    /// </summary>
    public async Task<bool> RecordAsync(long memberId, string storeId, string? staffCode, IEnumerable<string> ruleIds, string action)
    {
        var now = clock.GetUtcNow();
        try
        {
            await database.InTransactionAsync((connection, transaction) => connection.ExecuteAsync("""
                INSERT INTO talking_point_feedback (member_id, store_id, staff_code, rule_id, action, occurred_at)
                VALUES (@memberId, @storeId, @staffCode, @ruleId, @action, @now)
                """, ruleIds.Select(ruleId => new { memberId, storeId, staffCode, ruleId, action, now }), transaction));
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
        return Rules.All.Select(rule =>
        {
            var c = counts.GetValueOrDefault(rule);
            var s = sales.GetValueOrDefault(rule);
            return new RuleReport(rule, c.Shown, c.Used, c.Dismissed, s.Receipts, s.Amount);
        }).ToList();
    }
}

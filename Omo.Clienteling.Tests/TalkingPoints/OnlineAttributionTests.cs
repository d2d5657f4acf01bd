using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Omo.Clienteling.Data;
using Omo.Clienteling.TalkingPoints;
using Omo.Clienteling.Tests.Support;
using static Omo.Clienteling.Tests.Support.Events;

namespace Omo.Clienteling.Tests.TalkingPoints;

/// <summary>
/// Online sales credited to the store: an online order within Attribution:Days of a point used or a follow-up sent
/// there counts for that store, staff member and rule, once, and only for the latest such touch.
/// </summary>
public abstract class OnlineAttributionTests(DatabaseProvider provider) : IAsyncLifetime
{
    private static readonly DateOnly Day0 = TestDatabase.Today;
    private readonly TestClock _clock = new(ShopTime.At(Day0, 11, 0));
    private TestDatabase _db = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _db = await (await TestDatabase.CreateAsync(provider)).WithDemoDataAsync(members: 20);
        _services = await TestServices.CreateAsync(_db, _clock);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _db.DisposeAsync();
    }

    private async Task<(long Id, object Card)> NewMemberAsync()
    {
        var id = NewMemberId();
        Assert.Equal(1, (await IngestAsync(_services, NewMember(id, at: _clock.GetUtcNow().AddDays(-20)))).Accepted);
        return (id, Card(CardOf(id)));
    }

    private async Task OrderAsync(object card, string orderId, long total, DateTimeOffset at)
    {
        _clock.Now = at;
        string sku;
        await using (var c = await _db.OpenAsync()) sku = await c.QueryFirstAsync<string>("SELECT sku FROM skus ORDER BY sku LIMIT 1");
        var result = await IngestAsync(_services, Event("order_placed", card,
            new { orderId, channel = "ec", fulfilment = "delivery", lines = new[] { new { sku, quantity = 1, unitPrice = total } } }, at: at));
        Assert.True(result.Accepted == 1, string.Join("; ", result.Rejected.Select(r => r.Detail)));
    }

    [Fact]
    public async Task An_online_order_within_the_window_is_credited_once_to_the_latest_touch_and_its_store_staff_and_rule()
    {
        var feedback = _services.GetRequiredService<TalkingPointFeedback>();
        var followUps = _services.GetRequiredService<FollowUps>();
        var (tried, triedCard) = await NewMemberAsync();
        var (moved, movedCard) = await NewMemberAsync();

        // Day 0 at Shibuya: A001 uses the try-on point with one customer and sends her a follow-up; M001 uses a cart point
        // with another, who is then served at Shinjuku the next day.
        Assert.True(await feedback.RecordUsedAsync(tried, "S01", "A001", Rules.TriedNotBought, [], marketingConsent: true));
        await followUps.SendAsync(tried, "S01", "A001", new FollowUpDraft(Rules.TriedNotBought, "ja", "x", []), "また是非お越しください。");
        Assert.True(await feedback.RecordUsedAsync(moved, "S01", "M001", Rules.HighIntentCart, [], marketingConsent: true));
        _clock.Now = ShopTime.At(Day0.AddDays(1), 15, 0);
        Assert.True(await feedback.RecordUsedAsync(moved, "S02", "M002", Rules.OnlineViewedInStock, [], marketingConsent: true));

        await OrderAsync(triedCard, "EC-ATTR-1", 19_900, ShopTime.At(Day0.AddDays(3), 21, 0));   // 3 days later: Shibuya's
        await OrderAsync(triedCard, "EC-ATTR-2", 5_900, ShopTime.At(Day0.AddDays(8), 21, 0));    // 8 days later: nobody's
        await OrderAsync(movedCard, "EC-ATTR-3", 12_900, ShopTime.At(Day0.AddDays(2), 20, 0));   // after Shinjuku's touch: Shinjuku's

        var shibuya = await feedback.ReportAsync("S01", Day0, Day0);
        Assert.Equal((1, 19_900L), (shibuya.Single(r => r.RuleId == Rules.TriedNotBought).OnlineOrders, shibuya.Single(r => r.RuleId == Rules.TriedNotBought).OnlineSales));
        Assert.Equal(0, shibuya.Single(r => r.RuleId == Rules.HighIntentCart).OnlineOrders);
        Assert.Equal(1, shibuya.Sum(r => r.OnlineOrders));
        Assert.Equal([new StaffCredit("A001", 1, 19_900)], await feedback.OnlineCreditsByStaffAsync("S01", Day0, Day0));

        var shinjuku = await feedback.ReportAsync("S02", Day0.AddDays(1), Day0.AddDays(1));
        Assert.Equal((1, 12_900L), (shinjuku.Single(r => r.RuleId == Rules.OnlineViewedInStock).OnlineOrders, shinjuku.Single(r => r.RuleId == Rules.OnlineViewedInStock).OnlineSales));
        Assert.Equal([new StaffCredit("M002", 1, 12_900)], await feedback.OnlineCreditsByStaffAsync("S02", Day0, Day0.AddDays(1)));
    }

    public sealed class OnSqlite() : OnlineAttributionTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : OnlineAttributionTests(DatabaseProvider.Postgres);
}

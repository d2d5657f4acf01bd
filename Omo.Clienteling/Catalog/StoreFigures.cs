using Dapper;
using Omo.Clienteling.Data;

namespace Omo.Clienteling.Catalog;

public sealed record StoreDayFigures(string StoreId, long CheckInsToday, long SalesToday, long SalesAmountToday, long PickupsWaiting, long SalesLast7Days, long SkusSoldOut);

/// <summary>Today's figures per shop for the overview page, all in one grouped pass per table.</summary>
public sealed class StoreFigures(OmoDatabase database, TimeProvider clock)
{
    public async Task<IReadOnlyList<StoreDayFigures>> ForAllShopsAsync()
    {
        var today = ShopTime.StartOf(clock.Today());
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<StoreDayFigures>("""
            SELECT s.store_id AS StoreId,
                   (SELECT COUNT(*) FROM check_ins c WHERE c.store_id = s.store_id AND c.occurred_at >= @today) AS CheckInsToday,
                   (SELECT COUNT(*) FROM receipts r WHERE r.store_id = s.store_id AND r.kind = 'sale' AND r.occurred_at >= @today) AS SalesToday,
                   (SELECT COALESCE(SUM(r.total), 0) FROM receipts r WHERE r.store_id = s.store_id AND r.occurred_at >= @today) AS SalesAmountToday,
                   (SELECT COUNT(*) FROM orders o WHERE o.pickup_store_id = s.store_id AND o.fulfilment = 'click_and_collect' AND o.status = 'ready_for_pickup') AS PickupsWaiting,
                   (SELECT COUNT(*) FROM receipts r WHERE r.store_id = s.store_id AND r.kind = 'sale' AND r.occurred_at >= @weekAgo) AS SalesLast7Days,
                   (SELECT COUNT(*) FROM stock k WHERE k.store_id = s.store_id AND k.quantity = 0) AS SkusSoldOut
            FROM stores s WHERE s.kind = 'store' ORDER BY s.store_id
            """, new { today, weekAgo = today.AddDays(-7) });
        return rows.ToList();
    }
}

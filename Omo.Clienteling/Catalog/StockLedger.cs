using System.Data.Common;
using Dapper;
using Omo.Clienteling.Data;

namespace Omo.Clienteling.Catalog;

/// <summary>One SKU's stock moving in one shop: signed (a sale takes off, a return puts back), with why and from what.</summary>
public sealed record StockMove(string Sku, string StoreId, int Quantity, StockMoveReason Reason, string? Reference);

/// <summary>
/// How a shop's stock follows event time (docs/events-api.md, "Master data and stock"). A count sets the level as of its
/// time; a movement changes the level only when it is later than that SKU's latest count in that shop (an earlier one
/// is already in the count). Every movement is kept with its time, so a count that arrives after later movements still
/// ends at the right level: the count plus what moved after it. The stored level may go below zero when the tills sell
/// more than was counted; it is shown as zero (<see cref="OnHand"/>).
/// </summary>
public static class StockLedger
{
    /// <summary>The level as shown: never below zero.</summary>
    public static string OnHand(string quantityColumn) => $"(CASE WHEN {quantityColumn} < 0 THEN 0 ELSE {quantityColumn} END)";

    /// <summary>Records movements at <paramref name="at"/>, each changing its level if it is later than the level's count.</summary>
    public static async Task MoveAsync(DbConnection c, DbTransaction t, DateTimeOffset at, IEnumerable<StockMove> moves)
    {
        var rows = moves.Select(m => new { m.Sku, m.StoreId, m.Quantity, m.Reason, m.Reference, at }).ToList();
        if (rows.Count == 0) return;
        await c.ExecuteAsync("""
            INSERT INTO stock_movements (sku, store_id, occurred_at, quantity, reason, reference) VALUES (@Sku, @StoreId, @at, @Quantity, @Reason, @Reference)
            """, rows, t);
        await c.ExecuteAsync("""
            INSERT INTO stock (sku, store_id, quantity, counted_at) VALUES (@Sku, @StoreId, @Quantity, NULL)
            ON CONFLICT (sku, store_id) DO UPDATE SET quantity = stock.quantity + excluded.quantity
            WHERE stock.counted_at IS NULL OR stock.counted_at < @at
            """, rows, t);
    }

    /// <summary>
    /// Sets levels from a count at <paramref name="at"/>: the counted quantity plus whatever moved after it. A count older
    /// than the one a level already has changes nothing (the newer count stands); the same count again changes nothing.
    /// </summary>
    /// <remarks>
    /// The counts wait with the batch's other writes that nothing reads back before the commit (a store's whole count
    /// file goes to PostgreSQL in a few round trips, not one per SKU): whatever reads stock flushes them first.
    /// </remarks>
    public static async Task CountAsync(PendingWrites writes, string storeId, DateTimeOffset at, IEnumerable<(string Sku, int Quantity)> lines)
    {
        foreach (var (sku, quantity) in lines)
            await writes.AddAsync("""
                INSERT INTO stock (sku, store_id, quantity, counted_at)
                VALUES (@sku, @storeId, @quantity + COALESCE((SELECT SUM(m.quantity) FROM stock_movements m
                                                               WHERE m.sku = @sku AND m.store_id = @storeId AND m.occurred_at > @at), 0), @at)
                ON CONFLICT (sku, store_id) DO UPDATE SET quantity = excluded.quantity, counted_at = excluded.counted_at
                WHERE stock.counted_at IS NULL OR stock.counted_at <= excluded.counted_at
                """, ("sku", sku), ("storeId", storeId), ("quantity", quantity), ("at", at.ToUnixTimeMilliseconds()));
    }

    /// <summary>
    /// The levels of these SKUs in one shop as a movement at <paramref name="at"/> would find them: null for a SKU whose
    /// latest count is later than <paramref name="at"/> (the movement is already in that count and changes nothing).
    /// </summary>
    public static async Task<Dictionary<string, int?>> LevelsForMoveAsync(DbConnection c, DbTransaction t, SqlDialect dialect, string storeId,
        DateTimeOffset at, IReadOnlyCollection<string> skus)
    {
        var rows = await c.QueryAsync<(string Sku, int Quantity, long? CountedAt)>(
            $"SELECT sku, quantity, counted_at FROM stock WHERE store_id = @storeId AND sku {dialect.InArray("@skus")}",
            new { storeId, skus = dialect.Array(skus) }, t);
        var levels = skus.Distinct().ToDictionary(s => s, int? (_) => 0);
        var ms = at.ToUnixTimeMilliseconds();
        foreach (var (sku, quantity, countedAt) in rows) levels[sku] = countedAt is { } counted && counted >= ms ? null : Math.Max(0, quantity);
        return levels;
    }
}

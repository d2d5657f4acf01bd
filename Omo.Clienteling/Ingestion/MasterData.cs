using System.Data.Common;
using Dapper;
using Omo.Clienteling.Catalog;
using Omo.Clienteling.Data;

namespace Omo.Clienteling.Ingestion;

/// <summary>
/// The retailer's stores, styles and stock as its own systems send them (docs/events-api.md, "Master data and stock").
/// Each handler checks what it needs before its first write, like every other event's.
/// </summary>
internal static class MasterData
{
    public static Task ApplyAsync(SqlDialect dialect, DbConnection c, DbTransaction t, PendingWrites pending, IncomingEvent e) => e.Data switch
    {
        StoreUpserted store => UpsertStoreAsync(c, t, e.StoreId!, store),
        ProductUpserted product => UpsertProductAsync(dialect, c, t, e.OccurredAt, product),
        ProductDiscontinued discontinued => DiscontinueAsync(c, t, e.OccurredAt, discontinued.StyleCode),
        StockCounted count => StockLedger.CountAsync(pending, e.StoreId!, e.OccurredAt, count.Lines.Select(l => (l.Sku, l.Quantity))),
        StockMoved moved => MoveAsync(dialect, c, t, e, moved),
        _ => throw new InvalidOperationException($"{e.Type} is not master data."),
    };

    private static async Task UpsertStoreAsync(DbConnection c, DbTransaction t, string storeId, StoreUpserted s)
    {
        var kind = await c.ExecuteScalarAsync<string?>("SELECT kind FROM stores WHERE store_id = @storeId", new { storeId }, t);
        // Shops have stock, receipts and staff; the web shop has none of these. A store does not change which it is.
        if (kind is not null && kind != s.Kind)
            throw new EventRefused("Store kind cannot change", $"storeId '{storeId}' is a{(kind == "store" ? " shop" : "n online store")}; it cannot become '{s.Kind}'.");
        await c.ExecuteAsync("""
            INSERT INTO stores (store_id, name_ja, name_en, kind, latitude, longitude) VALUES (@storeId, @NameJa, @NameEn, @Kind, @Latitude, @Longitude)
            ON CONFLICT (store_id) DO UPDATE SET name_ja = excluded.name_ja, name_en = excluded.name_en, latitude = excluded.latitude, longitude = excluded.longitude
            """, new { storeId, s.NameJa, s.NameEn, s.Kind, s.Latitude, s.Longitude }, t);
    }

    private static async Task UpsertProductAsync(SqlDialect dialect, DbConnection c, DbTransaction t, DateTimeOffset at, ProductUpserted p)
    {
        var skus = p.Definitions.Select(d => d.Sku).ToList();
        var jans = p.Definitions.Where(d => d.Jan is not null).Select(d => d.Jan!).ToList();
        var elsewhere = await c.QueryFirstOrDefaultAsync<(string Sku, string StyleCode)?>(
            $"SELECT sku, style_code FROM skus WHERE sku {dialect.InArray("@skus")} AND style_code <> @StyleCode", new { skus = dialect.Array(skus), p.StyleCode }, t);
        if (elsewhere is { } taken)
            throw new EventRefused("SKU of another style", $"SKU '{taken.Sku}' belongs to style '{taken.StyleCode}'; a SKU stays with its style.");
        if (jans.Count > 0)
        {
            var janTaken = await c.QueryFirstOrDefaultAsync<(string Jan, string Sku)?>(
                $"SELECT jan, sku FROM skus WHERE jan {dialect.InArray("@jans")} AND NOT (sku {dialect.InArray("@skus")})",
                new { jans = dialect.Array(jans), skus = dialect.Array(skus) }, t);
            if (janTaken is { } j) throw new EventRefused("JAN of another SKU", $"JAN '{j.Jan}' is already SKU '{j.Sku}''s.");
        }
        var launchedOn = p.LaunchedOn ?? DateOnly.FromDateTime(at.ToOffset(ShopTime.Offset).DateTime);
        await c.ExecuteAsync("""
            INSERT INTO products (style_code, name_ja, name_en, category, price, image_path, image_url, launched_on, discontinued_at)
            VALUES (@StyleCode, @NameJa, @NameEn, @Category, @Price, @imagePath, @ImageUrl, @launchedOn, NULL)
            ON CONFLICT (style_code) DO UPDATE SET name_ja = excluded.name_ja, name_en = excluded.name_en, category = excluded.category,
                price = excluded.price, image_url = excluded.image_url, launched_on = excluded.launched_on, discontinued_at = NULL
            """, new { p.StyleCode, p.NameJa, p.NameEn, p.Category, p.Price, imagePath = ProductImages.PlaceholderPath(p.StyleCode), p.ImageUrl, launchedOn }, t);
        await c.ExecuteAsync("""
            INSERT INTO skus (sku, style_code, size, colour, jan, on_sale) VALUES (@Sku, @styleCode, @Size, @Colour, @Jan, TRUE)
            ON CONFLICT (sku) DO UPDATE SET size = excluded.size, colour = excluded.colour, jan = excluded.jan, on_sale = TRUE
            """, p.Definitions.Select(d => new { d.Sku, styleCode = p.StyleCode, d.Size, d.Colour, d.Jan }), t);
        // The style's other SKUs stay (receipts and stock name them) but are no longer sold.
        await c.ExecuteAsync($"UPDATE skus SET on_sale = FALSE WHERE style_code = @StyleCode AND NOT (sku {dialect.InArray("@skus")})",
            new { p.StyleCode, skus = dialect.Array(skus) }, t);
    }

    private static async Task DiscontinueAsync(DbConnection c, DbTransaction t, DateTimeOffset at, string styleCode)
    {
        if (await c.ExecuteAsync("UPDATE products SET discontinued_at = @at WHERE style_code = @styleCode", new { at, styleCode }, t) == 0)
            throw new EventRefused("Unknown style", $"Style '{styleCode}' is not in the catalogue.");
        await c.ExecuteAsync("UPDATE skus SET on_sale = FALSE WHERE style_code = @styleCode", new { styleCode }, t);
    }

    private static async Task MoveAsync(SqlDialect dialect, DbConnection c, DbTransaction t, IncomingEvent e, StockMoved moved)
    {
        var storeId = e.StoreId!;
        var levels = await StockLedger.LevelsForMoveAsync(c, t, dialect, storeId, e.OccurredAt, moved.Lines.Select(l => l.Sku).ToList());
        foreach (var line in moved.Lines)
            if (levels[line.Sku] is { } level && level + line.Quantity < 0)
                throw new EventRefused("Stock below zero", $"SKU '{line.Sku}' has {level} in {storeId}; moving {line.Quantity} would leave less than nothing.");
        await StockLedger.MoveAsync(c, t, e.OccurredAt, moved.Lines.Select(l => new StockMove(l.Sku, storeId, l.Quantity, moved.Reason, e.EventId)));
    }
}

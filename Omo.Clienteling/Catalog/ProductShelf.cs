using Dapper;
using Omo.Clienteling.Data;

namespace Omo.Clienteling.Catalog;

/// <summary>A style as the product page shows it (a row: the providers read the price as different integer types).</summary>
public sealed class StyleInfo
{
    public string StyleCode { get; init; } = "";
    public string NameJa { get; init; } = "";
    public string NameEn { get; init; } = "";
    public string Category { get; init; } = "";
    public long Price { get; init; }
    public string ImagePath { get; init; } = "";
    public string? ImageUrl { get; init; }

    public string Name(bool japanese) => japanese ? NameJa : NameEn;
}

/// <summary>One size in one colour: how many here, and if none, the nearest shop that has it.</summary>
public sealed record ShelfCell(string Sku, string Size, string Colour, int HereQuantity, string? NearestShopWithIt);

/// <summary>Every size × colour of a style, for one shop.</summary>
public sealed record StyleOnShelf(StyleInfo Style, IReadOnlyList<string> Sizes, IReadOnlyList<string> Colours, IReadOnlyList<ShelfCell> Cells)
{
    public ShelfCell? Cell(string size, string colour) => Cells.FirstOrDefault(c => c.Size == size && c.Colour == colour);
}

/// <summary>
/// A product tag scanned on the tablet (its JAN): which style it is, and what of that style this shop has, in every
/// size and colour still on sale, with the nearest shop for what is missing here.
/// </summary>
public sealed class ProductShelf(OmoDatabase database, StoreDirectory stores, TimeProvider clock)
{
    /// <summary>The style and SKU a JAN code is printed on; null for a code that is not in the catalogue.</summary>
    public async Task<(string StyleCode, string Sku)?> FindByJanAsync(string jan)
    {
        if (!Jan.IsValid(jan)) return null;
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<(string, string)?>("SELECT style_code, sku FROM skus WHERE jan = @jan", new { jan });
    }

    public async Task<StyleOnShelf?> ForAsync(string styleCode, string storeId)
    {
        await using var connection = await database.OpenAsync();
        await using var grid = await connection.QueryMultipleAsync($"""
            SELECT style_code, name_ja, name_en, category, price, image_path, image_url FROM products WHERE style_code = @styleCode;
            SELECT k.sku, k.size, k.colour, s.store_id, {HeldStock.Available(database.Dialect, "s")} AS quantity
            FROM skus k LEFT JOIN stock s ON s.sku = k.sku AND s.quantity > 0
            WHERE k.style_code = @styleCode AND k.on_sale = TRUE ORDER BY k.sku;
            """, new { styleCode, now = clock.GetUtcNow() });
        var style = await grid.ReadSingleOrDefaultAsync<StyleInfo>();
        if (style is null) return null;
        var rows = (await grid.ReadAsync<(string Sku, string Size, string Colour, string? StoreId, int? Quantity)>()).ToList();
        var nearest = stores.NearestShops(storeId);
        var cells = rows.GroupBy(r => (r.Sku, r.Size, r.Colour)).Select(g =>
        {
            var here = g.Where(r => r.StoreId == storeId).Sum(r => r.Quantity ?? 0);
            var elsewhere = here > 0 ? null : nearest.FirstOrDefault(n => g.Any(r => r.StoreId == n.StoreId))?.StoreId;
            return new ShelfCell(g.Key.Sku, g.Key.Size, g.Key.Colour, here, elsewhere);
        }).ToList();
        // Sizes in the order people say them; colours alphabetically.
        var sizes = cells.Select(c => c.Size).Distinct().OrderBy(SizeOrder).ThenBy(s => s, StringComparer.Ordinal).ToList();
        var colours = cells.Select(c => c.Colour).Distinct().Order(StringComparer.Ordinal).ToList();
        return new StyleOnShelf(style, sizes, colours, cells);
    }

    private static readonly string[] FamiliarSizes = ["XXS", "XS", "S", "M", "L", "XL", "XXL", "3L", "4L", "F"];

    /// <summary>Letter sizes in the order people say them, then numeric sizes (shoes: 22.5, 23.0 …) by number.</summary>
    private static double SizeOrder(string size) =>
        Array.IndexOf(FamiliarSizes, size) is >= 0 and var i ? i
        : double.TryParse(size, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n) ? 100 + n : 10_000;
}

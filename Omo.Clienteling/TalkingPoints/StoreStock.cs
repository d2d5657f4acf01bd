using System.Collections.Concurrent;
using Dapper;
using Omo.Clienteling.Catalog;
using Omo.Clienteling.Data;
using Omo.Clienteling.Members;

namespace Omo.Clienteling.TalkingPoints;

/// <summary>A SKU on this store's shelves.</summary>
public sealed record StockedSku(ProductInfo Product, int Quantity, DateOnly LaunchedOn)
{
    public ProfileItem AsItem() => new(Product, new Availability(Quantity, [], null));
}

/// <summary>
/// What one store has in stock, by category: the talking points suggest only what the assistant can hand over.
/// <paramref name="catalogueSizes"/> are the sizes each category comes in across the whole catalogue.
/// </summary>
public sealed class StoreStock(string storeId, IReadOnlyCollection<StockedSku> skus, ILookup<string, string>? catalogueSizes = null)
{
    // The catalogue's category words as it writes them; "Trousers" and "trousers" are one category.
    private readonly ILookup<string, StockedSku> _byCategory = skus.ToLookup(s => s.Product.Category, StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _quantities = skus.ToDictionary(s => s.Product.Sku, s => s.Quantity);

    public string StoreId { get; } = storeId;

    public int QuantityOf(string sku) => _quantities.GetValueOrDefault(sku);

    /// <summary>
    /// The sizes a category comes in (not only those on the shelves here: trousers in S alone are still not one-size).
    /// Without the catalogue's list, the demo's sizes for its categories, else the shelves'.
    /// </summary>
    public IReadOnlySet<string> SizesIn(string category) =>
        (catalogueSizes is not null && catalogueSizes.Contains(category) ? catalogueSizes[category]
            : Categories.Find(category)?.Sizes ?? _byCategory[category].Select(s => s.Product.Size)).ToHashSet(StringComparer.Ordinal);

    /// <summary>The lowest and highest price of a category on the shelves here; null when there is none.</summary>
    public (int Min, int Max)? PriceBand(string category) =>
        _byCategory[category].Any() ? (_byCategory[category].Min(s => s.Product.Price), _byCategory[category].Max(s => s.Product.Price)) : null;

    /// <summary>In-stock SKUs of a category in a size, newest styles first (accessories are one size, "F").</summary>
    public IEnumerable<StockedSku> InCategory(string category, string? size) =>
        _byCategory[category].Where(s => size is null || s.Product.Size == size || s.Product.Size == "F")
            .OrderByDescending(s => s.LaunchedOn).ThenBy(s => s.Product.Sku, StringComparer.Ordinal);
}

/// <summary>
/// Each store's stock, read once and kept for a minute: the engine runs for every profile view, and a shelf
/// does not change between two customers in a way a talking point would notice.
/// </summary>
public sealed class StoreStockCache(OmoDatabase database, TimeProvider clock) : ICachedData
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, (DateTimeOffset Loaded, StoreStock Stock)> _stores = new();

    public async Task<StoreStock> ForAsync(string storeId)
    {
        var now = clock.GetUtcNow();
        if (_stores.TryGetValue(storeId, out var cached) && now - cached.Loaded < MaxAge) return cached.Stock;
        var stock = await LoadAsync(storeId);
        _stores[storeId] = (now, stock);
        return stock;
    }

    public string Version => DataVersions.Dataset;

    /// <summary>After a demo reset: the shelves were regenerated.</summary>
    public Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        _stores.Clear();
        return Task.CompletedTask;
    }

    private async Task<StoreStock> LoadAsync(string storeId)
    {
        await using var connection = await database.OpenAsync();
        var sizes = (await connection.QueryAsync<(string Category, string Size)>(
            "SELECT DISTINCT p.category, k.size FROM skus k JOIN products p ON p.style_code = k.style_code")).ToLookup(r => r.Category, r => r.Size, StringComparer.OrdinalIgnoreCase);
        var rows = await connection.QueryAsync<Row>($"""
            SELECT * FROM (
                SELECT k.sku, k.style_code, k.size, k.colour, p.name_ja, p.name_en, p.category, p.price, p.image_path, p.image_url, p.launched_on,
                       {HeldStock.Available(database.Dialect, "s")} AS quantity
                FROM stock s JOIN skus k ON k.sku = s.sku JOIN products p ON p.style_code = k.style_code
                WHERE s.store_id = @storeId AND s.quantity > 0) AS offered
            WHERE quantity > 0
            """, new { storeId, now = clock.GetUtcNow() });
        return new StoreStock(storeId, rows.Select(r => new StockedSku(r.ToInfo(), r.Quantity, r.LaunchedOn)).ToList(), sizes);
    }

    private sealed class Row : ProductRow
    {
        public DateOnly LaunchedOn { get; init; }
        public int Quantity { get; init; }
    }
}

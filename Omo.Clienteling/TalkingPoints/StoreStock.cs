using System.Collections.Concurrent;
using Dapper;
using Omo.Clienteling.Data;
using Omo.Clienteling.Members;

namespace Omo.Clienteling.TalkingPoints;

/// <summary>A SKU on this store's shelves.</summary>
public sealed record StockedSku(ProductInfo Product, int Quantity, DateOnly LaunchedOn)
{
    public ProfileItem AsItem() => new(Product, new Availability(Quantity, [], null));
}

/// <summary>What one store has in stock, by category: the talking points suggest only what the assistant can hand over.</summary>
public sealed class StoreStock(string storeId, IReadOnlyCollection<StockedSku> skus)
{
    private readonly ILookup<string, StockedSku> _byCategory = skus.ToLookup(s => s.Product.Category);
    private readonly Dictionary<string, int> _quantities = skus.ToDictionary(s => s.Product.Sku, s => s.Quantity);

    public string StoreId { get; } = storeId;

    public int QuantityOf(string sku) => _quantities.GetValueOrDefault(sku);

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
        var rows = await connection.QueryAsync<Row>("""
            SELECT k.sku, k.style_code, k.size, k.colour, p.name_ja, p.name_en, p.category, p.price, p.image_path, p.image_url, p.launched_on, s.quantity
            FROM stock s JOIN skus k ON k.sku = s.sku JOIN products p ON p.style_code = k.style_code
            WHERE s.store_id = @storeId AND s.quantity > 0
            """, new { storeId });
        return new StoreStock(storeId, rows.Select(r => new StockedSku(r.ToInfo(), r.Quantity, r.LaunchedOn)).ToList());
    }

    private sealed class Row : ProductRow
    {
        public DateOnly LaunchedOn { get; init; }
        public int Quantity { get; init; }
    }
}

using Dapper;
using Omo.Clienteling.Data;

namespace Omo.Clienteling.Catalog;

public sealed record Store(string StoreId, string NameJa, string NameEn, string Kind, double? Latitude, double? Longitude)
{
    public bool IsShop => Kind == "store";

    public string Name(bool japanese) => japanese ? NameJa : NameEn;
}

public sealed class StoreOptions
{
    public const string Section = "Store";

    /// <summary>The store a tablet belongs to until a signed-in staff member's store decides it.</summary>
    public string Default { get; set; } = "S01";

    /// <summary>
    /// After how long a shop's stock count is shown as stale on the tablet ("counted 2 days ago": go and look). Counts
    /// usually come every morning, so a day and a half leaves room for a late one.
    /// </summary>
    public TimeSpan StaleCountAfter { get; set; } = TimeSpan.FromHours(36);

    /// <summary>
    /// Where the product master's photos (<c>imageUrl</c>) may come from, e.g. <c>https://images.example.jp</c>: the
    /// page's Content-Security-Policy lets the tablet load images from these origins and no others.
    /// </summary>
    public List<string> ImageHosts { get; set; } = [];

    /// <summary>The configured image hosts as CSP sources (scheme, host and port); anything else stops the start.</summary>
    public IEnumerable<string> ImageSources() => ImageHosts.Select(host =>
        Uri.TryCreate(host, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && uri.PathAndQuery == "/"
            ? uri.GetLeftPart(UriPartial.Authority)
            : throw new InvalidOperationException($"{Section}:ImageHosts holds '{host}'; give origins such as https://images.example.jp (no path)."));
}

/// <summary>
/// The chain's stores. They change rarely, so they are read once and kept, and reloaded when the dataset changes on
/// any server (<see cref="DataVersions"/>).
/// </summary>
public sealed class StoreDirectory(OmoDatabase database) : ICachedData
{
    private volatile IReadOnlyList<Store> _stores = [];

    public string Version => DataVersions.Dataset;

    public IReadOnlyList<Store> All => _stores;

    public IEnumerable<Store> Shops => All.Where(s => s.IsShop);

    public Store? Find(string? storeId) => All.FirstOrDefault(s => s.StoreId == storeId);


    /// <summary>The other shops, nearest first: where an assistant sends a customer for a size that is sold out here.</summary>
    public IReadOnlyList<Store> NearestShops(string storeId)
    {
        var here = Find(storeId);
        return Shops.Where(s => s.StoreId != storeId)
            .OrderBy(s => here?.Latitude is null ? 0 : Distance(here, s))
            .ThenBy(s => s.StoreId, StringComparer.Ordinal)
            .ToList();
    }

    private static double Distance(Store a, Store b)
    {
        // Equirectangular distance is plenty to order shops within one city.
        var x = (b.Longitude!.Value - a.Longitude!.Value) * Math.Cos((a.Latitude!.Value + b.Latitude!.Value) * Math.PI / 360);
        var y = b.Latitude.Value - a.Latitude.Value;
        return x * x + y * y;
    }

    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        _stores = (await connection.QueryAsync<Store>(
            "SELECT store_id AS StoreId, name_ja AS NameJa, name_en AS NameEn, kind AS Kind, latitude AS Latitude, longitude AS Longitude FROM stores ORDER BY store_id")).ToList();
    }
}

using Dapper;
using Omo.Clienteling.Data;

namespace Omo.Clienteling.Catalog;

/// <summary>
/// The SKUs we sell, kept in memory: every incoming event names one, and checking a few thousand codes in a set
/// is cheaper than a query per event. Reloaded when the dataset changes on any server (<see cref="DataVersions"/>).
/// </summary>
public sealed class SkuCatalog(OmoDatabase database) : ICachedData
{
    private volatile HashSet<string> _skus = [];

    public string Version => DataVersions.Dataset;

    public bool Exists(string sku) => _skus.Contains(sku);

    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        _skus = (await connection.QueryAsync<string>("SELECT sku FROM skus")).ToHashSet(StringComparer.Ordinal);
    }
}

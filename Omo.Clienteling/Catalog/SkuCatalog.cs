using Dapper;
using Omo.Clienteling.Data;

namespace Omo.Clienteling.Catalog;

/// <summary>
/// The SKUs we sell, kept in memory: every incoming event names one, and checking a few thousand codes in a set
/// is cheaper than a query per event. A demo reset calls <see cref="Reload"/>.
/// </summary>
public sealed class SkuCatalog(OmoDatabase database)
{
    private volatile HashSet<string>? _skus;

    public bool Exists(string sku) => (_skus ??= Load()).Contains(sku);

    public void Reload() => _skus = Load();

    private HashSet<string> Load()
    {
        using var connection = database.Open();
        return connection.Query<string>("SELECT sku FROM skus").ToHashSet(StringComparer.Ordinal);
    }
}

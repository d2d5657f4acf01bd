using Dapper;
using Omo.Clienteling.Data;

namespace Omo.Clienteling.Demo;

/// <summary>
/// Whether the database holds the generated demo dataset (trainers' tools) or real customers (never for trainers).
/// Read at start-up and whenever the dataset changes on any server.
/// </summary>
public sealed class DemoDataset(OmoDatabase database) : ICachedData
{
    public const string MarkerKey = "dataset";
    public const string MarkerValue = "demo";

    private volatile bool _isDemo;

    public bool IsDemo => _isDemo;

    public string Version => DataVersions.Dataset;

    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        _isDemo = await connection.ExecuteScalarAsync<string>("SELECT value FROM demo_state WHERE key = @MarkerKey", new { MarkerKey }) == MarkerValue;
    }
}

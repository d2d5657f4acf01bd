using Dapper;
using Omo.Clienteling.Data;

namespace Omo.Clienteling.Demo;

/// <summary>Whether the database holds the generated demo dataset (trainers' tools) or real customers (never for trainers).</summary>
public sealed class DemoDataset(OmoDatabase database)
{
    public const string MarkerKey = "dataset";
    public const string MarkerValue = "demo";

    private bool? _isDemo;

    public bool IsDemo => _isDemo ??= Read();

    /// <summary>After a reset or a seed, the marker is read again.</summary>
    public void Reload() => _isDemo = null;

    private bool Read()
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<string>("SELECT value FROM demo_state WHERE key = @MarkerKey", new { MarkerKey }) == MarkerValue;
    }
}

namespace Omo.Clienteling.Ingestion;

public sealed class IngestionOptions
{
    public const string Section = "Ingestion";

    /// <summary>docs/events-api.md: a batch holds 1 to 1000 events.</summary>
    public const int MaxEventsPerBatch = 1000;

    /// <summary>Bodies larger than this are refused with 413 before they are parsed.</summary>
    public long MaxBodyBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>How far in the future an event's occurredAt may be (senders' clocks drift).</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Requests per second each API key may make on average (a token bucket per key).</summary>
    public int RequestsPerSecond { get; set; } = 100;

    /// <summary>How many requests a key may make at once before the average applies.</summary>
    public int Burst { get; set; } = 200;
}

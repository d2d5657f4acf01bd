namespace Omo.Clienteling.Data;

/// <summary>
/// Upkeep in the background rather than inside someone's request: on SQLite, copying the write-ahead log into the
/// database file (SQLite would otherwise do it inside whichever commit crosses the threshold, and that commit — an
/// events batch, a note — would wait for the disk). Connections keep a high auto-checkpoint threshold as a backstop.
/// </summary>
public sealed class DatabaseMaintenance(OmoDatabase database, ILogger<DatabaseMaintenance> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await database.Dialect.CheckpointAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Background database maintenance failed; the database's own still applies.");
            }
        }
    }
}

using Dapper;

namespace Omo.Clienteling.Data;

/// <summary>
/// Copies the write-ahead log into the database file in the background. SQLite would otherwise do it inside
/// whichever commit crosses the threshold, and that commit (an events batch, a note) would wait for the disk.
/// Connections keep a high auto-checkpoint threshold as a backstop in case this service is not running.
/// </summary>
public sealed class WalCheckpointer(OmoDatabase database, ILogger<WalCheckpointer> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                using var connection = database.Open();
                // PASSIVE copies what it can without blocking readers or the writer.
                connection.Execute("PRAGMA wal_checkpoint(PASSIVE)");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Background WAL checkpoint failed; SQLite's own checkpoint still applies.");
            }
        }
    }
}

namespace Omo.Clienteling.Data;

/// <summary>
/// A sweep each server runs in the background: once at start, then every <see cref="Every"/>. A round that fails is
/// logged and the next one tries again, so one bad moment (the database restarting) does not stop the sweeping.
/// </summary>
public abstract class PeriodicSweep(TimeProvider clock, ILogger logger) : BackgroundService
{
    protected TimeProvider Clock => clock;

    protected abstract TimeSpan Every { get; }

    /// <summary>What is logged when a round fails: what did not happen, in the shop's words.</summary>
    protected abstract string Failure { get; }

    protected abstract Task SweepOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, clock);
        do
        {
            try
            {
                await SweepOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "{Failure}; the next sweep tries again.", Failure);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

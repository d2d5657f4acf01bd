using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace Omo.Clienteling.Staff;

/// <summary>Closes staff hub connections whose session ended, within a few seconds, even if they never call again.</summary>
public sealed class HubSessionWatch(StaffSessions sessions, ILogger<HubSessionWatch> logger) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(3);

    private readonly ConcurrentDictionary<string, (HubCallerContext Context, string SessionId)> _connections = new();

    public void Add(HubCallerContext context, string sessionId) => _connections[context.ConnectionId] = (context, sessionId);

    public void Remove(string connectionId) => _connections.TryRemove(connectionId, out _);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var (id, (context, sessionId)) in _connections)
            {
                try
                {
                    if (await sessions.IsOpenAsync(sessionId)) continue;
                    context.Abort();
                    _connections.TryRemove(id, out _);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Could not check the session of hub connection {Connection}", id);
                }
            }
        }
    }
}

using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace Omo.Clienteling.Staff;

/// <summary>
/// Staff connections to a hub live only as long as their session: the session is checked when they connect and on every
/// call (a locked tablet's calls are refused too), and <see cref="HubSessionWatch"/> closes connections whose session
/// ended while they were quiet. Connections of API keys and of the server's own feed have no session and are untouched.
/// </summary>
public sealed class SessionHubFilter(StaffSessions sessions, HubSessionWatch watch) : IHubFilter
{
    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        if (StaffMember.From(context.Context.User) is { } staff)
        {
            if (!await sessions.IsOpenAsync(staff.SessionId)) throw new HubException("This sign-in has ended; sign in again.");
            watch.Add(context.Context, staff.SessionId!);
        }
        await next(context);
    }

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (StaffMember.From(invocation.Context.User) is { } staff)
        {
            var session = staff.SessionId is null ? null : await sessions.GetAsync(staff.SessionId);
            if (session is null or { Ended: true })
            {
                invocation.Context.Abort();
                throw new HubException("This sign-in has ended; sign in again.");
            }
            if (session.Locked) throw new HubException("This tablet is locked; enter the PIN first.");
        }
        return await next(invocation);
    }

    public Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        watch.Remove(context.Context.ConnectionId);
        return next(context, exception);
    }
}

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

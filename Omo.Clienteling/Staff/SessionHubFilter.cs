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

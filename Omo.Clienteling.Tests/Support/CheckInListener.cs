using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Omo.Clienteling.CheckIns;

namespace Omo.Clienteling.Tests.Support;

/// <summary>A real SignalR .NET client on the check-in hub, keeping what it receives.</summary>
public sealed class CheckInListener : IAsyncDisposable
{
    private readonly ConcurrentQueue<CheckInAlert> _alerts = new();
    private readonly ConcurrentQueue<ClaimNotice> _claims = new();

    private CheckInListener(HubConnection connection) => Connection = connection;

    public HubConnection Connection { get; }
    public IReadOnlyCollection<CheckInAlert> Alerts => _alerts;
    public IReadOnlyCollection<ClaimNotice> Claims => _claims;

    /// <summary>Connects with an API key (as the access token) or a signed-in staff member's cookies.</summary>
    public static async Task<CheckInListener> ConnectAsync(string baseUrl, string? apiKey = null, CookieContainer? cookies = null)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(baseUrl + CheckInHub.Path, o =>
            {
                if (apiKey is not null) o.AccessTokenProvider = () => Task.FromResult<string?>(apiKey);
                if (cookies is not null) o.Cookies = cookies;
            })
            .Build();
        var listener = new CheckInListener(connection);
        connection.On<CheckInAlert>(nameof(ICheckInClient.CheckedIn), a => listener._alerts.Enqueue(a));
        connection.On<ClaimNotice>(nameof(ICheckInClient.Claimed), c => listener._claims.Enqueue(c));
        await connection.StartAsync();
        return listener;
    }

    public Task<CheckInAlert> AlertFor(string memberNo) => Until(() => _alerts.FirstOrDefault(a => a.MemberNo == memberNo), $"an alert for {memberNo}");

    public Task<ClaimNotice> ClaimOf(long checkInId) => Until(() => _claims.FirstOrDefault(c => c.CheckInId == checkInId), $"the claim of {checkInId}");

    private static async Task<T> Until<T>(Func<T?> find, string what) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (find() is { } found) return found;
            await Task.Delay(20);
        }
        throw new TimeoutException($"Waited 15 s for {what}.");
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}

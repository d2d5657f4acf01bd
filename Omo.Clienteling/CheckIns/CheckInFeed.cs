using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.SignalR.Client;

namespace Omo.Clienteling.CheckIns;

public enum FeedState { Connecting, Connected, Reconnecting }

/// <summary>
/// One hub-client connection per server, fanned out in-process to the tablets' circuits: a board or tablet subscribes
/// here for its store (from its sign-in) instead of opening a second connection of its own. Alerts posted on any server
/// reach this one through the hub (and the Redis backplane), so the path is the same with one server or many. After a
/// reconnect, the feed asks the hub for what it missed and passes on what its subscribers have not seen.
/// </summary>
public sealed class CheckInFeed(
    InternalHubToken tokens, InternalAddress address, IHostApplicationLifetime lifetime, TimeProvider clock, ILogger<CheckInFeed> logger)
    : IHostedService, IAsyncDisposable
{
    /// <summary>How far before the last alert a catch-up looks: events may arrive a little after they happened.</summary>
    private static readonly TimeSpan CatchUpMargin = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<Subscription, byte> _subscriptions = new();
    private readonly ConcurrentDictionary<long, DateTimeOffset> _seen = new();
    private readonly CancellationTokenSource _stopping = new();
    private HubConnection? _connection;
    private DateTimeOffset _since = clock.GetUtcNow();

    public FeedState State { get; private set; } = FeedState.Connecting;

    /// <summary>Raised when the feed connects, loses its connection or gets it back ("reconnecting…" on screen).</summary>
    public event Action<FeedState>? StateChanged;

    /// <summary>Listens to one store's alerts and claims until the returned handle is disposed.</summary>
    public IDisposable Subscribe(string storeId, Func<CheckInAlert, Task> onAlert, Func<ClaimNotice, Task> onClaimed)
    {
        var subscription = new Subscription(this, storeId, onAlert, onClaimed, CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        _subscriptions.TryAdd(subscription, 0);
        return subscription;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Kestrel is listening only once the application has started.
        lifetime.ApplicationStarted.Register(() => _ = ConnectAsync());
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) == 1) return;
        await _stopping.CancelAsync();
        try
        {
            if (_connection is not null) await _connection.StopAsync(cancellationToken);
        }
        catch (ObjectDisposedException) { /* the host disposed it first */ }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stopping.CancelAsync();
        if (_connection is not null) await _connection.DisposeAsync();
    }

    private int _disposed;

    private async Task ConnectAsync()
    {
        var url = new Uri(address.Base, CheckInHub.Path);
        _connection = new HubConnectionBuilder()
            .WithUrl(url, o => o.AccessTokenProvider = () => Task.FromResult<string?>(tokens.Create()))
            .WithAutomaticReconnect(new KeepTrying())
            .Build();
        _connection.On<CheckInAlert>(nameof(ICheckInClient.CheckedIn), DeliverAsync);
        _connection.On<ClaimNotice>(nameof(ICheckInClient.Claimed), DeliverAsync);
        _connection.Reconnecting += _ => { SetState(FeedState.Reconnecting); return Task.CompletedTask; };
        _connection.Reconnected += async _ => { await CatchUpAsync(); SetState(FeedState.Connected); };
        _connection.Closed += async _ => { if (!_stopping.IsCancellationRequested) await StartLoopAsync(); };
        await StartLoopAsync();
    }

    private async Task StartLoopAsync()
    {
        SetState(FeedState.Reconnecting);
        for (var attempt = 0; !_stopping.IsCancellationRequested; attempt++)
        {
            try
            {
                await _connection!.StartAsync(_stopping.Token);
                await CatchUpAsync();
                SetState(FeedState.Connected);
                return;
            }
            catch (Exception e) when (!_stopping.IsCancellationRequested)
            {
                logger.LogWarning(e, "Check-in feed could not connect to {Url}; retrying", address.Base);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(10, 1 + attempt)), _stopping.Token).ContinueWith(_ => { });
            }
        }
    }

    private async Task CatchUpAsync()
    {
        var missed = await _connection!.InvokeAsync<List<CheckInAlert>>(nameof(CheckInHub.GetRecent), _since - CatchUpMargin, _stopping.Token);
        foreach (var alert in missed.OrderBy(a => a.OccurredAt)) await DeliverAsync(alert);
    }

    /// <summary>Passes an alert to the subscribers of its store, once: a catch-up may bring alerts already delivered.</summary>
    public async Task DeliverAsync(CheckInAlert alert)
    {
        if (!_seen.TryAdd(alert.CheckInId, alert.OccurredAt)) return;
        if (alert.OccurredAt > _since) _since = alert.OccurredAt;
        Forget(alert.OccurredAt);
        foreach (var s in _subscriptions.Keys.Where(s => s.StoreId == alert.StoreId)) await Safely(s, () => s.OnAlert(alert));
    }

    public async Task DeliverAsync(ClaimNotice claim)
    {
        foreach (var s in _subscriptions.Keys.Where(s => s.StoreId == claim.StoreId)) await Safely(s, () => s.OnClaimed(claim));
    }

    // Ids older than the catch-up window can never come back: forget them so the set stays small.
    private void Forget(DateTimeOffset newest)
    {
        if (_seen.Count < 5000) return;
        foreach (var (id, at) in _seen)
            if (at < newest - CatchUpMargin - TimeSpan.FromMinutes(1)) _seen.TryRemove(id, out _);
    }

    private async Task Safely(Subscription subscription, Func<Task> call)
    {
        // Alerts arrive on the hub client's thread: render them in the subscriber's language, not the server's.
        CultureInfo.CurrentCulture = subscription.Culture;
        CultureInfo.CurrentUICulture = subscription.UICulture;
        try { await call(); }
        catch (Exception e) { logger.LogWarning(e, "A check-in subscriber failed"); }
    }

    private void SetState(FeedState state)
    {
        // A server that is stopping loses its hub connection on the way down: its tablets are being disconnected too
        // (their circuits torn down), and redrawing them now would only fail.
        if (lifetime.ApplicationStopping.IsCancellationRequested) return;
        State = state;
        StateChanged?.Invoke(state);
    }

    private sealed class KeepTrying : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext context) => TimeSpan.FromSeconds(Math.Min(10, context.PreviousRetryCount));
    }

    private sealed record Subscription(CheckInFeed Feed, string StoreId, Func<CheckInAlert, Task> OnAlert, Func<ClaimNotice, Task> OnClaimed,
        CultureInfo Culture, CultureInfo UICulture) : IDisposable
    {
        public void Dispose() => Feed._subscriptions.TryRemove(this, out _);
    }
}

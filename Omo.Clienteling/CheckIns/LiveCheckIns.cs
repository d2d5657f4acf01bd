using Microsoft.AspNetCore.Components;
using Omo.Clienteling.Staff;

namespace Omo.Clienteling.CheckIns;

/// <summary>
/// What the manager's board and the tablet's alerts share: this store's check-ins as they arrive from the feed, claims
/// applied as they are made anywhere, "I'll go", a clock that keeps "3 min ago" counting, and the feed's state.
/// </summary>
public abstract class LiveCheckIns : ComponentBase, IDisposable
{
    [Inject] protected CheckInFeed Feed { get; set; } = default!;
    [Inject] protected CheckInClaims Claims { get; set; } = default!;
    [Inject] protected ShopContext Shop { get; set; } = default!;
    [Inject] protected TimeProvider Clock { get; set; } = default!;

    private IDisposable? _subscription;
    private ITimer? _tick;

    /// <summary>The check-ins shown, newest first.</summary>
    protected List<CheckInAlert> Alerts { get; } = [];

    protected DateTimeOffset Now { get; private set; }

    /// <summary>How often <see cref="Tick"/> runs and the times since arrival are redrawn.</summary>
    protected abstract TimeSpan TickEvery { get; }

    /// <summary>A check-in of this store has arrived (or is loaded): add it to <see cref="Alerts"/> or not.</summary>
    protected abstract void Arrived(CheckInAlert alert);

    protected virtual void Tick() { }

    protected override void OnInitialized()
    {
        Now = Clock.GetUtcNow();
        // The store comes from the sign-in, like everything else on the tablet.
        if (Shop.Current is { } staff)
            _subscription = Feed.Subscribe(staff.StoreId, alert => InvokeAsync(() => { Now = Clock.GetUtcNow(); Arrived(alert); StateHasChanged(); }),
                claim => InvokeAsync(() => Apply(claim)));
        Feed.StateChanged += OnFeedState;
        _tick = Clock.CreateTimer(_ => InvokeAsync(() => { Now = Clock.GetUtcNow(); Tick(); StateHasChanged(); }), null, TickEvery, TickEvery);
    }

    protected void Apply(ClaimNotice claim)
    {
        var i = Alerts.FindIndex(a => a.CheckInId == claim.CheckInId);
        if (i < 0) return;
        Alerts[i] = Alerts[i] with { ClaimedBy = claim.StaffName, ClaimedAt = claim.ClaimedAt };
        StateHasChanged();
    }

    /// <summary>"I'll go": the first claim wins; a later one shows who has it already.</summary>
    protected async Task Claim(CheckInAlert alert)
    {
        var (_, notice) = await Claims.ClaimAsync(alert.CheckInId, Shop.Staff);
        if (notice is not null) Apply(notice);
    }

    private void OnFeedState(FeedState _) => InvokeAsync(StateHasChanged);

    public void Dispose()
    {
        _subscription?.Dispose();
        Feed.StateChanged -= OnFeedState;
        _tick?.Dispose();
    }
}

using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;

namespace Omo.Clienteling.Staff;

/// <summary>
/// The lock of a signed-in tablet. Locking (the lock button, or <see cref="StaffOptions.IdleLock"/> without a touch) marks
/// the session locked on the server, so the lock holds wherever the session is used: a reload, a new tab, a copy of the
/// cookie. While locked, the layout shows only the lock screen; the page underneath and its customer data are gone from
/// the tablet, and the page is opened again (same address) once the PIN is entered. After
/// <see cref="StaffOptions.MaxFailedPins"/> wrong PINs on the lock screen the session ends: whoever holds the tablet signs
/// in again, with the sign-in's own limits.
/// </summary>
public sealed class TabletLock(AuthenticationStateProvider authentication, StaffSessions sessions, StaffDirectory directory, IOptions<StaffOptions> options,
    TimeProvider clock) : IDisposable
{
    private DateTimeOffset _lastActivity = clock.GetUtcNow();
    private string? _sessionId;
    private int _wrongPins;
    private bool _subscribed;
    // Counts this tablet's own transitions (lock, unlock, end). A refresh that read the session before one of them
    // finishes later with an older answer: it must not undo the newer state (a lock undone by a stale "unlocked").
    private int _transitions;

    public enum LockState { Unknown, Unlocked, Locked, Ended }

    public LockState State { get; private set; } = LockState.Unknown;

    public bool IsLocked => State == LockState.Locked;

    /// <summary>Raised when this tablet's lock state changes (here or on another tab of the same sign-in).</summary>
    public event Action? Changed;

    public TimeSpan Timeout => options.Value.IdleLock;

    /// <summary>Reads the session's state: when the circuit starts, and whenever asked to look again.</summary>
    public async Task RefreshAsync()
    {
        var seen = Volatile.Read(ref _transitions);
        if (_sessionId is null)
        {
            var state = await authentication.GetAuthenticationStateAsync();
            _sessionId = StaffMember.From(state.User)?.SessionId;
        }
        if (!_subscribed)
        {
            sessions.Changed += OnSessionChanged;
            _subscribed = true;
        }
        var session = _sessionId is null ? null : await sessions.GetAsync(_sessionId);
        if (Volatile.Read(ref _transitions) != seen) return; // this tablet changed the lock meanwhile: that is newer
        Set(session switch
        {
            null or { Ended: true } => LockState.Ended,
            { Locked: true } => LockState.Locked,
            _ => LockState.Unlocked,
        });
    }

    public void RecordActivity()
    {
        if (State == LockState.Unlocked) _lastActivity = clock.GetUtcNow();
    }

    /// <summary>Locks if the tablet has been idle long enough; the component calls this on a timer.</summary>
    public async Task CheckIdleAsync()
    {
        if (State == LockState.Unlocked && clock.GetUtcNow() - _lastActivity >= Timeout) await LockAsync();
    }

    public async Task LockAsync()
    {
        if (_sessionId is null) return;
        Interlocked.Increment(ref _transitions);
        await sessions.LockAsync(_sessionId);
        Set(LockState.Locked);
    }

    /// <summary>
    /// Unlocks with the signed-in person's PIN. Input that is not PIN-shaped (a member card scanned into the PIN field)
    /// is not an attempt. Wrong PINs count towards the person's sign-in limits like at sign-in.
    /// </summary>
    public async Task<PinCheck?> UnlockAsync(string? pin)
    {
        if (!StaffDirectory.IsValidPin(pin) || _sessionId is null) return null;
        var state = await authentication.GetAuthenticationStateAsync();
        if (StaffMember.From(state.User) is not { } staff) return null;
        var session = await sessions.GetAsync(_sessionId);
        var check = await directory.CheckPinAsync(staff.Code, pin, "unlock", new SignInGuard.Client(session?.ClientAddress, null));
        Interlocked.Increment(ref _transitions);
        if (check.Outcome == SignInOutcome.SignedIn)
        {
            _wrongPins = 0;
            await sessions.UnlockAsync(_sessionId);
            _lastActivity = clock.GetUtcNow();
            Set(LockState.Unlocked);
        }
        else if (++_wrongPins >= options.Value.MaxFailedPins)
        {
            await sessions.EndAsync(_sessionId, SessionEndings.SignedOut);
            Set(LockState.Ended);
        }
        return check;
    }

    private void OnSessionChanged(string sessionId)
    {
        if (sessionId == _sessionId) _ = RefreshAsync();
    }

    private void Set(LockState state)
    {
        // An ended session stays ended: only a new sign-in opens the tablet again.
        if (state == State || State == LockState.Ended) return;
        State = state;
        if (state == LockState.Unlocked) _lastActivity = clock.GetUtcNow();
        Changed?.Invoke();
    }

    public void Dispose()
    {
        if (_subscribed) sessions.Changed -= OnSessionChanged;
    }
}

using Microsoft.Extensions.Options;

namespace Omo.Clienteling.Staff;

/// <summary>
/// The idle lock of one tablet (one circuit): after <see cref="StaffOptions.IdleLock"/> without a touch or a key, the
/// screen locks over the page, which stays as it was, until the signed-in person types their PIN.
/// </summary>
public sealed class IdleLock(ShopContext shop, StaffDirectory directory, IOptions<StaffOptions> options, TimeProvider clock)
{
    private DateTimeOffset _lastActivity = clock.GetUtcNow();

    public bool IsLocked { get; private set; }

    /// <summary>Raised when the lock engages or is lifted.</summary>
    public event Action? Changed;

    public TimeSpan Timeout => options.Value.IdleLock;

    public void RecordActivity()
    {
        if (!IsLocked) _lastActivity = clock.GetUtcNow();
    }

    /// <summary>Locks if the tablet has been idle long enough; the component calls this on a timer.</summary>
    public void Check()
    {
        if (IsLocked || clock.GetUtcNow() - _lastActivity < Timeout) return;
        Lock();
    }

    public void Lock()
    {
        IsLocked = true;
        Changed?.Invoke();
    }

    /// <summary>
    /// Unlocks with the signed-in person's PIN. Wrong PINs count towards their lock-out like at sign-in. Input that is
    /// not PIN-shaped (a member card scanned into the PIN field) is not an attempt.
    /// </summary>
    public async Task<PinCheck?> UnlockAsync(string? pin)
    {
        if (!StaffDirectory.IsValidPin(pin)) return null;
        var check = await directory.CheckPinAsync(shop.StaffCode, pin, "unlock");
        if (check.Outcome == SignInOutcome.SignedIn)
        {
            IsLocked = false;
            _lastActivity = clock.GetUtcNow();
            Changed?.Invoke();
        }
        return check;
    }
}

namespace Omo.Clienteling.Staff;

public sealed class StaffOptions
{
    public const string Section = "Staff";

    /// <summary>A tablet nobody has touched for this long locks itself and asks for the PIN again.</summary>
    public TimeSpan IdleLock { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Wrong PINs in a row before the staff code is locked.</summary>
    public int MaxFailedPins { get; set; } = 5;

    /// <summary>How long a locked staff code stays locked.</summary>
    public TimeSpan Lockout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a sign-in lasts without use: about a shift.</summary>
    public TimeSpan Session { get; set; } = TimeSpan.FromHours(10);
}

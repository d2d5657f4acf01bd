namespace Omo.Clienteling.Staff;

public sealed class StaffOptions
{
    public const string Section = "Staff";

    /// <summary>A tablet nobody has touched for this long locks itself and asks for the PIN again.</summary>
    public TimeSpan IdleLock { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Wrong PINs in a row for one staff code before it has to wait (and before a locked tablet signs out).</summary>
    public int MaxFailedPins { get; set; } = 5;

    /// <summary>The first wait after <see cref="MaxFailedPins"/> failures; each further failure doubles it.</summary>
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest a staff code waits, however many failures.</summary>
    public TimeSpan Lockout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Failed attempts one client (an address, or a trusted tablet) may make in <see cref="FailureWindow"/>.</summary>
    public int FailuresPerClient { get; set; } = 10;

    /// <summary>Failed attempts of all clients together in <see cref="FailureWindow"/> before clients that failed must wait.</summary>
    public int FailuresForEveryone { get; set; } = 200;

    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Where audit rows wait when the database refuses writes (default: App_Data under the app's folder).</summary>
    public string? AuditSpillFolder { get; set; }

    /// <summary>How long a sign-in lasts without use: about a shift.</summary>
    public TimeSpan Session { get; set; } = TimeSpan.FromHours(10);
}

namespace Omo.Clienteling;

/// <summary>
/// The shops are in Japan, which has no daylight saving: "today", opening hours and birthdays are
/// judged at UTC+9 whatever the server's own time zone.
/// </summary>
public static class ShopTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(9);

    public static DateTimeOffset Now(this TimeProvider clock) => clock.GetUtcNow().ToOffset(Offset);

    public static DateOnly Today(this TimeProvider clock) => DayOf(clock.GetUtcNow());

    /// <summary>The shop day a moment falls on.</summary>
    public static DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(Offset).DateTime);

    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), Offset);

    public static DateTimeOffset At(DateOnly day, int hour, int minute) => new(day.ToDateTime(new TimeOnly(hour, minute)), Offset);
}

namespace Omo.Clienteling.Holds;

/// <summary>Holds and appointments (docs/settings.md, "Holds").</summary>
public sealed class HoldOptions
{
    public const string Section = "Holds";

    /// <summary>When the shops close (shop time): a hold ends then on its last day, and so does a day's appointments' wait.</summary>
    public TimeOnly ClosingTime { get; set; } = new(20, 0);

    /// <summary>Shops that close at another time, by store id, e.g. <c>{ "S02": "21:00" }</c>.</summary>
    public Dictionary<string, TimeOnly> ClosingTimes { get; set; } = [];

    /// <summary>How many days ahead a customer may ask a shop to keep items (the hold's last day counted from the request).</summary>
    public int MaxDays { get; set; } = 14;

    /// <summary>How far ahead an appointment may be booked.</summary>
    public int MaxBookingDays { get; set; } = 90;

    /// <summary>How often a server looks for holds past closing time and appointments whose day has ended.</summary>
    public TimeSpan SweepEvery { get; set; } = TimeSpan.FromMinutes(1);

    public TimeOnly ClosingTimeOf(string storeId) => ClosingTimes.GetValueOrDefault(storeId, ClosingTime);

    /// <summary>Closing time on <paramref name="day"/> in that shop: when a hold until that day ends.</summary>
    public DateTimeOffset ClosesAt(string storeId, DateOnly day)
    {
        var closing = ClosingTimeOf(storeId);
        return ShopTime.At(day, closing.Hour, closing.Minute);
    }
}

namespace Omo.Clienteling.TalkingPoints;

public sealed class TalkingPointOptions
{
    public const string Section = "TalkingPoints";

    /// <summary>Shown prominently; the rest are one tap away.</summary>
    public int Prominent { get; set; } = 3;
    public int HighIntentViews { get; set; } = 5;
    public int HighIntentDays { get; set; } = 14;
    public int TriedNotBoughtDays { get; set; } = 30;
    public int OnlineViewedDays { get; set; } = 14;
    public int ReservationDays { get; set; } = 14;
    public int UpsellPurchases { get; set; } = 4;
    public int UpsellDays { get; set; } = 90;
    /// <summary>"Mostly": the share of those purchases in the lowest third of their category's price range.</summary>
    public double UpsellLowPriceShare { get; set; } = 0.5;
    public int PointsExpiringDays { get; set; } = 30;
    public int LapsedDays { get; set; } = 120;

    /// <summary>
    /// What goes with what, in the catalogue's own category words (case does not matter), for the cross-sell point:
    /// <c>{ "Trousers": ["Belts", "Shirts"] }</c>. Empty: the demo's map. A category the map does not name gets no complement.
    /// </summary>
    public Dictionary<string, List<string>> Complements { get; set; } = [];

    private static readonly Dictionary<string, List<string>> DemoComplements = Catalog.Categories.All.ToDictionary(c => c.Id, c => c.Complements.ToList());

    public IReadOnlyList<string> ComplementsOf(string category) =>
        (Complements.Count > 0 ? Complements : DemoComplements).FirstOrDefault(c => string.Equals(c.Key, category, StringComparison.OrdinalIgnoreCase)).Value ?? [];
}

/// <summary>Online sales credited to the store (docs/settings.md, "Attribution").</summary>
public sealed class AttributionOptions
{
    public const string Section = "Attribution";

    /// <summary>An online order by the member within this many days of a used talking point or a follow-up credits that store.</summary>
    public int Days { get; set; } = 7;
}

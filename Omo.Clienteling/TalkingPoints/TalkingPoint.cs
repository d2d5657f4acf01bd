using Omo.Clienteling.Catalog;
using Omo.Clienteling.Members;

namespace Omo.Clienteling.TalkingPoints;

/// <summary>The rule ids: stable, stored with every feedback row and shown in the manager report.</summary>
public static class Rules
{
    public const string PickupWaiting = "pickup-waiting";
    public const string HighIntentCart = "high-intent-cart";
    public const string TriedNotBought = "tried-not-bought";
    public const string OnlineViewedInStock = "online-viewed-in-stock";
    public const string ReservationAbandoned = "reservation-abandoned";
    public const string CrossSellComplement = "cross-sell-complement";
    public const string UpsellFrequentLowPrice = "upsell-frequent-low-price";
    public const string PointsExpiring = "points-expiring";
    public const string BirthdayMonth = "birthday-month";
    public const string LapsedWelcomeBack = "lapsed-welcome-back";

    public static readonly IReadOnlyList<string> All =
    [
        PickupWaiting, HighIntentCart, TriedNotBought, OnlineViewedInStock, ReservationAbandoned,
        CrossSellComplement, UpsellFrequentLowPrice, PointsExpiring, BirthdayMonth, LapsedWelcomeBack,
    ];

    /// <summary>Rules that read online behaviour: never for a member without that consent.</summary>
    public static readonly IReadOnlySet<string> Online = new HashSet<string> { HighIntentCart, OnlineViewedInStock, ReservationAbandoned };
}

/// <summary>
/// A sentence to show, as a resource key and its arguments; the page renders it in the assistant's language.
/// Arguments may be <see cref="ProductInfo"/>, <see cref="Category"/>, <see cref="Term"/> or plain values.
/// </summary>
public sealed record Phrase(string Key, params object[] Args);

/// <summary>A word that is itself translated (a channel, a store), by its resource key.</summary>
public sealed record Term(string Key);

/// <summary>One thing worth saying to this customer now, with the facts behind it.</summary>
public sealed record TalkingPoint(string RuleId, double Score, Phrase Opening, IReadOnlyList<Phrase> Evidence, IReadOnlyList<ProfileItem> Products)
{
    /// <summary>The style this point is about, if any: no two points about one product.</summary>
    public string? ProductStyle => Products.FirstOrDefault()?.Product.StyleCode;
}

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
}

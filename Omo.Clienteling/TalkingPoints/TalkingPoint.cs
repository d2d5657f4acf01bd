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
    public const string FirstStoreVisit = "first-store-visit";

    public static readonly IReadOnlyList<string> All = TalkingPointEngine.Reasons.Select(r => r.Id).ToList();

    /// <summary>Rules that read online behaviour: never for a member without that consent.</summary>
    public static readonly IReadOnlySet<string> Online = TalkingPointEngine.Reasons.Where(r => r.NeedsOnlineConsent).Select(r => r.Id).ToHashSet();
}

/// <summary>
/// One reason to approach a customer: its id, the consent it needs, how it reads the profile, and (for the reasons a
/// manager sees at a glance) how several of its points make one line on the board.
/// </summary>
public sealed record ReasonRule(
    string Id, Func<TalkingPointEngine.Facts, IEnumerable<TalkingPoint>> Evaluate,
    bool NeedsOnlineConsent = false, bool NeedsMarketingConsent = false, Func<IReadOnlyList<Highlight>, Highlight>? OnTheBoard = null);

/// <summary>
/// A talking point's one-line form for the board and the check-in alerts: its rule id and the values its sentence
/// needs (a product comes as its English then its Japanese name; each language's sentence picks its own).
/// </summary>
public sealed record Highlight(string Key, IReadOnlyList<string> Args);

/// <summary>
/// A sentence to show, as a resource key and its arguments; the page renders it in the assistant's language.
/// Arguments may be <see cref="ProductInfo"/>, <see cref="Category"/>, <see cref="Term"/> or plain values.
/// </summary>
public sealed record Phrase(string Key, params object[] Args);

/// <summary>A word that is itself translated (a channel, a store), by its resource key.</summary>
public sealed record Term(string Key);

/// <summary>One thing worth saying to this customer now, with the facts behind it.</summary>
public sealed record TalkingPoint(string RuleId, double Score, Phrase Opening, IReadOnlyList<Phrase> Evidence, IReadOnlyList<ProfileItem> Products,
    Highlight? Headline = null)
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

namespace Omo.Clienteling.TalkingPoints;

/// <summary>The rule ids: stable, stored with every feedback row and shown in the manager report.</summary>
public static class Rules
{
    public const string PickupWaiting = "pickup-waiting";
    public const string AppointmentToday = "appointment-today";
    public const string HoldWaiting = "hold-waiting";
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

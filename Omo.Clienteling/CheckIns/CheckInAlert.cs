using Omo.Clienteling.Members;
using Omo.Clienteling.TalkingPoints;

namespace Omo.Clienteling.CheckIns;

/// <summary>
/// What the hub sends when a member checks in (DESIGN.md §3). <see cref="Highlights"/> are the contract's English lines;
/// <see cref="HighlightCodes"/> say the same as a key and its values, for clients that show them in another language.
/// </summary>
public sealed record CheckInAlert(
    long CheckInId, string StoreId, string MemberNo, string DisplayName, string Tier, DateTimeOffset OccurredAt, string Source,
    IReadOnlyList<string> Highlights, IReadOnlyList<Highlight> HighlightCodes, string? ClaimedBy = null, DateTimeOffset? ClaimedAt = null);

/// <summary>
/// One reason to go and greet this customer: a key ("pickup-ready") and the values its sentence needs (a product
/// comes as its English then its Japanese name; each language's sentence picks its own).
/// </summary>
public sealed record Highlight(string Key, IReadOnlyList<string> Args);

/// <summary>Sent when an assistant takes care of a checked-in customer, so nobody else approaches them too.</summary>
public sealed record ClaimNotice(long CheckInId, string StoreId, string StaffCode, string StaffName, DateTimeOffset ClaimedAt);

/// <summary>The manager's one-glance reasons, from the same unified profile the assistant will open.</summary>
public static class CheckInHighlights
{
    private static readonly Dictionary<string, string> English = new()
    {
        ["pickup-ready"] = "Click & collect order ready ({0})",
        ["high-intent-cart"] = "Cart: {0} items viewed {1}×",
        ["tried-on-last-time"] = "Tried on last time: {0}",
        ["points-expiring"] = "{0} points expire {1}",
        ["birthday"] = "Birthday this month",
        ["first-visit"] = "First visit to a store",
    };

    public static IReadOnlyList<Highlight> For(UnifiedProfile profile, DateTimeOffset now, TalkingPointOptions thresholds)
    {
        var list = new List<Highlight>();
        var ready = profile.Pickups.Where(o => o.Ready && o.AtThisStore).ToList();
        if (ready.Count > 0) list.Add(new("pickup-ready", [string.Join(", ", ready.Select(o => o.OrderId))]));

        // The cart only exists in the profile for members who consented to online behaviour.
        var since = now.AddDays(-thresholds.HighIntentDays);
        var hot = profile.Cart.Select(c => profile.Views.FirstOrDefault(v => v.Item.Product.Sku == c.Item.Product.Sku)?.ViewsSince(since) ?? 0)
            .Where(views => views >= thresholds.HighIntentViews).ToList();
        if (hot.Count > 0) list.Add(new("high-intent-cart", [hot.Count.ToString(), hot.Sum().ToString()]));

        // "Last time": tried on before today, recently enough to still be on their mind.
        if (profile.TryOns.FirstOrDefault() is { } tryOn && ShopTime.DayOf(tryOn.At) < ShopTime.DayOf(now) && tryOn.At >= now.AddDays(-thresholds.TriedNotBoughtDays))
            list.Add(new("tried-on-last-time", [tryOn.Item.Product.Name(japanese: false), tryOn.Item.Product.Name(japanese: true)]));

        if (profile.Member.PointsExpireOn is { } expires && profile.Member.Points > 0
            && expires <= ShopTime.DayOf(now).AddDays(thresholds.PointsExpiringDays))
            list.Add(new("points-expiring", [profile.Member.Points.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), expires.ToString("yyyy-MM-dd")]));

        if (profile.Member.BirthMonth == now.ToOffset(ShopTime.Offset).Month) list.Add(new("birthday", []));
        if (profile.Visits.Count <= 1 && !profile.Purchases.Any(p => p.Channel == "store")) list.Add(new("first-visit", []));
        return list;
    }

    public static string InEnglish(Highlight h) => string.Format(System.Globalization.CultureInfo.InvariantCulture, English[h.Key], [.. h.Args]);
}

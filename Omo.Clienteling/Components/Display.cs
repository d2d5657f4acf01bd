using System.Globalization;

namespace Omo.Clienteling.Components;

/// <summary>How dates, prices and store names read on the tablet, in the shop's time zone and the person's language.</summary>
public static class Display
{
    public static bool Japanese => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "ja";

    public static string When(DateTimeOffset at) =>
        at.ToOffset(ShopTime.Offset).ToString(Japanese ? "M/d (ddd) HH:mm" : "ddd d MMM HH:mm", CultureInfo.CurrentCulture);

    public static string Day(DateTimeOffset at) =>
        at.ToOffset(ShopTime.Offset).ToString(Japanese ? "yyyy/M/d" : "d MMM yyyy", CultureInfo.CurrentCulture);

    public static string Day(DateOnly day) => day.ToString(Japanese ? "yyyy/M/d" : "d MMM yyyy", CultureInfo.CurrentCulture);

    /// <summary>
    /// A Material icon (MudBlazor's SVG paths) as plain markup: for chrome that every tablet keeps on screen all day,
    /// where an icon component per glyph would sit in every circuit's render tree.
    /// </summary>
    public static Microsoft.AspNetCore.Components.MarkupString Icon(string svgPaths) =>
        new($"<svg class=\"omo-icon\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" focusable=\"false\">{svgPaths}</svg>");

    public static string Yen(long amount) => "¥" + amount.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Minutes left, rounded up: "locked for 15 more minutes" reads right from the first second.</summary>
    public static int Minutes(TimeSpan span) => Math.Max(1, (int)Math.Ceiling(span.TotalMinutes));

    /// <summary>Time since, for a live board: "3 min", "1 h 20 min".</summary>
    public static string Since(TimeSpan span) =>
        span.TotalMinutes < 1 ? (Japanese ? "たった今" : "just now")
        : span.TotalHours < 1 ? (Japanese ? $"{(int)span.TotalMinutes}分前" : $"{(int)span.TotalMinutes} min ago")
        : Japanese ? $"{(int)span.TotalHours}時間{span.Minutes}分前" : $"{(int)span.TotalHours} h {span.Minutes} min ago";

    /// <summary>What is wrong with a text someone typed, in the tablet's language.</summary>
    public static string Problem(Microsoft.Extensions.Localization.IStringLocalizer l, TextProblem problem) =>
        l[$"Text.{problem.Kind}", problem.MaxLength, problem.CodePoint.ToString("X4")];

    public static string Store(Catalog.StoreDirectory stores, string? storeId) =>
        storeId is null ? "" : stores.Find(storeId)?.Name(Japanese) ?? storeId;

    /// <summary>The tier's colour on chips, the same on the profile and the board.</summary>
    public static MudBlazor.Color TierColour(string tier) =>
        tier == Tier.Platinum.Wire ? MudBlazor.Color.Dark
        : tier == Tier.Gold.Wire ? MudBlazor.Color.Warning
        : tier == Tier.Silver.Wire ? MudBlazor.Color.Info
        : MudBlazor.Color.Default;
}

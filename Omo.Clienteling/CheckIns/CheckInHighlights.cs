using Omo.Clienteling.TalkingPoints;

namespace Omo.Clienteling.CheckIns;

/// <summary>The board's reasons in the contract's English lines (docs/hub.md), from the same resources the tablet shows.</summary>
public static class CheckInHighlights
{
    private static readonly System.Resources.ResourceManager Resources = new("Omo.Clienteling.Resources.SharedResource", typeof(SharedResource).Assembly);

    public static string InEnglish(Highlight h) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, Resources.GetString(h.ResourceKey, System.Globalization.CultureInfo.InvariantCulture)!, [.. h.Args]);
}

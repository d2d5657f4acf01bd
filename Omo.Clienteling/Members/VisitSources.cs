namespace Omo.Clienteling.Members;

/// <summary>How the assistant came to a profile: carried in the profile's address (<c>?via=scan&amp;by=point_card</c>).</summary>
public static class VisitSources
{
    public const string Scan = "scan", Camera = "camera", Search = "search", Link = "direct";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { Scan, Camera, Search, Link };
}

namespace Omo.Clienteling.Scanning;

public static class ScanningServiceCollectionExtensions
{
    public static IServiceCollection AddScanning(this IServiceCollection services)
    {
        services.AddScoped<ScanSession>();
        return services;
    }
}

/// <summary>How the member on screen was found (scan, camera, search), kept for the circuit so the profile can say it and the audit can record it.</summary>
public sealed class ScanSession
{
    public Members.MemberLookup? LastLookup { get; private set; }
    public string Source { get; private set; } = "direct";

    public void Found(Members.MemberLookup lookup, string source)
    {
        LastLookup = lookup;
        Source = source;
    }

    /// <summary>The way this member was found, if the last lookup on this tablet was for them.</summary>
    public (string Source, Members.MemberLookup? Lookup) For(long memberId) =>
        LastLookup?.MemberId == memberId ? (Source, LastLookup) : ("direct", null);
}

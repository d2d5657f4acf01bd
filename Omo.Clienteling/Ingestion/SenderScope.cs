using System.Security.Claims;

namespace Omo.Clienteling.Ingestion;

/// <summary>
/// What one sending system may send (docs/events-api.md, "Keys"): its key's event types, and the stores its events may
/// happen in (the envelope's storeId, an order's pickup shop). An empty list, or "*" among the stores, means all.
/// </summary>
public sealed record SenderScope(IReadOnlySet<string> Types, IReadOnlySet<string> Stores)
{
    /// <summary>Every type and store: the import command, run on the server by whoever runs it, names no key.</summary>
    public static SenderScope Everything { get; } = new(new HashSet<string>(), new HashSet<string>());

    /// <summary>The scope of the API key that signed the request in.</summary>
    public static SenderScope Of(ClaimsPrincipal caller) => new(
        caller.FindAll(ApiKeyClaims.EventType).Select(c => c.Value).ToHashSet(StringComparer.Ordinal),
        caller.FindAll(ApiKeyClaims.Store).Select(c => c.Value).ToHashSet(StringComparer.Ordinal));

    public bool MaySend(string type) => Types.Count == 0 || Types.Contains(type);

    public bool MaySpeakFor(string storeId) => Stores.Count == 0 || Stores.Contains(ApiKeyClaims.AllStores) || Stores.Contains(storeId);
}

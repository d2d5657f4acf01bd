using Omo.Clienteling.TalkingPoints;

namespace Omo.Clienteling.CheckIns;

/// <summary>
/// What the hub sends when a member checks in (docs/hub.md). <see cref="Highlights"/> are the contract's English lines;
/// <see cref="HighlightCodes"/> say the same as a key and its values, for clients that show them in another language.
/// </summary>
public sealed record CheckInAlert(
    long CheckInId, string StoreId, string MemberNo, string DisplayName, string Tier, DateTimeOffset OccurredAt, string Source,
    IReadOnlyList<string> Highlights, IReadOnlyList<Highlight> HighlightCodes, string? ClaimedBy = null, DateTimeOffset? ClaimedAt = null);

/// <summary>Sent when an assistant takes care of a checked-in customer, so nobody else approaches them too.</summary>
public sealed record ClaimNotice(long CheckInId, string StoreId, string StaffCode, string StaffName, DateTimeOffset ClaimedAt);

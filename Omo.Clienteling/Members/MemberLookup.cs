using Omo.Clienteling.Scanning;

namespace Omo.Clienteling.Members;

/// <summary>The end of a lookup: the outcome, and for a found member who it is and through which identifier.</summary>
public sealed record MemberLookup(string Input, LookupOutcome Outcome, long? MemberId, MemberCode? MatchedBy, bool ViaMerge, MalformedReason? Reason)
{
    public string? MemberNo => MemberId is { } id ? MemberNumber.Format(id) : null;
}

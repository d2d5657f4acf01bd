using Dapper;
using Omo.Clienteling.Data;
using Omo.Clienteling.Scanning;

namespace Omo.Clienteling.Members;

/// <summary>The end of a lookup: the outcome, and for a found member who it is and through which identifier.</summary>
public sealed record MemberLookup(string Input, LookupOutcome Outcome, long? MemberId, MemberCode? MatchedBy, bool ViaMerge, MalformedReason? Reason)
{
    public string? MemberNo => MemberId is { } id ? MemberNumber.Format(id) : null;
}

/// <summary>Turns a parsed code into exactly one outcome, following merges to the surviving member.</summary>
public sealed class IdentityResolver(OmoDatabase database)
{
    private sealed class Row
    {
        public long IdentifiedMemberId { get; init; }
        public string Status { get; init; } = "";
        public long MemberId { get; init; }
        public long? ErasedAt { get; init; }
        public bool MemberExists { get; init; }
    }

    public MemberLookup Resolve(ParsedMemberCode parsed)
    {
        if (parsed.Failure is { } failure) return new MemberLookup(parsed.Normalised, failure, null, null, false, parsed.Reason);
        var code = parsed.Code!;
        using var connection = database.Open();
        // merge records are kept flat (a merge re-points earlier merges), so one hop reaches the survivor.
        var row = code.Kind == IdentifierKind.MemberNumber
            ? connection.QuerySingleOrDefault<Row>("""
                SELECT m0.member_id AS IdentifiedMemberId, 'active' AS Status, COALESCE(mm.survivor_member_id, m0.member_id) AS MemberId,
                       m.erased_at AS ErasedAt, m.member_id IS NOT NULL AS MemberExists
                FROM members m0
                LEFT JOIN member_merges mm ON mm.merged_member_id = m0.member_id
                LEFT JOIN members m ON m.member_id = COALESCE(mm.survivor_member_id, m0.member_id)
                WHERE m0.member_id = @id
                """, new { id = long.Parse(code.Value) })
            : connection.QuerySingleOrDefault<Row>("""
                SELECT i.member_id AS IdentifiedMemberId, i.status AS Status, COALESCE(mm.survivor_member_id, i.member_id) AS MemberId,
                       m.erased_at AS ErasedAt, m.member_id IS NOT NULL AS MemberExists
                FROM member_identifiers i
                LEFT JOIN member_merges mm ON mm.merged_member_id = i.member_id
                LEFT JOIN members m ON m.member_id = COALESCE(mm.survivor_member_id, i.member_id)
                WHERE i.kind = @kind AND i.value = @value
                """, new { kind = code.StoredKind, value = code.Value });

        MemberLookup End(LookupOutcome outcome) => new(parsed.Normalised, outcome, outcome == LookupOutcome.Found ? row!.MemberId : null, code,
            row is not null && row.MemberId != row.IdentifiedMemberId, null);
        if (row is null || !row.MemberExists) return End(LookupOutcome.Unknown);
        if (row.ErasedAt is not null) return End(LookupOutcome.Erased);
        if (row.Status == "revoked") return End(LookupOutcome.Revoked);
        return End(LookupOutcome.Found);
    }
}

/// <summary>Scan or typed text in, lookup out: the parser with this app's key and clock, then the resolver.</summary>
public sealed class MemberLookupService(IdentityResolver resolver, Microsoft.Extensions.Options.IOptions<MemberCodeOptions> options, TimeProvider clock)
{
    private readonly byte[] _key = options.Value.KeyBytes();

    public MemberLookup Lookup(string? input) => resolver.Resolve(MemberCodeParser.Parse(input, _key, clock.GetUtcNow()));
}

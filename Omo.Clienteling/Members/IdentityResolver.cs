using System.Data.Common;
using Dapper;
using Omo.Clienteling.Data;
using Omo.Clienteling.Scanning;

namespace Omo.Clienteling.Members;

/// <summary>Turns a parsed code into exactly one outcome, following merges to the surviving member.</summary>
public sealed class IdentityResolver(OmoDatabase database)
{
    /// <summary>Lookups by outcome (a scan that finds nobody is worth watching for), as the metric omo.member.lookups.</summary>
    public static readonly System.Diagnostics.Metrics.Counter<long> Lookups =
        new System.Diagnostics.Metrics.Meter("Omo.Clienteling").CreateCounter<long>("omo.member.lookups", description: "Codes and member numbers looked up, by outcome");

    public async Task<MemberLookup> ResolveAsync(ParsedMemberCode parsed, CancellationToken cancellationToken = default)
    {
        var lookup = await FindMemberAsync(parsed, cancellationToken);
        Lookups.Add(1, new KeyValuePair<string, object?>("outcome", lookup.Outcome.ToString()));
        return lookup;
    }

    private async Task<MemberLookup> FindMemberAsync(ParsedMemberCode parsed, CancellationToken cancellationToken)
    {
        if (parsed.Failure is { } failure) return new MemberLookup(parsed.Normalised, failure, null, null, false, parsed.Reason);
        await using var connection = await database.OpenAsync(cancellationToken);
        var found = await FindAsync(connection, null, parsed.Code!);
        return new MemberLookup(parsed.Normalised, found.Outcome, found.MemberId, parsed.Code, found.ViaMerge, null);
    }

    /// <summary>
    /// The identifier's member, following a merge to the survivor, on the caller's connection (ingestion resolves
    /// inside its batch transaction). <see cref="ResolvedIdentity.MemberId"/> is set only when found.
    /// </summary>
    public static async Task<ResolvedIdentity> FindAsync(DbConnection connection, DbTransaction? transaction, MemberCode code)
    {
        var row = code.Kind == IdentifierKind.MemberNumber
            ? await connection.QuerySingleOrDefaultAsync<Row>(ByMemberNumber("m0.member_id = @id"), new { id = long.Parse(code.Value) }, transaction)
            : await connection.QuerySingleOrDefaultAsync<Row>(ByIdentifier("i.value = @value"), new { kind = code.StoredKind, value = code.Value }, transaction);
        return await OutcomeAsync(connection, transaction, code, row);
    }

    /// <summary>
    /// Many identifiers at once, one query per kind (an events batch names a few dozen members): the same answers as
    /// <see cref="FindAsync"/> for each.
    /// </summary>
    public static async Task<Dictionary<MemberCode, ResolvedIdentity>> FindManyAsync(SqlDialect dialect, DbConnection connection, DbTransaction? transaction, IEnumerable<MemberCode> codes)
    {
        var found = new Dictionary<MemberCode, ResolvedIdentity>();
        foreach (var kind in codes.Distinct().GroupBy(c => c.Kind == IdentifierKind.MemberNumber ? null : c.StoredKind))
        {
            var rows = kind.Key is null
                ? await connection.QueryAsync<Row>(ByMemberNumber($"m0.member_id {dialect.InArray("@ids")}"),
                    new { ids = dialect.Array(kind.Select(c => long.Parse(c.Value))) }, transaction)
                : await connection.QueryAsync<Row>(ByIdentifier($"i.value {dialect.InArray("@values")}"),
                    new { kind = kind.Key, values = dialect.Array(kind.Select(c => c.Value)) }, transaction);
            var byValue = rows.ToDictionary(r => r.Value);
            foreach (var code in kind)
                found[code] = await OutcomeAsync(connection, transaction, code, byValue.GetValueOrDefault(kind.Key is null ? long.Parse(code.Value).ToString() : code.Value));
        }
        return found;
    }

    // Merge records are kept flat (a merge re-points earlier merges), so one hop reaches the survivor.
    private static string ByMemberNumber(string where) => $"""
        SELECT CAST(m0.member_id AS TEXT) AS Value, m0.member_id AS IdentifiedMemberId, 'active' AS Status,
               COALESCE(mm.survivor_member_id, m0.member_id) AS MemberId, m.erased_at AS ErasedAt, m.member_id IS NOT NULL AS MemberExists
        FROM members m0
        LEFT JOIN member_merges mm ON mm.merged_member_id = m0.member_id
        LEFT JOIN members m ON m.member_id = COALESCE(mm.survivor_member_id, m0.member_id)
        WHERE {where}
        """;

    private static string ByIdentifier(string where) => $"""
        SELECT i.value AS Value, i.member_id AS IdentifiedMemberId, i.status AS Status, COALESCE(mm.survivor_member_id, i.member_id) AS MemberId,
               m.erased_at AS ErasedAt, m.member_id IS NOT NULL AS MemberExists
        FROM member_identifiers i
        LEFT JOIN member_merges mm ON mm.merged_member_id = i.member_id
        LEFT JOIN members m ON m.member_id = COALESCE(mm.survivor_member_id, i.member_id)
        WHERE i.kind = @kind AND {where}
        """;

    private static async Task<ResolvedIdentity> OutcomeAsync(DbConnection connection, DbTransaction? transaction, MemberCode code, Row? row)
    {
        if (row is null || !row.MemberExists)
            return new(await MemberEraser.WasErasedAsync(connection, transaction, code) ? LookupOutcome.Erased : LookupOutcome.Unknown, null, null, false);
        var viaMerge = row.MemberId != row.IdentifiedMemberId;
        var outcome = row.ErasedAt is not null ? LookupOutcome.Erased : row.Status == "revoked" ? LookupOutcome.Revoked : LookupOutcome.Found;
        return new(outcome, outcome == LookupOutcome.Found ? row.MemberId : null, row.MemberId, viaMerge);
    }

    private sealed class Row
    {
        public string Value { get; init; } = "";
        public long IdentifiedMemberId { get; init; }
        public string Status { get; init; } = "";
        public long MemberId { get; init; }
        public long? ErasedAt { get; init; }
        public bool MemberExists { get; init; }
    }
}

/// <summary>What an identifier resolves to: the outcome, the member when found, and the record it belongs to in any case.</summary>
public sealed record ResolvedIdentity(LookupOutcome Outcome, long? MemberId, long? OwnerId, bool ViaMerge);

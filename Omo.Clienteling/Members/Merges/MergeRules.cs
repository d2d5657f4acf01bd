using System.Data.Common;
using System.Text;
using Dapper;

namespace Omo.Clienteling.Members;

/// <summary>
/// When a link that would merge two members waits for a manager instead (docs/settings.md, "Merges"). Each rule can be
/// switched off; a link that trips none is merged at once.
/// </summary>
public sealed class MergeOptions
{
    public const string Section = "Merges";

    /// <summary>Both records bought in a shop within this many days: likely two people (0 switches the rule off).</summary>
    public int HoldWhenBothBoughtInStoreWithinDays { get; set; } = 365;

    /// <summary>Both records have a birth month, and they differ.</summary>
    public bool HoldWhenBirthMonthsDiffer { get; set; } = true;

    /// <summary>Both records have a name, and neither the written names nor their readings agree.</summary>
    public bool HoldWhenNamesDiffer { get; set; } = true;

    /// <summary>
    /// How long a merge can be split. After that it is final: its journal entry forgets the merged record's personal
    /// data, and the database's old copies of it are scrubbed (<see cref="MergeJournalKeeper"/>).
    /// </summary>
    public int SplitWithinDays { get; set; } = 90;

    public TimeSpan SplitWindow => TimeSpan.FromDays(SplitWithinDays);
}

/// <summary>What makes a merge of two members risky, from one read of both.</summary>
public static class MergeRules
{
    public static async Task<IReadOnlyList<MergeRisk>> AssessAsync(DbConnection c, DbTransaction t, long a, long b, DateTimeOffset now, MergeOptions options)
    {
        var since = now.AddDays(-options.HoldWhenBothBoughtInStoreWithinDays);
        var members = (await c.QueryAsync<Candidate>("""
            SELECT m.family_name, m.given_name, m.family_name_kana, m.given_name_kana, m.birth_month,
                   EXISTS (SELECT 1 FROM receipts r WHERE r.member_id = m.member_id AND r.kind = @sale AND r.occurred_at >= @since) AS bought_in_store
            FROM members m WHERE m.member_id IN (@a, @b)
            """, new { a, b, since, sale = ReceiptKind.Sale }, t)).ToList();
        if (members.Count != 2) return [];
        var (x, y) = (members[0], members[1]);
        var risks = new List<MergeRisk>();
        if (options.HoldWhenBothBoughtInStoreWithinDays > 0 && x.BoughtInStore && y.BoughtInStore) risks.Add(MergeRisk.BothBoughtInStore);
        if (options.HoldWhenBirthMonthsDiffer && x.BirthMonth is { } bx && y.BirthMonth is { } by && bx != by) risks.Add(MergeRisk.BirthMonthsDiffer);
        if (options.HoldWhenNamesDiffer && NamesDiffer(x, y)) risks.Add(MergeRisk.NamesDiffer);
        return risks;
    }

    /// <summary>
    /// Two names differ when both are known and neither the written names nor the readings agree: 髙橋 and 高橋 read the
    /// same, and "Sato  Misaki" is "sato misaki". A record without a name (a web-shop account) differs from nobody.
    /// </summary>
    public static bool NamesDiffer(Candidate x, Candidate y)
    {
        var (written, reading) = (Same(x.FamilyName, x.GivenName, y.FamilyName, y.GivenName), Same(x.FamilyNameKana, x.GivenNameKana, y.FamilyNameKana, y.GivenNameKana));
        return written == false && reading != true || reading == false && written != true;
    }

    /// <summary>Whether two names agree; null when either is not known.</summary>
    private static bool? Same(string? family1, string? given1, string? family2, string? given2)
    {
        var (one, two) = (Normalise(family1, given1), Normalise(family2, given2));
        return one.Length == 0 || two.Length == 0 ? null : one == two;
    }

    private static string Normalise(string? family, string? given) =>
        new string((family + given).Normalize(NormalizationForm.FormKC).Where(ch => !char.IsWhiteSpace(ch)).ToArray()).ToLowerInvariant();

    public sealed class Candidate
    {
        public string? FamilyName { get; init; }
        public string? GivenName { get; init; }
        public string? FamilyNameKana { get; init; }
        public string? GivenNameKana { get; init; }
        public int? BirthMonth { get; init; }
        public bool BoughtInStore { get; init; }
    }
}

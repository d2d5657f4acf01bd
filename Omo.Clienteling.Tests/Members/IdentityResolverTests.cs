using System.Text;
using Dapper;
using Omo.Clienteling.Members;
using Omo.Clienteling.Scanning;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.Members;

public class IdentityResolverTests : IDisposable
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("test-app-code-key-0123456789");
    private readonly TestDatabase _db = new TestDatabase().WithDemoData();
    private readonly IdentityResolver _resolver;

    public IdentityResolverTests() => _resolver = new IdentityResolver(_db.Database);

    private MemberLookup Lookup(string input) => _resolver.Resolve(MemberCodeParser.Parse(input, Key, TestDatabase.Now));

    [Fact]
    public void A_persona_point_card_is_found_through_the_card()
    {
        var lookup = Lookup("2900000000018");
        Assert.Equal(LookupOutcome.Found, lookup.Outcome);
        Assert.Equal(1, lookup.MemberId);
        Assert.Equal(IdentifierKind.PointCard, lookup.MatchedBy?.Kind);
        Assert.False(lookup.ViaMerge);
    }

    [Fact]
    public void A_valid_app_code_email_and_member_number_find_the_member()
    {
        Assert.Equal(2, Lookup(AppCode.Create(Key, "0000000002", TestDatabase.Now)).MemberId);
        Assert.Equal(1, Lookup("misaki.sato@example.jp").MemberId);
        Assert.Equal(1, Lookup("EC-00000001").MemberId);
        Assert.Equal(3, Lookup("0000000003").MemberId);
    }

    [Fact]
    public void A_merged_identifier_and_the_merged_member_number_lead_to_the_survivor()
    {
        var byAccount = Lookup("EC-1000000009");
        Assert.Equal((LookupOutcome.Found, 9L), (byAccount.Outcome, byAccount.MemberId!.Value));
        var byOldNumber = Lookup("1000000009");
        Assert.Equal((LookupOutcome.Found, 9L, true), (byOldNumber.Outcome, byOldNumber.MemberId!.Value, byOldNumber.ViaMerge));
    }

    [Fact]
    public void A_well_formed_code_nobody_has_is_unknown()
    {
        Assert.Equal(LookupOutcome.Unknown, Lookup("2900099999996").Outcome);
        Assert.Equal(LookupOutcome.Unknown, Lookup("EC-99999999").Outcome);
        Assert.Equal(LookupOutcome.Unknown, Lookup("9999999999").Outcome);
    }

    [Fact]
    public void A_card_reported_lost_is_revoked()
    {
        using var c = _db.Open();
        var revoked = c.QueryFirst<string>("SELECT value FROM member_identifiers WHERE kind = 'point_card' AND status = 'revoked'");
        Assert.Equal(LookupOutcome.Revoked, Lookup(revoked).Outcome);
    }

    [Fact]
    public void An_erased_member_is_erased_whatever_identifier_is_scanned()
    {
        using (var c = _db.Open()) c.Execute("UPDATE members SET erased_at = 1, family_name = NULL WHERE member_id = 4");
        Assert.Equal(LookupOutcome.Erased, Lookup("2900000000049").Outcome);
        Assert.Equal(LookupOutcome.Erased, Lookup("0000000004").Outcome);
        Assert.Null(Lookup("2900000000049").MemberId);
    }

    [Fact]
    public void Parser_failures_pass_through_as_the_outcome()
    {
        Assert.Equal(LookupOutcome.Malformed, Lookup("2900000000019").Outcome);
        Assert.Equal(LookupOutcome.Expired, Lookup(AppCode.Create(Key, "0000000002", TestDatabase.Now.AddMinutes(-5))).Outcome);
        Assert.Equal(LookupOutcome.Forged, Lookup(AppCode.Create(Encoding.UTF8.GetBytes("wrong-key-0123456789abc"), "0000000002", TestDatabase.Now)).Outcome);
    }

    public void Dispose() => _db.Dispose();
}

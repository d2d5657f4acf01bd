using System.Text;
using Dapper;
using Omo.Clienteling.Members;
using Omo.Clienteling.Scanning;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.Members;

public abstract class IdentityResolverTests(DatabaseProvider provider) : IAsyncLifetime
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("test-app-code-key-0123456789");
    private TestDatabase _db = null!;
    private IdentityResolver _resolver = null!;

    public async Task InitializeAsync()
    {
        _db = await (await TestDatabase.CreateAsync(provider)).WithDemoDataAsync();
        _resolver = new IdentityResolver(_db.Database);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private Task<MemberLookup> Lookup(string input) => _resolver.ResolveAsync(MemberCodeParser.Parse(input, Key, TestDatabase.Now));

    [Fact]
    public async Task A_persona_point_card_is_found_through_the_card()
    {
        var lookup = (await Lookup("2900000000018"));
        Assert.Equal(LookupOutcome.Found, lookup.Outcome);
        Assert.Equal(1, lookup.MemberId);
        Assert.Equal(IdentifierKind.PointCard, lookup.MatchedBy?.Kind);
        Assert.False(lookup.ViaMerge);
    }

    [Fact]
    public async Task A_valid_app_code_email_and_member_number_find_the_member()
    {
        Assert.Equal(2, (await Lookup(AppCode.Create(Key, "0000000002", TestDatabase.Now))).MemberId);
        Assert.Equal(1, (await Lookup("misaki.sato@example.jp")).MemberId);
        Assert.Equal(1, (await Lookup("EC-00000001")).MemberId);
        Assert.Equal(3, (await Lookup("0000000003")).MemberId);
    }

    [Fact]
    public async Task A_merged_identifier_and_the_merged_member_number_lead_to_the_survivor()
    {
        var byAccount = (await Lookup("EC-1000000009"));
        Assert.Equal((LookupOutcome.Found, 9L), (byAccount.Outcome, byAccount.MemberId!.Value));
        var byOldNumber = (await Lookup("1000000009"));
        Assert.Equal((LookupOutcome.Found, 9L, true), (byOldNumber.Outcome, byOldNumber.MemberId!.Value, byOldNumber.ViaMerge));
    }

    [Fact]
    public async Task A_well_formed_code_nobody_has_is_unknown()
    {
        Assert.Equal(LookupOutcome.Unknown, (await Lookup("2900099999996")).Outcome);
        Assert.Equal(LookupOutcome.Unknown, (await Lookup("EC-99999999")).Outcome);
        Assert.Equal(LookupOutcome.Unknown, (await Lookup("9999999999")).Outcome);
    }

    [Fact]
    public async Task A_card_reported_lost_is_revoked()
    {
        await using var c = await _db.OpenAsync();
        var revoked = await c.QueryFirstAsync<string>("SELECT value FROM member_identifiers WHERE kind = 'point_card' AND status = 'revoked'");
        Assert.Equal(LookupOutcome.Revoked, (await Lookup(revoked)).Outcome);
    }

    [Fact]
    public async Task An_erased_member_is_erased_whatever_identifier_is_scanned()
    {
        await using (var c = await _db.OpenAsync()) await c.ExecuteAsync("UPDATE members SET erased_at = 1, family_name = NULL WHERE member_id = 4");
        Assert.Equal(LookupOutcome.Erased, (await Lookup("2900000000049")).Outcome);
        Assert.Equal(LookupOutcome.Erased, (await Lookup("0000000004")).Outcome);
        Assert.Null((await Lookup("2900000000049")).MemberId);
    }

    [Fact]
    public async Task Parser_failures_pass_through_as_the_outcome()
    {
        Assert.Equal(LookupOutcome.Malformed, (await Lookup("2900000000019")).Outcome);
        Assert.Equal(LookupOutcome.Expired, (await Lookup(AppCode.Create(Key, "0000000002", TestDatabase.Now.AddMinutes(-5)))).Outcome);
        Assert.Equal(LookupOutcome.Forged, (await Lookup(AppCode.Create(Encoding.UTF8.GetBytes("wrong-key-0123456789abc"), "0000000002", TestDatabase.Now))).Outcome);
    }

    public sealed class OnSqlite() : IdentityResolverTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : IdentityResolverTests(DatabaseProvider.Postgres);
}

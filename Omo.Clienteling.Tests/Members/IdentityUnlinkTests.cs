using System.Net;
using Dapper;
using Omo.Clienteling.Data;
using Omo.Clienteling.Ingestion;
using Omo.Clienteling.Tests.Support;
using static Omo.Clienteling.Tests.Support.Events;

namespace Omo.Clienteling.Tests.Members;

/// <summary>A web-shop account the customer unlinked: later scans of it find nobody; the member keeps a way to be found.</summary>
public abstract class IdentityUnlinkTests(AppServer server)
{
    private readonly HttpClient _api = server.ClientWithKey(ApiKeyOptions.DemoKey);

    private async Task<(long Id, object Card, object Account)> NewMemberWithAccountAsync()
    {
        var id = NewMemberId();
        var (account, card) = (Identity("ec_account", $"EC-{id}"), Card(CardOf(id)));
        var (_, body) = await PostAsync(_api, Event("member_upserted", null, new
        {
            memberNo = id.ToString("D10"), familyName = "連携", givenName = "解除", consent = new { onlineBehaviour = true, marketing = false },
            identities = new[] { card, account },
        }, at: DateTimeOffset.UtcNow.AddDays(-1)));
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        return (id, card, account);
    }

    private async Task<HttpStatusCode> LookupAsync(string code) =>
        (await _api.GetAsync($"/api/v1/members/{Uri.EscapeDataString(code)}/profile?store=S01")).StatusCode;

    [Fact]
    public async Task An_unlinked_account_scans_as_unknown_the_card_still_finds_the_member_and_it_is_audited()
    {
        var (id, card, account) = await NewMemberWithAccountAsync();
        Assert.Equal(HttpStatusCode.OK, await LookupAsync($"EC-{id}"));

        var (_, body) = await PostAsync(_api, Event("identity_unlinked", card, new { identity = account }));
        Assert.True(body.GetProperty("accepted").GetInt32() == 1, body.ToString());

        Assert.Equal(HttpStatusCode.NotFound, await LookupAsync($"EC-{id}"));
        Assert.Equal(HttpStatusCode.OK, await LookupAsync(CardOf(id)));
        await using var c = await server.OpenAsync();
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE action = 'identity_unlinked' AND member_id = @id", new { id }));
    }

    [Fact]
    public async Task Unlinking_the_last_identifier_another_members_or_an_unknown_one_is_refused_and_changes_nothing()
    {
        var (id, card, account) = await NewMemberWithAccountAsync();
        var (other, _, otherAccount) = await NewMemberWithAccountAsync();
        var (_, body) = await PostAsync(_api,
            Event("identity_unlinked", card, new { identity = otherAccount }),
            Event("identity_unlinked", card, new { identity = Identity("ec_account", "EC-9999999999") }),
            Event("identity_unlinked", card, new { identity = account }),
            Event("identity_unlinked", card, new { identity = card }));
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        var titles = body.GetProperty("rejected").EnumerateArray().ToDictionary(r => r.GetProperty("index").GetInt32(), r => r.GetProperty("title").GetString());
        Assert.Equal("Identifier of another member", titles[0]);
        Assert.Equal("Unknown identifier", titles[1]);
        Assert.Equal("Last identifier", titles[3]);
        Assert.Equal(HttpStatusCode.OK, await LookupAsync(CardOf(id)));
        Assert.Equal(HttpStatusCode.OK, await LookupAsync($"EC-{other}"));
    }

    [Fact]
    public async Task A_merged_member_s_profile_says_which_record_was_merged_in_and_when()
    {
        var profile = await ProfileAsync(_api, "2900000000094");
        var merged = Assert.Single(profile.GetProperty("mergedFrom").EnumerateArray());
        Assert.Equal(1_000_000_009, merged.GetProperty("memberId").GetInt64());
    }

    public sealed class OnSqlite(SqliteAppServer server) : IdentityUnlinkTests(server), IClassFixture<SqliteAppServer>;

    public sealed class OnPostgres(PostgresAppServer server) : IdentityUnlinkTests(server), IClassFixture<PostgresAppServer>;
}

/// <summary>The real app on SQLite, seeded with the demo.</summary>
public sealed class SqliteAppServer() : AppServer(DatabaseProvider.Sqlite);

/// <summary>The real app on PostgreSQL, seeded with the demo.</summary>
public sealed class PostgresAppServer() : AppServer(DatabaseProvider.Postgres);

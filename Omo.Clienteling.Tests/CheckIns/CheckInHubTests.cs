using Omo.Clienteling.Scanning;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Omo.Clienteling.CheckIns;
using Omo.Clienteling.Ingestion;
using Omo.Clienteling.Members;
using Omo.Clienteling.Tests.Support;
using static Omo.Clienteling.Tests.Support.Events;

namespace Omo.Clienteling.Tests.CheckIns;

/// <summary>The app with store-scoped check-in keys beside the demo key (which reads every store).</summary>
public abstract class CheckInServer(DatabaseProvider provider) : AppServer(provider, new Dictionary<string, string?>
{
    ["ApiKeys:Keys:1:System"] = "board-s01",
    ["ApiKeys:Keys:1:KeySha256"] = ApiKeyOptions.Hash("board-s01-key"),
    ["ApiKeys:Keys:1:Permissions:0"] = "checkins:read",
    ["ApiKeys:Keys:1:Stores:0"] = "S01",
    ["ApiKeys:Keys:2:System"] = "board-s02",
    ["ApiKeys:Keys:2:KeySha256"] = ApiKeyOptions.Hash("board-s02-key"),
    ["ApiKeys:Keys:2:Permissions:0"] = "checkins:read",
    ["ApiKeys:Keys:2:Stores:0"] = "S02",
    ["ApiKeys:Keys:3:System"] = "reader",
    ["ApiKeys:Keys:3:KeySha256"] = ApiKeyOptions.Hash("reader-key"),
    ["ApiKeys:Keys:3:Permissions:0"] = "profiles:read",
})
{
    public sealed class OnSqlite() : CheckInServer(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : CheckInServer(DatabaseProvider.Postgres);
}

public abstract class CheckInHubTests(CheckInServer app)
{
    private readonly HttpClient _app = app.ClientWithKey(ApiKeyOptions.DemoKey);

    /// <summary>A new member who checks in at <paramref name="store"/>: the member number, as the alert names it.</summary>
    private async Task<string> ArriveAsync(string store, DateTimeOffset? at = null, long? memberId = null, bool withApp = false)
    {
        var id = memberId ?? NewMemberId();
        var events = new List<object>();
        if (memberId is null) events.Add(NewMember(id));
        var identity = withApp ? Identity("app_member", MemberNumber.Format(id)) : Card(CardOf(id));
        events.Add(Event("store_checked_in", identity, new { source = "app" }, storeId: store, at: at));
        var (_, body) = await PostAsync(_app, [.. events]);
        Assert.Equal(events.Count, body.GetProperty("accepted").GetInt32());
        return MemberNumber.Format(id);
    }

    [Fact]
    public async Task A_check_in_posted_through_the_api_reaches_its_store_and_not_another()
    {
        await using var shibuya = await CheckInListener.ConnectAsync(app.BaseUrl, "board-s01-key");
        await using var shinjuku = await CheckInListener.ConnectAsync(app.BaseUrl, "board-s02-key");
        var (_, cookies) = await StaffSession.SignInAsync(app, "A001");
        await using var assistant = await CheckInListener.ConnectAsync(app.BaseUrl, cookies: cookies);

        var member = await ArriveAsync("S01");
        var alert = await shibuya.AlertFor(member);
        Assert.Equal(("S01", "試験 花子", "silver", "app"), (alert.StoreId, alert.DisplayName, alert.Tier, alert.Source));
        Assert.Contains("First visit to a store", alert.Highlights);
        Assert.Contains(alert.HighlightCodes, h => h.Key == Omo.Clienteling.TalkingPoints.Rules.FirstStoreVisit);
        await assistant.AlertFor(member);

        // A check-in at Shinjuku afterwards: once it has arrived, Shinjuku has had every chance to get Shibuya's.
        var other = await ArriveAsync("S02");
        await shinjuku.AlertFor(other);
        Assert.DoesNotContain(shinjuku.Alerts, a => a.MemberNo == member);
        Assert.DoesNotContain(shibuya.Alerts, a => a.MemberNo == other);
        Assert.DoesNotContain(assistant.Alerts, a => a.MemberNo == other);
    }

    [Fact]
    public async Task A_deactivated_managers_open_connection_cannot_claim_and_is_closed()
    {
        var (_, cookies) = await StaffSession.SignInAsync(app, "M001");
        await using var manager = await CheckInListener.ConnectAsync(app.BaseUrl, cookies: cookies);
        var closed = new TaskCompletionSource();
        manager.Connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        var alert = await manager.AlertFor(await ArriveAsync("S01"));

        var admin = new Omo.Clienteling.Staff.StaffMember("X001", "管理者", Omo.Clienteling.Staff.StaffRoles.Admin, "S01");
        var directory = app.Services.GetRequiredService<Omo.Clienteling.Staff.StaffDirectory>();
        await directory.SetActiveAsync("M001", false, admin);
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => manager.Connection.InvokeAsync<ClaimNotice>("Claim", alert.CheckInId));
            await closed.Task.WaitAsync(TimeSpan.FromSeconds(15));
            await using var c = await app.OpenAsync();
            Assert.Null(await Dapper.SqlMapper.ExecuteScalarAsync<string>(c, "SELECT claimed_by FROM check_ins WHERE check_in_id = @CheckInId", new { alert.CheckInId }));
        }
        finally
        {
            await directory.SetActiveAsync("M001", true, admin);
        }
    }

    [Fact]
    public async Task A_persona_s_alert_carries_the_highlights_a_manager_decides_on()
    {
        await using var shibuya = await CheckInListener.ConnectAsync(app.BaseUrl, "board-s01-key");
        // Persona 5's click & collect order is ready at Shibuya; persona 2 has a coat viewed 6 times in her cart.
        await ArriveAsync("S01", memberId: 5, withApp: true);
        await ArriveAsync("S01", memberId: 2, withApp: true);
        Assert.Contains((await shibuya.AlertFor("0000000005")).Highlights, h => h.StartsWith("Click & collect order ready"));
        Assert.Contains((await shibuya.AlertFor("0000000002")).Highlights, h => h.StartsWith("Cart: 1 items viewed"));
    }

    [Fact]
    public async Task A_claim_is_seen_by_the_others_and_only_staff_of_the_store_can_claim()
    {
        await using var board = await CheckInListener.ConnectAsync(app.BaseUrl, "board-s01-key");
        var (_, a001) = await StaffSession.SignInAsync(app, "A001");
        await using var assistant = await CheckInListener.ConnectAsync(app.BaseUrl, cookies: a001);
        var member = await ArriveAsync("S01");
        var alert = await board.AlertFor(member);

        await Assert.ThrowsAsync<HubException>(() => board.Connection.InvokeAsync<ClaimNotice>("Claim", alert.CheckInId));
        var (_, a002) = await StaffSession.SignInAsync(app, "A002");
        await using (var shinjuku = await CheckInListener.ConnectAsync(app.BaseUrl, cookies: a002))
            Assert.Contains("another store", (await Assert.ThrowsAsync<HubException>(() => shinjuku.Connection.InvokeAsync<ClaimNotice>("Claim", alert.CheckInId))).Message);

        var claim = await assistant.Connection.InvokeAsync<ClaimNotice>("Claim", alert.CheckInId);
        Assert.Equal(("A001", "青木 あかり"), (claim.StaffCode, claim.StaffName));
        Assert.Equal("青木 あかり", (await board.ClaimOf(alert.CheckInId)).StaffName);

        // The second assistant to try learns who has it already.
        var (_, m001) = await StaffSession.SignInAsync(app, "M001");
        await using var manager = await CheckInListener.ConnectAsync(app.BaseUrl, cookies: m001);
        Assert.Equal("A001", (await manager.Connection.InvokeAsync<ClaimNotice>("Claim", alert.CheckInId)).StaffCode);
        Assert.Equal("青木 あかり", (await manager.Connection.InvokeAsync<List<CheckInAlert>>("GetRecent", alert.OccurredAt)).Single(a => a.CheckInId == alert.CheckInId).ClaimedBy);
    }

    [Fact]
    public async Task A_client_that_was_disconnected_gets_the_missed_alert_through_GetRecent()
    {
        var since = DateTimeOffset.UtcNow.AddMinutes(-2);
        var tablet = await CheckInListener.ConnectAsync(app.BaseUrl, "board-s01-key");
        await tablet.Connection.StopAsync();

        var member = await ArriveAsync("S01");

        await tablet.Connection.StartAsync();
        var missed = await tablet.Connection.InvokeAsync<List<CheckInAlert>>("GetRecent", since);
        Assert.Contains(missed, a => a.MemberNo == member);
        Assert.DoesNotContain(missed, a => a.StoreId != "S01");
        await tablet.DisposeAsync();
    }

    [Fact]
    public async Task A_second_check_in_within_the_visit_window_raises_no_second_alert()
    {
        await using var board = await CheckInListener.ConnectAsync(app.BaseUrl, "board-s01-key");
        var start = DateTimeOffset.UtcNow.AddMinutes(-20);
        var member = await ArriveAsync("S01", at: start);
        await ArriveAsync("S01", at: start.AddMinutes(5), memberId: long.Parse(member));
        await ArriveAsync("S01", at: start.AddMinutes(12), memberId: long.Parse(member));

        var barrier = await ArriveAsync("S01");
        await board.AlertFor(barrier);
        Assert.Single(board.Alerts, a => a.MemberNo == member);
    }

    [Fact]
    public async Task The_assistants_checked_in_button_goes_through_the_same_path()
    {
        await using var board = await CheckInListener.ConnectAsync(app.BaseUrl, "board-s01-key");
        var door = app.Services.GetRequiredService<DoorCheckIn>();

        Assert.NotNull(await door.RecordAsync(7, "S01"));
        Assert.Null(await door.RecordAsync(7, "S01"));

        Assert.Equal("staff", (await board.AlertFor("0000000007")).Source);
    }

    [Fact]
    public async Task Nobody_without_a_sign_in_or_a_check_in_key_connects()
    {
        var anonymous = await Assert.ThrowsAsync<HttpRequestException>(() => CheckInListener.ConnectAsync(app.BaseUrl));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var reader = await Assert.ThrowsAsync<HttpRequestException>(() => CheckInListener.ConnectAsync(app.BaseUrl, "reader-key"));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, reader.StatusCode);
    }

    public sealed class OnSqlite(CheckInServer.OnSqlite app) : CheckInHubTests(app), IClassFixture<CheckInServer.OnSqlite>;

    public sealed class OnPostgres(CheckInServer.OnPostgres app) : CheckInHubTests(app), IClassFixture<CheckInServer.OnPostgres>;
}

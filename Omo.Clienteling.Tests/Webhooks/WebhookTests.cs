using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Omo.Clienteling.Data;
using Omo.Clienteling.Holds;
using Omo.Clienteling.Ingestion;
using Omo.Clienteling.Members;
using Omo.Clienteling.TalkingPoints;
using Omo.Clienteling.Tests.Support;
using Omo.Clienteling.Webhooks;
using static Omo.Clienteling.Tests.Support.Events;

namespace Omo.Clienteling.Tests.Webhooks;

/// <summary>A receiver on a loopback port and the app, whose settings subscribe it to everything.</summary>
public abstract class WebhookFixture(DatabaseProvider provider) : IAsyncLifetime
{
    public const string Everything = "everything";
    public static readonly string Secret = "whsec_" + Convert.ToBase64String(Encoding.ASCII.GetBytes("the-receivers-shared-secret-32by"));

    public WebhookReceiver Receiver { get; } = new();
    public AppServer App { get; private set; } = null!;

    /// <summary>Fast retries and polls for tests: the schedule's shape, in fractions of a second.</summary>
    public static Dictionary<string, string?> Settings(WebhookReceiver receiver) => new()
    {
        ["Webhooks:Subscriptions:0:Url"] = receiver.Url(Everything),
        ["Webhooks:Subscriptions:0:Secret"] = Secret,
        ["Webhooks:PollEvery"] = "00:00:00.100",
        ["Webhooks:Lease"] = "00:00:02",
        ["Webhooks:Timeout"] = "00:00:05",
        ["Webhooks:RetryAfter:0"] = "00:00:00.200",
        ["Webhooks:RetryAfter:1"] = "00:00:00.300",
        ["Webhooks:RetryAfter:2"] = "00:00:00.400",
    };

    public async Task InitializeAsync()
    {
        await Receiver.StartAsync();
        App = new AppServer(provider, Settings(Receiver));
        await App.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Receiver.DisposeAsync();
    }

    public sealed class OnSqlite() : WebhookFixture(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : WebhookFixture(DatabaseProvider.Postgres);
}

public abstract class WebhookTests(WebhookFixture fixture)
{
    private readonly HttpClient _api = fixture.App.ClientWithKey(ApiKeyOptions.DemoKey);
    private WebhookReceiver Receiver => fixture.Receiver;

    private async Task<(long Id, object Card)> NewMemberAsync(bool marketing = true)
    {
        var id = NewMemberId();
        var upsert = Event("member_upserted", null, new
        {
            memberNo = id.ToString("D10"), familyName = marketing ? "配信可" : "配信不可", givenName = "花子", tier = "silver",
            consent = new { onlineBehaviour = true, marketing }, identities = new[] { Card(CardOf(id)) },
        }, at: DateTimeOffset.UtcNow.AddDays(-1));
        var (_, body) = await PostAsync(_api, upsert);
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        return (id, Card(CardOf(id)));
    }

    private async Task CheckInAsync(object card, string store = "S01")
    {
        var (_, body) = await PostAsync(_api, Event("store_checked_in", card, new { source = "app" }, storeId: store));
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
    }

    /// <summary>Standard Webhooks verification written from the specification, not with the app's own signer.</summary>
    private static bool VerifiesPerSpecification(ReceivedWebhook w, string secret)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = "v1," + Convert.ToBase64String(new HMACSHA256(key).ComputeHash(Encoding.UTF8.GetBytes($"{w.Id}.{w.Timestamp}.{w.Body}")));
        return w.Signature.Split(' ').Contains(expected) && Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - w.Timestamp) < 300;
    }

    [Fact]
    public async Task A_check_in_of_a_member_who_accepts_marketing_arrives_signed_with_what_the_receiver_needs()
    {
        var (id, card) = await NewMemberAsync();
        await CheckInAsync(card, "S02");
        var memberNo = id.ToString("D10");
        var received = await Receiver.WaitForAsync(r => r.Any(w => w.Path == WebhookFixture.Everything && w.Body.Contains(memberNo)), what: "the check-in");
        var hook = received.Single(w => w.Body.Contains(memberNo));

        Assert.True(VerifiesPerSpecification(hook, WebhookFixture.Secret), hook.Signature);
        Assert.StartsWith("msg_", hook.Id);
        Assert.Equal(WebhookTopics.MemberCheckedIn, hook.Type);
        Assert.Equal(memberNo, hook.Data.GetProperty("memberNo").GetString());
        Assert.Equal("S02", hook.Data.GetProperty("storeId").GetString());
        Assert.Equal("app", hook.Data.GetProperty("source").GetString());
        Assert.True(hook.Data.GetProperty("checkInId").GetInt64() > 0);
        // Ids, store, time, source: no name, contact data or history.
        Assert.DoesNotContain("配信可", hook.Body);
        Assert.Equal(["checkInId", "memberNo", "occurredAt", "source", "storeId"], hook.Data.EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task A_receiver_that_fails_twice_gets_three_attempts_with_the_same_webhook_id_and_body()
    {
        var path = $"flaky-{Guid.NewGuid():N}";
        Receiver.Answer(path, 500, 503);
        var subscriptions = fixture.App.Services.GetRequiredService<WebhookSubscriptions>();
        var (id, secret) = await subscriptions.CreateAsync(Receiver.Url(path), [WebhookTopics.MemberCheckedIn], ["S04"], "X001");
        var (_, card) = await NewMemberAsync();
        await CheckInAsync(card, "S04");

        var attempts = (await Receiver.WaitForAsync(r => r.Count(w => w.Path == path) >= 3, what: "three attempts")).Where(w => w.Path == path).ToList();
        await Task.Delay(700); // and no fourth
        attempts = Receiver.At(path).ToList();
        Assert.Equal(3, attempts.Count);
        Assert.Single(attempts.Select(a => a.Id).Distinct());
        Assert.Single(attempts.Select(a => a.Body).Distinct());
        Assert.All(attempts, a => Assert.True(VerifiesPerSpecification(a, secret)));
        await using var c = await fixture.App.OpenAsync();
        var delivery = await c.QuerySingleAsync<(string Status, int Attempts, int Code)>(
            "SELECT status, attempts, last_status_code FROM webhook_deliveries WHERE message_id = @messageId AND subscription_id = @id", new { messageId = attempts[0].Id, id });
        Assert.Equal(("delivered", 3, 200), delivery);
    }

    [Fact]
    public async Task A_410_turns_the_subscription_off_and_a_400_is_not_tried_again()
    {
        var (gone, rejecting) = ($"gone-{Guid.NewGuid():N}", $"rejecting-{Guid.NewGuid():N}");
        Receiver.Answer(gone, 410);
        Receiver.Answer(rejecting, 400);
        var subscriptions = fixture.App.Services.GetRequiredService<WebhookSubscriptions>();
        var (goneId, _) = await subscriptions.CreateAsync(Receiver.Url(gone), [WebhookTopics.MemberCheckedIn], ["S05"], "X001");
        await subscriptions.CreateAsync(Receiver.Url(rejecting), [WebhookTopics.MemberCheckedIn], ["S05"], "X001");
        var (_, card) = await NewMemberAsync();
        await CheckInAsync(card, "S05");
        await Receiver.WaitForAsync(r => r.Any(w => w.Path == gone) && r.Any(w => w.Path == rejecting), what: "the first attempts");
        await Task.Delay(800);

        Assert.Equal("gone", (await subscriptions.AllAsync()).Single(s => s.SubscriptionId == goneId).Status);
        Assert.Single(Receiver.At(rejecting));
        var (_, another) = await NewMemberAsync();
        await CheckInAsync(another, "S05");
        await Task.Delay(800);
        Assert.Single(Receiver.At(gone));
        Assert.Equal(2, Receiver.At(rejecting).Count);
    }

    [Fact]
    public async Task A_member_without_marketing_consent_is_in_no_message_of_any_topic()
    {
        var services = fixture.App.Services;
        var (withoutConsent, quietCard) = await NewMemberAsync(marketing: false);
        var (control, controlCard) = await NewMemberAsync(marketing: true);
        string sku;
        await using (var c = await fixture.App.OpenAsync())
            sku = await c.QueryFirstAsync<string>("SELECT sku FROM stock WHERE store_id = 'S03' AND quantity > 3 ORDER BY sku DESC LIMIT 1");
        foreach (var (id, card) in new[] { (withoutConsent, quietCard), (control, controlCard) })
        {
            // member.checked_in
            await CheckInAsync(card, "S03");
            // talking_point.used, as the tablet records it (the consent read from the profile)
            var profile = (await services.GetRequiredService<ProfileService>().AssembleAsync(id, "S03"))!;
            Assert.True(await services.GetRequiredService<TalkingPointFeedback>().RecordUsedAsync(id, "S03", "A001", Rules.FirstStoreVisit, [sku],
                profile.Member.ConsentMarketing));
            // hold.prepared
            var holdId = $"H-WH-{id}";
            var (_, body) = await PostAsync(_api, Hold(card, "S03", holdId, ShopTime.DayOf(DateTimeOffset.UtcNow).AddDays(1), lines: (sku, 1)));
            Assert.Equal(1, body.GetProperty("accepted").GetInt32());
            Assert.True(await services.GetRequiredService<PreparationList>().MarkPreparedAsync("S03", "A001", holdId, "fitting room 1"));
            // followup.requested
            var followUps = services.GetRequiredService<FollowUps>();
            var draft = await followUps.SuggestAsync(profile, null);
            if (profile.Member.ConsentMarketing) await followUps.SendAsync(id, "S03", "A001", draft, draft.Message);
            else await Assert.ThrowsAsync<FollowUpRefused>(() => followUps.SendAsync(id, "S03", "A001", draft, draft.Message));
        }
        var controlNo = control.ToString("D10");
        var topics = new[] { WebhookTopics.MemberCheckedIn, WebhookTopics.TalkingPointUsed, WebhookTopics.HoldPrepared, WebhookTopics.FollowUpRequested };
        var received = await Receiver.WaitForAsync(r => topics.All(t => r.Any(w => w.Type == t && w.Body.Contains(controlNo))), what: "the control's four topics");

        Assert.DoesNotContain(received, w => w.Body.Contains(withoutConsent.ToString("D10")) || w.Body.Contains("配信不可"));
        await using var check = await fixture.App.OpenAsync();
        Assert.Equal(0, await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM webhook_messages WHERE member_id = @withoutConsent", new { withoutConsent }));
    }

    [Fact]
    public async Task A_split_is_told_to_the_senders_as_member_split_with_both_member_numbers_whatever_the_consent()
    {
        // A correction of the senders' own records, not outreach: it goes for members without marketing consent too.
        var (older, olderCard) = await NewMemberAsync(marketing: false);
        var newer = NewMemberId();
        var (_, body) = await PostAsync(_api,
            Event("member_upserted", null, new { memberNo = newer.ToString("D10"), identities = new[] { Identity("ec_account", $"EC-{newer}") } }),
            Event("identity_linked", olderCard, new { identity = Identity("ec_account", $"EC-{newer}") }));
        Assert.True(body.GetProperty("accepted").GetInt32() == 2, body.ToString());
        var merges = fixture.App.Services.GetRequiredService<MemberMerges>();
        var admin = new Omo.Clienteling.Staff.StaffMember("X001", "管理者", Omo.Clienteling.Staff.StaffRoles.Admin, "S01");
        var merge = (await merges.ListAsync(admin, waiting: false)).Single(m => m.Merged.MemberId == newer);

        await merges.SplitAsync(admin, merge.MergeId);

        var restored = newer.ToString("D10");
        var hook = (await Receiver.WaitForAsync(r => r.Any(w => w.Type == WebhookTopics.MemberSplit && w.Body.Contains(restored)), what: "the split"))
            .Single(w => w.Type == WebhookTopics.MemberSplit && w.Body.Contains(restored));
        Assert.True(VerifiesPerSpecification(hook, WebhookFixture.Secret));
        Assert.Equal(older.ToString("D10"), hook.Data.GetProperty("memberNo").GetString());
        Assert.Equal(restored, hook.Data.GetProperty("restoredMemberNo").GetString());
        Assert.Equal(["memberNo", "restoredMemberNo", "splitAt"], hook.Data.EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task A_paused_subscription_keeps_its_messages_until_it_is_resumed_and_a_failed_one_can_be_replayed()
    {
        var path = $"paused-{Guid.NewGuid():N}";
        Receiver.Answer(path, 400);
        var subscriptions = fixture.App.Services.GetRequiredService<WebhookSubscriptions>();
        var (id, _) = await subscriptions.CreateAsync(Receiver.Url(path), [WebhookTopics.MemberCheckedIn], ["S04"], "X001");
        var (_, card) = await NewMemberAsync();
        await CheckInAsync(card, "S04");
        await Receiver.WaitForAsync(r => r.Any(w => w.Path == path), what: "the refused attempt");
        var failed = await WaitForDeliveryAsync(subscriptions, id, "failed");

        await subscriptions.SetActiveAsync(id, active: false, "X001");
        Assert.True(await subscriptions.ReplayAsync(failed.DeliveryId, "X001"));
        var (_, whilePaused) = await NewMemberAsync();
        await CheckInAsync(whilePaused, "S04");
        await Task.Delay(600);
        Assert.Single(Receiver.At(path));
        await subscriptions.SetActiveAsync(id, active: true, "X001");
        var again = (await Receiver.WaitForAsync(r => r.Count(w => w.Path == path) == 3, what: "the replay and the message kept while paused"))
            .Where(w => w.Path == path).ToList();
        Assert.Equal(2, again.Select(w => w.Id).Distinct().Count());
        Assert.Equal(again[0].Id, again.Skip(1).Single(w => w.Id == again[0].Id).Id);
        await WaitForDeliveryAsync(subscriptions, id, "delivered");
    }

    private static async Task<WebhookDelivery> WaitForDeliveryAsync(WebhookSubscriptions subscriptions, long id, string status)
    {
        for (var i = 0; i < 100; i++)
        {
            if ((await subscriptions.RecentDeliveriesAsync(id)).FirstOrDefault(d => d.Status == status) is { } found) return found;
            await Task.Delay(100);
        }
        throw new TimeoutException($"No {status} delivery for subscription {id}.");
    }

    public sealed class OnSqlite(WebhookFixture.OnSqlite fixture) : WebhookTests(fixture), IClassFixture<WebhookFixture.OnSqlite>;

    public sealed class OnPostgres(WebhookFixture.OnPostgres fixture) : WebhookTests(fixture), IClassFixture<WebhookFixture.OnPostgres>;
}

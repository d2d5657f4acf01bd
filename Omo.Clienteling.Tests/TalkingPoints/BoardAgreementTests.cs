using System.Globalization;
using Bunit;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Omo.Clienteling.CheckIns;
using Omo.Clienteling.Demo;
using Omo.Clienteling.Members;
using Omo.Clienteling.TalkingPoints;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.TalkingPoints;

/// <summary>
/// A manager sends an assistant over for a reason on the board; the tablet must then show that reason. The board card
/// and the profile are rendered for the same arrival, and every highlight on the card must be a talking point there.
/// </summary>
public abstract class BoardAgreementTests(DemoDatabaseFixture demo) : BunitTestBase(demo.Db)
{
    private CheckInAlerts Alerts => Ctx.Services.GetRequiredService<CheckInAlerts>();

    [Fact]
    public async Task Every_highlight_on_a_personas_board_card_is_a_talking_point_on_the_tablet()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("ja-JP");
        Ctx.Render<MudPopoverProvider>();
        var onTheBoard = new List<string>();
        foreach (var persona in DemoPersonas.All)
        {
            // Each story in its own shop (persona 3's hold waits at Ginza), on a tablet there.
            if (SignedIn.StoreId != persona.StoreId) await SignInAsync(SignedIn with { StoreId = persona.StoreId });
            var alert = (await Alerts.ForAsync(new RecordedCheckIn(persona.Number, persona.MemberId, persona.StoreId, CheckInSource.App, TestDatabase.Now)))!;
            var card = Ctx.Render<CheckInCard>(p => p.Add(c => c.Alert, alert).Add(c => c.Now, TestDatabase.Now));
            var board = card.FindAll("[data-testid=checkin-highlight]").Select(h => h.GetAttribute("data-rule")!).ToList();

            var profile = Ctx.Render<ProfilePage>(p => p.Add(x => x.MemberNo, persona.MemberNo));
            profile.WaitForState(() => profile.FindAll("[data-testid=talking-points-area][data-loaded=true]").Count > 0);
            if (profile.FindAll("[data-testid=talking-points-more]").Count > 0) profile.Find("[data-testid=talking-points-more]").Click();
            var tablet = profile.FindAll("[data-testid=talking-point]").Select(t => t.GetAttribute("data-rule")!).ToList();

            Assert.All(board, rule => Assert.True(tablet.Contains(rule), $"{persona.MemberNo}: '{rule}' is on the board but not on the tablet ({string.Join(", ", tablet)})"));
            onTheBoard.AddRange(board);
        }
        // The personas bring the board's reasons: the test compares something.
        Assert.Superset(new HashSet<string>
        {
            Rules.PickupWaiting, Rules.HighIntentCart, Rules.PointsExpiring, Rules.BirthdayMonth, Rules.TriedNotBought, Rules.HoldWaiting, Rules.AppointmentToday,
        }, onTheBoard.ToHashSet());
    }

    [Fact]
    public async Task Every_highlight_of_every_generated_member_is_one_of_their_talking_points()
    {
        var profiles = Ctx.Services.GetRequiredService<ProfileService>();
        var talkingPoints = Ctx.Services.GetRequiredService<TalkingPointService>();
        List<long> members;
        await using (var c = await demo.Db.OpenAsync())
            members = (await c.QueryAsync<long>("SELECT member_id FROM members ORDER BY member_id")).ToList();
        var highlights = 0;
        foreach (var memberId in members)
        {
            var alert = (await Alerts.ForAsync(new RecordedCheckIn(memberId, memberId, "S02", CheckInSource.Beacon, TestDatabase.Now)))!;
            var points = (await talkingPoints.ForAsync((await profiles.AssembleAsync(memberId, "S02"))!)).Select(p => p.RuleId).ToHashSet();
            Assert.All(alert.HighlightCodes, h => Assert.Contains(h.Key, points));
            Assert.Equal(alert.HighlightCodes.Select(CheckInHighlights.InEnglish), alert.Highlights);
            highlights += alert.HighlightCodes.Count;
        }
        Assert.True(highlights > members.Count / 4, $"only {highlights} highlights for {members.Count} members");
    }

    public sealed class OnSqlite(DemoDatabaseFixture.OnSqlite demo) : BoardAgreementTests(demo), IClassFixture<DemoDatabaseFixture.OnSqlite>;

    public sealed class OnPostgres(DemoDatabaseFixture.OnPostgres demo) : BoardAgreementTests(demo), IClassFixture<DemoDatabaseFixture.OnPostgres>;
}

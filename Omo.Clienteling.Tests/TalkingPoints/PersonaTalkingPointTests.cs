using Microsoft.Extensions.Options;
using Omo.Clienteling.Demo;
using Omo.Clienteling.TalkingPoints;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.TalkingPoints;

/// <summary>The demo personas' stories reach the assistant: each one's intended rule is among its top three in the shop of its story.</summary>
public abstract class PersonaTalkingPointTests(DemoDatabaseFixture demo)
{
    public static TheoryData<int> Personas => new(DemoPersonas.All.Select(p => p.Number));

    [Theory]
    [MemberData(nameof(Personas))]
    public async Task Each_persona_gets_its_intended_rule_in_the_top_three(int number)
    {
        var persona = DemoPersonas.All.Single(p => p.Number == number);
        var clock = new TestClock(TestDatabase.Now);
        var profile = (await (await ProfileServices.ForAsync(demo.Db, clock)).AssembleAsync(persona.MemberId, persona.StoreId))!;
        var service = new TalkingPointService(new StoreStockCache(demo.Db.Database, clock), Options.Create(new TalkingPointOptions()), clock);

        var top = (await service.ForAsync(profile)).Take(3).Select(p => p.RuleId).ToList();

        Assert.Contains(persona.ExpectedRule, top);
    }

    [Fact]
    public async Task Persona_1s_try_on_point_carries_the_web_views_and_the_stock_here()
    {
        var clock = new TestClock(TestDatabase.Now);
        var profile = (await (await ProfileServices.ForAsync(demo.Db, clock)).AssembleAsync(1, "S01"))!;
        var points = await new TalkingPointService(new StoreStockCache(demo.Db.Database, clock), Options.Create(new TalkingPointOptions()), clock).ForAsync(profile);

        var first = points[0];
        Assert.Equal(Rules.TriedNotBought, first.RuleId);
        Assert.Equal(["Ev.TriedOn", "Ev.Viewed", "Ev.NotBoughtSince", "Ev.InStockHere"], first.Evidence.Select(e => e.Key));
        Assert.Equal(3, first.Evidence[1].Args[0]);
        Assert.DoesNotContain(points, p => p.RuleId == Rules.OnlineViewedInStock && p.ProductStyle == first.ProductStyle);
    }

    [Fact]
    public async Task The_no_consent_persona_gets_no_online_rule()
    {
        var clock = new TestClock(TestDatabase.Now);
        var profile = (await (await ProfileServices.ForAsync(demo.Db, clock)).AssembleAsync(10, "S01"))!;
        var points = await new TalkingPointService(new StoreStockCache(demo.Db.Database, clock), Options.Create(new TalkingPointOptions()), clock).ForAsync(profile);
        Assert.DoesNotContain(points, p => Rules.Online.Contains(p.RuleId));
    }

    public sealed class OnSqlite(DemoDatabaseFixture.OnSqlite demo) : PersonaTalkingPointTests(demo), IClassFixture<DemoDatabaseFixture.OnSqlite>;

    public sealed class OnPostgres(DemoDatabaseFixture.OnPostgres demo) : PersonaTalkingPointTests(demo), IClassFixture<DemoDatabaseFixture.OnPostgres>;
}

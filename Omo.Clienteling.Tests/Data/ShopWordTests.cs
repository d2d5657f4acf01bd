using System.Text.Json;
using Dapper;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.Data;

/// <summary>The shop's words are typed in code and plain text in the database, the APIs and the resource keys.</summary>
public abstract class ShopWordTests(DatabaseProvider provider) : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await (await TestDatabase.CreateAsync(provider)).WithDemoDataAsync(members: 20);

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Words_go_into_and_come_out_of_the_database_as_their_text()
    {
        await using var c = await _db.OpenAsync();
        Assert.Equal("ready_for_pickup", await c.ExecuteScalarAsync<string>("SELECT @status", new { status = OrderStatus.ReadyForPickup }));
        var tiers = (await c.QueryAsync<Tier>("SELECT tier FROM members")).Distinct().ToList();
        Assert.NotEmpty(tiers);
        Assert.All(tiers, t => Assert.Contains(t, Tier.All));
        Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM members WHERE member_id = 7 AND tier = @tier",
            new { tier = await c.ExecuteScalarAsync<Tier>("SELECT tier FROM members WHERE member_id = 7") }));
    }

    [Fact]
    public void Unknown_words_are_refused_and_json_carries_the_text()
    {
        Assert.True(ShopWord.TryParse<SalesChannel>("ec", out var ec));
        Assert.Equal(SalesChannel.Ec, ec);
        Assert.False(ShopWord.TryParse<SalesChannel>("fax", out _));
        Assert.Throws<FormatException>(() => ShopWord.Parse<Tier>("diamond"));
        Assert.Equal("\"click_and_collect\"", JsonSerializer.Serialize(Fulfilment.ClickAndCollect));
        Assert.Equal(CheckInSource.Beacon, JsonSerializer.Deserialize<CheckInSource>("\"beacon\""));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<CheckInSource>("\"drone\""));
    }

    public sealed class OnSqlite() : ShopWordTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : ShopWordTests(DatabaseProvider.Postgres);
}

using Omo.Clienteling.Ingestion;
using Omo.Clienteling.Members;
using Omo.Clienteling.Tests.Support;
using static Omo.Clienteling.Tests.Support.Events;

namespace Omo.Clienteling.Tests.CheckIns;

/// <summary>Two app instances on one Redis backplane: what is posted to one reaches hub clients of the other.</summary>
public sealed class ScaleOutTests : IAsyncLifetime
{
    private readonly RedisServer _redis = new();
    private AppServer _a = null!, _b = null!;

    public async Task InitializeAsync()
    {
        await _redis.InitializeAsync();
        var settings = new Dictionary<string, string?> { ["SignalR:Redis"] = _redis.Configuration };
        _a = new AppServer(settings);
        _b = new AppServer(settings);
        await _a.InitializeAsync();
        await _b.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task A_check_in_posted_to_instance_A_reaches_a_board_connected_to_instance_B()
    {
        await using var onB = await CheckInListener.ConnectAsync(_b.BaseUrl, ApiKeyOptions.DemoKey);
        using var posA = _a.ClientWithKey(ApiKeyOptions.DemoKey);

        // Persona 8, already a member on both (each instance has its own copy of the demo dataset here).
        var (_, body) = await PostAsync(posA, Event("store_checked_in", Identity("app_member", "0000000008"), new { source = "beacon" }, storeId: "S03"));
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());

        var alert = await onB.AlertFor("0000000008");
        Assert.Equal(("S03", "beacon"), (alert.StoreId, alert.Source));
    }
}

using Microsoft.Extensions.Options;
using Omo.Clienteling.Members;

namespace Omo.Clienteling.TalkingPoints;

/// <summary>The profile's talking points: the profile, this store's shelves and the clock into the engine.</summary>
public sealed class TalkingPointService(StoreStockCache stock, IOptions<TalkingPointOptions> options, TimeProvider clock)
{
    /// <summary>How many points the profile shows prominently (and records as shown); the rest are one tap away.</summary>
    public int Prominent => options.Value.Prominent;

    public async Task<IReadOnlyList<TalkingPoint>> ForAsync(UnifiedProfile profile) =>
        TalkingPointEngine.Suggest(profile, await stock.ForAsync(profile.StoreId), clock.GetUtcNow(), options.Value);
}

using Omo.Clienteling.Catalog;
using Omo.Clienteling.Members;

namespace Omo.Clienteling.Tests.Support;

public static class ProfileServices
{
    /// <summary>The profile service over a test database, with its store list loaded as the app loads it at start-up.</summary>
    public static async Task<ProfileService> ForAsync(TestDatabase db, TimeProvider? clock = null) =>
        new(db.Database, await StoresAsync(db), clock ?? new TestClock(TestDatabase.Now));

    public static async Task<StoreDirectory> StoresAsync(TestDatabase db)
    {
        var stores = new StoreDirectory(db.Database);
        await stores.ReloadAsync();
        return stores;
    }
}

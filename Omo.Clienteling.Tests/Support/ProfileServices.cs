using Omo.Clienteling.Catalog;
using Omo.Clienteling.Members;

namespace Omo.Clienteling.Tests.Support;

public static class ProfileServices
{
    public static ProfileService For(TestDatabase db, TimeProvider? clock = null) =>
        new(db.Database, new StoreDirectory(db.Database), clock ?? new TestClock(TestDatabase.Now));
}

using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Omo.Clienteling.Catalog;
using Omo.Clienteling.Demo;
using Omo.Clienteling.Members;
using Omo.Clienteling.Staff;
using Omo.Clienteling.TalkingPoints;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.Demo;

public sealed class DemoResetTests : IDisposable
{
    private const int Members = 120;
    private readonly TestDatabase _db = new TestDatabase().WithDemoData(members: Members);
    private readonly TestClock _clock = new(TestDatabase.Now);
    private static readonly StaffMember Trainer = new("T001", "遠藤 由紀", StaffRoles.Trainer, "S01");

    public void Dispose() => _db.Dispose();

    private DemoDataService Service() => new(_db.Database, new DemoDataset(_db.Database), new StoreDirectory(_db.Database), new SkuCatalog(_db.Database),
        new StoreStockCache(_db.Database, _clock), new AuditLog(_db.Database, _clock),
        Options.Create(new DemoOptions { Seed = 20261122, Members = Members }), _clock, NullLogger<DemoDataService>.Instance);

    [Fact]
    public void A_reset_after_changes_gives_the_digest_of_a_freshly_generated_dataset_and_keeps_the_audit()
    {
        using var fresh = new TestDatabase().WithDemoData(members: Members);
        var expected = fresh.Digest();
        Assert.Equal(expected, _db.Digest());

        using (var c = _db.Open())
        {
            c.Execute("INSERT INTO check_ins (member_id, store_id, source, occurred_at, last_seen_at) VALUES (3, 'S02', 'app', 1, 1)");
            c.Execute("UPDATE members SET points = points + 500 WHERE member_id = 6");
            c.Execute("INSERT INTO staff (staff_code, display_name, role, store_id, pin_hash) VALUES ('A900', 'x', 'associate', 'S01', 'h')");
        }
        new StaffNotes(_db.Database, _clock).Add(1, "A001", "S01", "試着室の前で待っていた");
        new MemberEraser(_db.Database, _clock).Erase(9, new StaffMember("X001", "管理者", StaffRoles.Admin, "S01"), "REQ-1");
        Assert.NotEqual(expected, _db.Digest());

        var result = Service().Reset(Trainer);

        Assert.Equal(Members, result.Members);
        Assert.Equal(expected, _db.Digest());
        using var after = _db.Open();
        Assert.Equal(["member_erased", "demo_reset"], after.Query<string>("SELECT action FROM audit_log ORDER BY audit_id"));
    }

    [Fact]
    public void Real_customers_data_is_never_reset()
    {
        using (var c = _db.Open()) c.Execute("DELETE FROM demo_state");
        Assert.Throws<InvalidOperationException>(() => Service().Reset(Trainer));
    }
}

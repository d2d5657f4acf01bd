using Dapper;
using Microsoft.Data.Sqlite;
using Omo.Clienteling.Staff;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.Staff;

public sealed class AuditLogTests : IDisposable
{
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void The_audit_log_cannot_be_edited_or_deleted()
    {
        new AuditLog(_db.Database, new TestClock(TestDatabase.Now)).Record(AuditActions.ProfileViewed, "A001", "S01", 1, "scan");
        using var c = _db.Open();

        Assert.Contains("append-only", Assert.Throws<SqliteException>(() => c.Execute("DELETE FROM audit_log")).Message);
        Assert.Contains("append-only", Assert.Throws<SqliteException>(() => c.Execute("UPDATE audit_log SET staff_code = 'M001'")).Message);
        Assert.Contains("append-only", Assert.Throws<SqliteException>(() => c.Execute("UPDATE audit_log SET member_id = 2")).Message);
        Assert.Equal("A001", c.ExecuteScalar<string>("SELECT staff_code FROM audit_log"));
    }

    [Fact]
    public void Managers_read_one_store_and_paging_goes_back_in_time()
    {
        var log = new AuditLog(_db.Database, new TestClock(TestDatabase.Now));
        for (var i = 0; i < 5; i++) log.Record(AuditActions.ProfileViewed, "A001", "S01", i + 1, "scan");
        log.Record(AuditActions.ProfileViewed, "A002", "S02", 9, "scan");

        var first = log.Read("S01", null, null, 3);
        Assert.Equal([5L, 4L, 3L], first.Select(e => e.MemberId!.Value));
        Assert.Equal([2L, 1L], log.Read("S01", null, first[^1].AuditId, 3).Select(e => e.MemberId!.Value));
        Assert.Equal(6, log.Read(null, AuditActions.ProfileViewed, null, 100).Count);
    }
}

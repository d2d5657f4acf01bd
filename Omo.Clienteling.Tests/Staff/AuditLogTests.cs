using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Omo.Clienteling.Staff;

namespace Omo.Clienteling.Tests.Staff;

public abstract class AuditLogTests(DatabaseProvider provider) : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync(provider);
        _services = await TestServices.CreateAsync(_db, new TestClock(TestDatabase.Now));
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _db.DisposeAsync();
    }

    private AuditLog Log => _services.GetRequiredService<AuditLog>();

    [Fact]
    public async Task The_audit_log_cannot_be_edited_or_deleted()
    {
        await Log.RecordAsync(AuditActions.ProfileViewed, "A001", "S01", 1, "scan");
        await using var c = await _db.OpenAsync();

        foreach (var sql in new[] { "DELETE FROM audit_log", "UPDATE audit_log SET staff_code = 'M001'", "UPDATE audit_log SET member_id = 2" })
            Assert.Contains("append-only", (await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => c.ExecuteAsync(sql))).Message);
        if (provider == DatabaseProvider.Postgres)
            Assert.Contains("append-only", (await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => c.ExecuteAsync("TRUNCATE audit_log"))).Message);
        Assert.Equal("A001", await c.ExecuteScalarAsync<string>("SELECT staff_code FROM audit_log"));
    }

    [Fact]
    public async Task Managers_read_one_store_and_paging_goes_back_in_time()
    {
        var log = Log;
        for (var i = 0; i < 5; i++) await log.RecordAsync(AuditActions.ProfileViewed, "A001", "S01", i + 1, "scan");
        await log.RecordAsync(AuditActions.ProfileViewed, "A002", "S02", 9, "scan");

        var first = await log.ReadAsync("S01", null, null, 3);
        Assert.Equal([5L, 4L, 3L], first.Select(e => e.MemberId!.Value));
        Assert.Equal([2L, 1L], (await log.ReadAsync("S01", null, first[^1].AuditId, 3)).Select(e => e.MemberId!.Value));
        Assert.Equal(6, (await log.ReadAsync(null, AuditActions.ProfileViewed, null, 100)).Count);
    }

    public sealed class OnSqlite() : AuditLogTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : AuditLogTests(DatabaseProvider.Postgres);
}

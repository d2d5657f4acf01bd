using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Omo.Clienteling.Catalog;
using Omo.Clienteling.Data;
using Omo.Clienteling.Demo;
using Omo.Clienteling.Members;
using Omo.Clienteling.Staff;
using Omo.Clienteling.TalkingPoints;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.Demo;

public abstract class DemoResetTests(DatabaseProvider provider) : IAsyncLifetime
{
    private const int Members = 120;
    private TestDatabase _db = null!;
    private readonly TestClock _clock = new(TestDatabase.Now);
    private static readonly StaffMember Trainer = new("T001", "遠藤 由紀", StaffRoles.Trainer, "S01");
    private ServiceProvider? _services;

    public async Task InitializeAsync() => _db = await (await TestDatabase.CreateAsync(provider)).WithDemoDataAsync(members: Members);

    public async Task DisposeAsync()
    {
        if (_services is not null) await _services.DisposeAsync();
        await _db.DisposeAsync();
    }

    private StoreDirectory Stores => _services!.GetRequiredService<StoreDirectory>();

    private async Task<DemoDataService> ServiceAsync()
    {
        _services ??= await TestServices.CreateAsync(_db, _clock, new Dictionary<string, string?> { ["Demo:Seed"] = "20261122", ["Demo:Members"] = $"{Members}" });
        return _services.GetRequiredService<DemoDataService>();
    }

    [Fact]
    public async Task A_reset_after_changes_gives_the_digest_of_a_freshly_generated_dataset_and_keeps_the_audit()
    {
        await using var fresh = await (await TestDatabase.CreateAsync(provider)).WithDemoDataAsync(members: Members);
        var expected = await fresh.DigestAsync();
        Assert.Equal(expected, await _db.DigestAsync());
        var service = await ServiceAsync();

        await using (var c = await _db.OpenAsync())
        {
            await c.ExecuteAsync("INSERT INTO check_ins (member_id, store_id, source, occurred_at, last_seen_at) VALUES (3, 'S02', 'app', 1, 1)");
            await c.ExecuteAsync("UPDATE members SET points = points + 500 WHERE member_id = 6");
            await c.ExecuteAsync("INSERT INTO staff (staff_code, display_name, role, store_id, pin_hash) VALUES ('A900', 'x', 'associate', 'S01', 'h')");
            await c.ExecuteAsync("UPDATE stores SET name_en = 'Renamed' WHERE store_id = 'S01'");
        }
        await Stores.ReloadAsync();
        Assert.Equal("Renamed", Stores.Find("S01")!.NameEn);
        await new StaffNotes(_db.Database, _clock).AddAsync(1, "A001", "S01", "試着室の前で待っていた");
        await new MemberEraser(_db.Database, _clock).EraseAsync(9, new StaffMember("X001", "管理者", StaffRoles.Admin, "S01"), "REQ-1");
        var sessions = _services!.GetRequiredService<StaffSessions>();
        var trainersTablet = await sessions.StartAsync("T001", StaffRoles.Trainer, "S01", null);
        var newcomersTablet = await sessions.StartAsync("A900", StaffRoles.Associate, "S01", null);
        Assert.NotEqual(expected, await _db.DigestAsync());

        var result = await service.ResetAsync(Trainer);

        Assert.Equal(Members, result.Members);
        Assert.Equal(expected, await _db.DigestAsync());
        await using var after = await _db.OpenAsync();
        Assert.Equal(["member_erased", "demo_reset"], await after.QueryAsync<string>("SELECT action FROM audit_log ORDER BY audit_id"));
        // The trainer stays signed in; someone who joined the demo since is gone with it.
        Assert.True(await sessions.IsOpenAsync(trainersTablet));
        Assert.False(await sessions.IsOpenAsync(newcomersTablet));
        // What this server keeps in memory came back with the data.
        Assert.Equal("Shibuya", Stores.Find("S01")!.NameEn);
    }

    [Fact]
    public async Task Real_customers_data_is_never_reset()
    {
        await using (var c = await _db.OpenAsync()) await c.ExecuteAsync("DELETE FROM demo_state");
        var service = await ServiceAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => service.ResetAsync(Trainer));
    }

    public sealed class OnSqlite() : DemoResetTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : DemoResetTests(DatabaseProvider.Postgres);
}

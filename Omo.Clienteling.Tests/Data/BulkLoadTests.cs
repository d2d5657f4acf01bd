using Dapper;
using Omo.Clienteling.Data;
using Omo.Clienteling.Demo;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.Data;

/// <summary>The load that fills an empty database (demo start, the benchmark): fast, and never over existing data.</summary>
public abstract class BulkLoadTests(DatabaseProvider provider)
{
    [Fact]
    public async Task A_load_fills_an_empty_database_and_leaves_its_connections_as_they_were()
    {
        await using var db = await TestDatabase.CreateAsync(provider);

        var result = await DemoDataService.LoadAsync(db.Database, new DemoDataGenerator(7, TestDatabase.Today, 120));

        await using var connection = await db.OpenAsync();
        Assert.Equal(120, result.Members);
        Assert.True(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM members") >= 120);
        Assert.True(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM product_views") > 0);
        if (provider == DatabaseProvider.Sqlite)
        {
            // The load's relaxed settings went back to every connection's own.
            Assert.Equal(1, await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));
            Assert.Equal(2, await connection.ExecuteScalarAsync<long>("PRAGMA synchronous")); // FULL
            Assert.Equal(16384, await connection.ExecuteScalarAsync<long>("PRAGMA wal_autocheckpoint"));
        }
    }

    [Fact]
    public async Task A_load_over_existing_data_is_refused_and_changes_nothing()
    {
        await using var db = await (await TestDatabase.CreateAsync(provider)).WithDemoDataAsync(members: 50);
        var before = await db.DigestAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => DemoDataService.LoadAsync(db.Database, new DemoDataGenerator(8, TestDatabase.Today, 50)));

        Assert.Equal(before, await db.DigestAsync());
    }

    public sealed class OnSqlite() : BulkLoadTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : BulkLoadTests(DatabaseProvider.Postgres);
}

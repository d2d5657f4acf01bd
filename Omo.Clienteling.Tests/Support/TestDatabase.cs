using System.Data.Common;
using Microsoft.Extensions.Logging.Abstractions;
using Omo.Clienteling.Data;
using Omo.Clienteling.Demo;
using Omo.Clienteling.LocalServers;

namespace Omo.Clienteling.Tests.Support;

/// <summary>
/// A real database of either provider: a SQLite file in a temporary folder, or a new database in the run's own
/// PostgreSQL cluster. Migrated unless asked not to; deleted afterwards.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public static readonly DateOnly Today = new(2026, 11, 22);

    /// <summary>10:00 in Tokyo on <see cref="Today"/>: the "now" of tests that work on the demo dataset.</summary>
    public static readonly DateTimeOffset Now = ShopTime.At(Today, 10, 0);

    private readonly Func<Task> _remove;

    private TestDatabase(DatabaseProvider provider, string connectionString, Func<Task> remove, string? file)
    {
        Provider = provider;
        ConnectionString = connectionString;
        File = file;
        _remove = remove;
        Dialect = DataModule.CreateDialect(new DatabaseOptions { Provider = provider, ConnectionString = connectionString });
        Database = new OmoDatabase(Dialect);
        Migrator = new Migrator(Database, NullLogger<Migrator>.Instance);
    }

    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }
    public SqlDialect Dialect { get; }
    public OmoDatabase Database { get; }
    public Migrator Migrator { get; }

    /// <summary>The SQLite database file (null on PostgreSQL).</summary>
    public string? File { get; }

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider, bool migrate = true)
    {
        DapperTypeHandlers.Register();
        TestDatabase db;
        if (provider == DatabaseProvider.Sqlite)
        {
            var folder = Directory.CreateTempSubdirectory("omo-test-").FullName;
            var file = Path.Combine(folder, "omo.db");
            db = new TestDatabase(provider, $"Data Source={file}", () =>
            {
                try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
                return Task.CompletedTask;
            }, file);
        }
        else
        {
            var cluster = await PostgresCluster.SharedAsync();
            var name = await cluster.CreateDatabaseAsync();
            db = new TestDatabase(provider, cluster.ConnectionString(name), () => cluster.DropDatabaseAsync(name), null);
        }
        if (migrate) await db.Migrator.ApplyAsync();
        return db;
    }

    public Task<DbConnection> OpenAsync() => Database.OpenAsync();

    /// <summary>Loads the demo dataset generated for <see cref="Today"/>.</summary>
    public async Task<TestDatabase> WithDemoDataAsync(int seed = 20261122, int members = 300)
    {
        await DemoDataService.LoadAsync(Database, new DemoDataGenerator(seed, Today, members));
        return this;
    }

    public async Task<string> DigestAsync()
    {
        await using var connection = await OpenAsync();
        return await DatabaseDigest.ComputeAsync(Dialect, connection);
    }

    public async ValueTask DisposeAsync()
    {
        Dialect.ReleasePools();
        if (Dialect is IAsyncDisposable disposable) await disposable.DisposeAsync();
        await _remove();
    }
}

/// <summary>The demo dataset on one provider, generated once and shared by the tests of a class (read-only use).</summary>
public abstract class DemoDatabaseFixture(DatabaseProvider provider) : IAsyncLifetime
{
    public TestDatabase Db { get; private set; } = null!;

    public async Task InitializeAsync() => Db = await (await TestDatabase.CreateAsync(provider)).WithDemoDataAsync();

    public async Task DisposeAsync() => await Db.DisposeAsync();

    public sealed class OnSqlite() : DemoDatabaseFixture(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : DemoDatabaseFixture(DatabaseProvider.Postgres);
}

public sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();

    public void Advance(TimeSpan by) => Now += by;
}

/// <summary>The real clock, moved on by <see cref="Offset"/>: a running server whose days can pass in a test.</summary>
public sealed class ShiftedClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}

public static class Eventually
{
    /// <summary>
    /// Polls <paramref name="read"/> until it returns <paramref name="expected"/> (10 s at most), then checks it: for
    /// what the app writes just after it has shown something (a profile view's audit row).
    /// </summary>
    public static async Task EqualAsync<T>(T expected, Func<Task<T>> read)
    {
        var actual = await read();
        for (var i = 0; i < 200 && !EqualityComparer<T>.Default.Equals(actual, expected); i++)
        {
            await Task.Delay(50);
            actual = await read();
        }
        Assert.Equal(expected, actual);
    }
}

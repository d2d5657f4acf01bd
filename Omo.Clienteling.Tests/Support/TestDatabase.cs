using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Omo.Clienteling.Data;
using Omo.Clienteling.Demo;

namespace Omo.Clienteling.Tests.Support;

/// <summary>A real SQLite file in a temporary folder, migrated, deleted afterwards.</summary>
public sealed class TestDatabase : IDisposable
{
    public static readonly DateOnly Today = new(2026, 11, 22);

    /// <summary>10:00 in Tokyo on <see cref="Today"/>: the "now" of tests that work on the demo dataset.</summary>
    public static readonly DateTimeOffset Now = ShopTime.At(Today, 10, 0);

    private readonly string _folder = Directory.CreateTempSubdirectory("omo-test-").FullName;

    public TestDatabase(bool migrate = true)
    {
        DapperTypeHandlers.Register();
        Path = System.IO.Path.Combine(_folder, "omo.db");
        ConnectionString = $"Data Source={Path}";
        Database = new OmoDatabase(Options.Create(new DatabaseOptions { ConnectionString = ConnectionString }));
        Migrator = new Migrator(Database, NullLogger<Migrator>.Instance);
        if (migrate) Migrator.Apply();
    }

    public string Path { get; }
    public string ConnectionString { get; }
    public OmoDatabase Database { get; }
    public Migrator Migrator { get; }

    public SqliteConnection Open() => Database.Open();

    /// <summary>Loads the demo dataset generated for <see cref="Today"/>.</summary>
    public TestDatabase WithDemoData(int seed = 20261122, int members = 300)
    {
        using var connection = Open();
        new DemoDataGenerator(seed, Today, members).Generate(connection);
        return this;
    }

    public string Digest()
    {
        using var connection = Open();
        return DatabaseDigest.Compute(connection);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}

/// <summary>The demo dataset, generated once and shared by the tests of a class (read-only use).</summary>
public sealed class DemoDatabaseFixture : IDisposable
{
    public TestDatabase Db { get; } = new TestDatabase().WithDemoData();

    public void Dispose() => Db.Dispose();
}

public sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();

    public void Advance(TimeSpan by) => Now += by;
}

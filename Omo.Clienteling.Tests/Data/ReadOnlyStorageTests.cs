using System.Net;
using Dapper;
using Npgsql;
using Omo.Clienteling.Ingestion;
using Omo.Clienteling.Tests.Support;
using static Omo.Clienteling.Tests.Support.Events;

namespace Omo.Clienteling.Tests.Data;

/// <summary>
/// The database stops taking writes (a full disk, a read-only mount, a standby): writes are refused with 503 and
/// Retry-After and nothing accepted is lost, profiles are still shown, and their audit rows wait on disk until the
/// database takes them.
/// </summary>
public abstract class ReadOnlyStorageTests(DatabaseProvider provider) : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private readonly string _spill = Directory.CreateTempSubdirectory("omo-spill-").FullName;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync(provider, migrate: false);

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        Directory.Delete(_spill, recursive: true);
    }

    private Dictionary<string, string?> Settings(bool readOnly) => new()
    {
        ["Staff:AuditSpillFolder"] = _spill,
        ["ConnectionStrings:Omo"] = readOnly ? ReadOnly(_db.ConnectionString) : _db.ConnectionString,
    };

    private string ReadOnly(string connectionString) => provider == DatabaseProvider.Sqlite
        ? connectionString + ";Mode=ReadOnly"
        : new NpgsqlConnectionStringBuilder(connectionString) { Options = "-c default_transaction_read_only=on" }.ConnectionString;

    [Fact]
    public async Task Writes_answer_503_with_retry_after_profiles_are_still_shown_and_their_audit_rows_arrive_later()
    {
        // A tablet signed in while the database still took writes (the session and the key ring are in it).
        var tablet = new CookieContainer();
        await using (var seeding = new AppServer(provider, Settings(readOnly: false), _db))
        {
            await seeding.InitializeAsync();
            Assert.Equal(HttpStatusCode.Redirect, (await StaffSession.PostSignInAsync(StaffSession.ClientFrom(seeding, null, tablet), "A001", "1111")).StatusCode);
        }

        await using (var readOnly = new AppServer(provider, Settings(readOnly: true), _db))
        {
            await readOnly.InitializeAsync();
            using var api = readOnly.ClientWithKey(ApiKeyOptions.DemoKey);

            var (refused, problem) = await PostAsync(api, Event("store_checked_in", Card(CardOf(1)), new { source = "app" }, storeId: "S01"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.DoesNotContain("Exception", problem.ToString());

            var profile = await ProfileAsync(api, CardOf(1));
            Assert.Equal("0000000001", profile.GetProperty("member").GetProperty("memberNo").GetString());
            using var associate = StaffSession.ClientFrom(readOnly, null, tablet);
            Assert.Equal(HttpStatusCode.OK, (await associate.GetAsync("/members/0000000001")).StatusCode);
            Assert.True(File.Exists(Path.Combine(_spill, "audit-spill.ndjson")), "the profile view's audit row was not kept");
        }

        await using var back = new AppServer(provider, Settings(readOnly: false), _db);
        await back.InitializeAsync();
        await WaitUntilAsync(() => !File.Exists(Path.Combine(_spill, "audit-spill.ndjson")));
        await using var c = await back.OpenAsync();
        Assert.True(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE action = 'profile_viewed' AND member_id = 1") >= 1);
        // What was refused was not half-written: the check-in is not there, and sending it again now is accepted.
        Assert.Equal(1, (await PostAsync(back.ClientWithKey(ApiKeyOptions.DemoKey),
            Event("store_checked_in", Card(CardOf(1)), new { source = "app" }, storeId: "S01"))).Body.GetProperty("accepted").GetInt32());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++) await Task.Delay(100);
        Assert.True(condition(), "the spilled audit rows were not written back");
    }

    public sealed class OnSqlite() : ReadOnlyStorageTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : ReadOnlyStorageTests(DatabaseProvider.Postgres);
}

using System.Net;
using Dapper;
using Omo.Clienteling.Data;
using Omo.Clienteling.Tests.Support;
using static Omo.Clienteling.Tests.Ingestion.ImportAndRestartTests;

namespace Omo.Clienteling.Tests.Staff;

/// <summary>A real retailer's start: no demo dataset, no demo staff; the first admin comes from the command line.</summary>
public abstract class FirstAdminTests(DatabaseProvider provider)
{
    private static readonly Dictionary<string, string> NoDemo = new() { ["Demo__Enabled"] = "false" };

    [Fact]
    public async Task Without_the_demo_the_database_starts_empty_and_staff_add_makes_the_first_admin_who_can_sign_in()
    {
        await using var db = await TestDatabase.CreateAsync(provider, migrate: false);

        // A guessable PIN is refused on real data; so is a shop that does not exist yet, and a missing role.
        var (exit, output) = await RunAppAsync(db, "1111", NoDemo, "staff", "add", "x100", "--name", "本部 管理者", "--role", "admin");
        Assert.Equal(1, exit);
        Assert.Contains("too easy", output);
        (exit, output) = await RunAppAsync(db, "4826", NoDemo, "staff", "add", "A100", "--name", "青木", "--role", "associate", "--store", "S01");
        Assert.Equal(1, exit);
        Assert.Contains("No shop 'S01'", output);
        (exit, output) = await RunAppAsync(db, "4826", NoDemo, "staff", "add", "X100", "--name", "本部 管理者");
        Assert.Equal(2, exit);
        Assert.Contains("Usage", output);

        (exit, output) = await RunAppAsync(db, "4826", NoDemo, "staff", "add", "x100", "--name", "本部 管理者", "--role", "admin");
        Assert.True(exit == 0, output);
        Assert.Contains("X100", output);
        Assert.DoesNotContain("4826", output);

        // Migrations only: no demo store, member, staff or marker.
        await using (var connection = await db.OpenAsync())
        {
            foreach (var table in new[] { "stores", "members", "products", "demo_state" })
                Assert.Equal(0, await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}"));
            Assert.Equal(["X100"], await connection.QueryAsync<string>("SELECT staff_code FROM staff"));
            Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE action = 'staff_changed' AND staff_code = 'CONSOLE'"));
        }

        await using var app = new AppServer(provider, new Dictionary<string, string?> { ["Demo:Enabled"] = "false" }, db);
        await app.InitializeAsync();
        var client = StaffSession.ClientFrom(app, "10.9.0.1");
        Assert.Equal(HttpStatusCode.Redirect, (await StaffSession.PostSignInAsync(client, "X100", "4826")).StatusCode);
        // The demo's people do not exist here.
        var (outcome, _) = await StaffSession.SignInAnswerAsync(StaffSession.ClientFrom(app, "10.9.0.2"), "A001", "1111");
        Assert.NotEqual("signedin", outcome);
    }

    public sealed class OnSqlite() : FirstAdminTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : FirstAdminTests(DatabaseProvider.Postgres);
}

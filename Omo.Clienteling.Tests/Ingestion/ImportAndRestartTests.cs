using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Omo.Clienteling.Data;
using Omo.Clienteling.Ingestion;
using Omo.Clienteling.Tests.Support;
using static Omo.Clienteling.Tests.Support.Events;

namespace Omo.Clienteling.Tests.Ingestion;

public abstract class ImportAndRestartTests(DatabaseProvider provider)
{
    [Fact]
    public async Task Every_accepted_event_is_still_there_after_the_server_is_stopped_and_started_again()
    {
        await using var db = await TestDatabase.CreateAsync(provider, migrate: false);
        var id = NewMemberId();
        await using (var first = new AppServer(provider, database: db))
        {
            await first.InitializeAsync();
            using var client = first.ClientWithKey(ApiKeyOptions.DemoKey);
            var (response, body) = await PostAsync(client,
                NewMember(id),
                Event("store_checked_in", Card(CardOf(id)), new { source = "app" }, storeId: "S03"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(2, body.GetProperty("accepted").GetInt32());
        }

        await using var second = new AppServer(provider, database: db);
        await second.InitializeAsync();
        using var again = second.ClientWithKey(ApiKeyOptions.DemoKey);
        var profile = await ProfileAsync(again, CardOf(id), "S03");
        Assert.Equal("S03", profile.GetProperty("visits")[0].GetProperty("storeId").GetString());
    }

    [Fact]
    public async Task The_import_command_sends_a_file_through_the_same_validation_and_reports_a_summary()
    {
        await using var db = await TestDatabase.CreateAsync(provider, migrate: false);
        var folder = Directory.CreateTempSubdirectory("omo-import-").FullName;
        try
        {
            var id = NewMemberId();
            var lines = new[]
            {
                JsonSerializer.Serialize(NewMember(id)),
                JsonSerializer.Serialize(Event("pos_sale", Card(CardOf(id)), new { receiptId = $"R-{id}", lines = new[] { new { sku = "NO-SUCH-SKU", quantity = 1, unitPrice = 100 } } }, storeId: "S01")),
                "{not json",
                JsonSerializer.Serialize(Event("store_checked_in", Card(CardOf(id)), new { source = "beacon" }, storeId: "S02")),
            };
            var file = Path.Combine(folder, "till.ndjson");
            await File.WriteAllLinesAsync(file, lines);

            var (exit, output) = await RunAppAsync(db, "import", file, "--sender", "till-export");
            Assert.Equal(1, exit);
            Assert.Contains("2 accepted, 0 duplicates, 2 rejected", output);
            Assert.Contains("line 2: Unknown SKU", output);
            Assert.Contains("line 3: Line is not valid JSON", output);

            // The same file again: everything already accepted is a duplicate.
            (_, output) = await RunAppAsync(db, "import", file, "--sender", "till-export");
            Assert.Contains("0 accepted, 2 duplicates, 2 rejected", output);

            await using var server = new AppServer(provider, database: db);
            await server.InitializeAsync();
            using var client = server.ClientWithKey(ApiKeyOptions.DemoKey);
            var profile = await ProfileAsync(client, CardOf(id), "S02");
            Assert.Equal("beacon", profile.GetProperty("visits")[0].GetProperty("source").GetString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Runs the built app as its own process, as <c>dotnet run --project Omo.Clienteling -- …</c> would.</summary>
    public static Task<(int Exit, string Output)> RunAppAsync(TestDatabase db, params string[] args) => RunAppAsync(db, null, null, args);

    /// <summary>The same, with text on standard input (a PIN) and settings of its own (<c>Demo__Enabled</c>).</summary>
    public static async Task<(int Exit, string Output)> RunAppAsync(TestDatabase db, string? input, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            WorkingDirectory = Path.GetDirectoryName(typeof(Program).Assembly.Location)!,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["Database__Provider"] = db.Provider.ToString();
        start.Environment["ConnectionStrings__Omo"] = db.ConnectionString;
        start.Environment["Demo__Members"] = "300";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        if (input is not null) await process.StandardInput.WriteLineAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        return (process.ExitCode, await output + await error);
    }

    public sealed class OnSqlite() : ImportAndRestartTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : ImportAndRestartTests(DatabaseProvider.Postgres);
}

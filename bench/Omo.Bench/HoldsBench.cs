using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Omo.Clienteling.Holds;
using Omo.Clienteling.Members;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Bench;

/// <summary>
/// A busy Shibuya: 500 open holds and 40 appointments posted through the events API on the large dataset. Measured: the
/// preparation list read on the server, the same list on screen in Chromium (in-app navigation to /holds, to the frame
/// after the list is drawn), and the profile of members who have a hold against those who have none.
/// </summary>
public sealed class HoldsBench : IBenchSection
{
    private const int Holds = 500, Appointments = 40, WarmUp = 3, Runs = 20, Profiles = 200;

    public string Name => "holds";

    public async Task RunAsync(BenchOptions options, DatasetBench dataset, Report report)
    {
        var members = dataset.SampleMembers(Holds + Appointments + Profiles, seed: 5);
        List<(long Member, string Kind, string Value)> identities = [];
        string[] skus;
        await using (var connection = await dataset.Database.OpenAsync())
        {
            foreach (var m in members.Take(Holds + Appointments))
            {
                var i = await connection.QueryFirstAsync<(string Kind, string Value)>(
                    "SELECT kind, value FROM member_identifiers WHERE member_id = @m AND status = 'active' AND kind IN ('point_card', 'app_member') ORDER BY kind LIMIT 1", new { m });
                identities.Add((m, i.Kind, i.Value));
            }
            skus = (await connection.QueryAsync<string>("SELECT sku FROM stock WHERE store_id = 'S01' AND quantity > 3 ORDER BY sku")).ToArray();
        }

        await using var server = await BenchServer.StartAsync(dataset);
        // Until tomorrow or later: whenever the benchmark runs (after closing time a hold until today is refused).
        var today = ShopTime.DayOf(DateTimeOffset.UtcNow);
        var at = DateTimeOffset.UtcNow.AddMinutes(-5).ToOffset(ShopTime.Offset).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
        var events = identities.Select((who, n) => n < Holds
            ? Event("hold_requested", who, new
            {
                holdId = $"BENCH-H-{n}", purpose = n % 3 == 0 ? "purchase" : "try_on", holdUntil = today.AddDays(1 + n % 3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                lines = Enumerable.Range(0, 1 + n % 3).Select(k => new { sku = skus[(n * 7 + k * 131) % skus.Length], quantity = 1 }).ToArray(),
            }, at)
            : Event("appointment_booked", who, new
            {
                appointmentId = $"BENCH-A-{n}", minutes = 60, purpose = "styling",
                startsAt = ShopTime.At(today.AddDays(1), 11 + n % 8, 0).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
            }, at)).ToList();
        using (var client = server.Client())
            foreach (var batch in events.Chunk(100))
            {
                var response = await client.PostAsJsonAsync("/api/v1/events", batch);
                var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (answer.GetProperty("accepted").GetInt32() != batch.Length) throw new InvalidOperationException($"Holds refused: {answer}");
            }

        var preparation = server.Services.GetRequiredService<PreparationList>();
        var customers = 0;
        for (var i = 0; i < WarmUp; i++) customers = (await preparation.ForStoreAsync("S01")).Sum(d => d.Customers.Count);
        var reads = new List<double>();
        for (var i = 0; i < Runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await preparation.ForStoreAsync("S01");
            reads.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        report.AddLatencies("holds", $"preparation list read, {Holds} open holds + {Appointments} appointments ({customers} customers), server", reads);

        // The profile of members with a hold, beside members with none, on the same server.
        var profiles = server.Services.GetRequiredService<ProfileService>();
        var withHolds = identities.Take(Profiles).Select(i => i.Member).ToList();
        var without = members.Skip(Holds + Appointments).ToList();
        foreach (var m in withHolds.Take(20).Concat(without.Take(20))) await profiles.AssembleAsync(m, "S01");
        var timesWith = new List<double>();
        var timesWithout = new List<double>();
        for (var i = 0; i < Profiles; i++)
        {
            foreach (var (m, times) in new[] { (withHolds[i], timesWith), (without[i], timesWithout) })
            {
                var start = Stopwatch.GetTimestamp();
                var profile = await profiles.AssembleAsync(m, "S01");
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (times == timesWith && profile?.Holds.Count != 1) throw new InvalidOperationException($"Member {m} shows {profile?.Holds.Count} holds.");
            }
        }
        report.AddLatencies("holds", "profile assembly, members with a hold (server)", timesWith);
        report.AddLatencies("holds", "profile assembly, the same number of members without (server)", timesWithout);

        var (playwright, browser) = await Chromium.LaunchAsync();
        try
        {
            var tablet = await Chromium.OpenAsync(browser, server.BaseUrl + "/", "A001");
            var onScreen = new List<double>();
            for (var i = 0; i < WarmUp + Runs; i++)
            {
                var ms = await tablet.EvaluateAsync<double>(OpenListOnScreen);
                if (i >= WarmUp) onScreen.Add(ms);
                await tablet.EvaluateAsync("() => Blazor.navigateTo('/')");
                await tablet.GetByTestId("scan-input").WaitForAsync();
            }
            await tablet.EvaluateAsync<double>(OpenListOnScreen);
            var drawn = await tablet.Locator("[data-testid=due-customer]").CountAsync();
            report.AddLatencies("holds", $"scan page → preparation list on screen ({drawn} customers), Chromium, signed-in tablet", onScreen, "p95 ≤ 100 ms (the profile's budget)");
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    /// <summary>In-app navigation to /holds, timed from the call to the frame after the list's first customer is drawn.</summary>
    private const string OpenListOnScreen = """
        () => new Promise((resolve, reject) => {
          const start = performance.now();
          const drawn = () => document.querySelector("[data-testid=due-customer]");
          const observer = new MutationObserver(() => {
            if (!drawn()) return;
            observer.disconnect();
            requestAnimationFrame(() => resolve(performance.now() - start));
          });
          observer.observe(document.body, { childList: true, subtree: true });
          setTimeout(() => { observer.disconnect(); reject(new Error("the list did not appear")); }, 15000);
          Blazor.navigateTo('/holds');
        })
        """;

    private static Dictionary<string, object?> Event(string type, (long Member, string Kind, string Value) who, object data, string at) => new()
    {
        ["eventId"] = $"bench-{type}-{Guid.NewGuid():N}",
        ["type"] = type,
        ["occurredAt"] = at,
        ["identity"] = new { kind = who.Kind, value = who.Value },
        ["storeId"] = "S01",
        ["data"] = data,
    };
}

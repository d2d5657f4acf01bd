using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Omo.Clienteling.Catalog;
using Omo.Clienteling.Demo;
using Omo.Clienteling.Members;
using Omo.Clienteling.Scanning;
using Omo.Clienteling.TalkingPoints;

namespace Omo.Clienteling.Bench;

/// <summary>Server-side time from a scanned code to the assembled unified profile: parse, resolve, assemble.</summary>
public sealed class ProfileBench : IBenchSection
{
    public string Name => "profile";

    public async Task RunAsync(BenchOptions options, DatasetBench dataset, Report report)
    {
        var key = "omo-bench-app-code-key-0123456789"u8.ToArray();
        var clock = new FixedClock(Omo.Clienteling.ShopTime.At(DatasetBench.Today, 12, 0));
        // The app's own feature registrations over the benchmark's database: what is timed is what the app runs.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MemberCodes:AppCodeKey"] = Convert.ToBase64String(key),
        }).Build();
        await using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration).AddLogging()
            .AddSingleton(dataset.Database.Dialect).AddSingleton(dataset.Database).AddSingleton<Omo.Clienteling.Data.DataVersions>()
            .AddSingleton<TimeProvider>(clock)
            .AddCatalog(configuration).AddScanning(configuration).AddMembers(configuration).AddTalkingPoints(configuration)
            .BuildServiceProvider();
        await services.GetRequiredService<Omo.Clienteling.Data.DataVersions>().LoadAllAsync();
        var lookups = services.GetRequiredService<MemberLookupService>();
        var profiles = services.GetRequiredService<ProfileService>();
        var stock = services.GetRequiredService<StoreStockCache>();
        var talkingPointOptions = services.GetRequiredService<IOptions<TalkingPointOptions>>().Value;
        var engineTimes = new List<double>();

        // What each member would show: their first active identifier (an app code is minted fresh, as the app would).
        var members = dataset.SampleMembers(options.Samples, seed: 2).Concat(DemoPersonas.All.Select(p => p.MemberId)).ToArray();
        var codes = new List<string>();
        await using (var connection = await dataset.Database.OpenAsync())
            foreach (var m in members)
            {
                var i = await connection.QueryFirstOrDefaultAsync<(string Kind, string Value)>(
                    "SELECT kind, value FROM member_identifiers WHERE member_id = @m AND status = 'active' ORDER BY kind LIMIT 1", new { m });
                codes.Add(i.Kind == "app_member" ? AppCode.Create(key, i.Value, clock.GetUtcNow()) : i.Value ?? "");
            }

        foreach (var code in codes.Take(200)) await Profile(code); // warm-up
        engineTimes.Clear();
        var times = new List<double>(codes.Count);
        var personaTimes = new List<double>();
        var found = 0;
        for (var i = 0; i < codes.Count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var ok = await Profile(codes[i]);
            var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            (i < options.Samples ? times : personaTimes).Add(ms);
            if (ok) found++;
        }
        report.AddLatencies("profile", $"code → unified profile, random members", times, "p95 ≤ 5 ms");
        report.AddLatencies("profile", "code → unified profile, the demo personas", personaTimes);
        report.Add("profile", "lookups that found a member", $"{found} of {codes.Count}");
        report.AddLatencies("profile", "talking point engine, per profile (added to the profile)", engineTimes, "p95 < 1 ms");
        report.Add("profile", "SQL statements per profile", $"{ProfileService.StatementsPerProfile} in 2 round trips (+1 identifier lookup)");

        async Task<bool> Profile(string code)
        {
            var lookup = await lookups.LookupAsync(code);
            if (lookup.MemberId is not { } id || await profiles.AssembleAsync(id, "S01") is not { } profile) return false;
            var shelf = await stock.ForAsync("S01");
            var start = Stopwatch.GetTimestamp();
            TalkingPointEngine.Suggest(profile, shelf, clock.GetUtcNow(), talkingPointOptions);
            engineTimes.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            return true;
        }
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
    }
}

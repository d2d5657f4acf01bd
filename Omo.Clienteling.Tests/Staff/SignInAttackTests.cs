using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Omo.Clienteling.Staff;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.Staff;

/// <summary>
/// The sign-in form attacked over HTTP as an outsider would: common PINs across every code, a stranger keeping the
/// manager's code waiting, and a stopwatch on the answers. Each test comes from addresses of its own (the per-client
/// limits are per address) and attacks codes the others leave alone.
/// </summary>
public abstract class SignInAttackTests(AppServer app)
{
    private static readonly string[] CommonPins =
    [
        "0000", "1234", "1212", "7777", "1004", "2000", "4444", "6969", "1122", "1313", "4321", "2001", "1010", "5555", "6666",
        "8888", "1230", "0123", "2580", "1357", "2468", "0852", "1999", "1984", "2020", "2021", "2022", "2023", "2024", "2025",
    ];

    private static readonly string[] Codes = ["A001", "M001", "A002", "M002", "T001", "X001", "A003", "M003", "A010", "X002"];

    [Fact]
    public async Task Three_hundred_guesses_from_one_address_are_stopped_after_a_handful_while_the_admin_signs_in_from_elsewhere()
    {
        var since = DateTimeOffset.UtcNow.AddMinutes(-1);
        using var guesser = StaffSession.ClientFrom(app, "192.0.2.50");
        var guesses = (from pin in CommonPins
                       from code in Codes
                       select (code, pin)).Take(299).Append(("X001", "9999")).ToList();
        Assert.Equal(300, guesses.Count);

        var answers = new List<string>();
        foreach (var (code, pin) in guesses) answers.Add((await StaffSession.SignInAnswerAsync(guesser, code, pin)).Outcome);

        Assert.InRange(answers.Count(a => a == "refused"), 1, 10);
        Assert.Equal("throttled", answers[^1]); // the right pair, found too late
        Assert.DoesNotContain("signedin", answers);

        var (admin, _) = await StaffSession.SignInAsync(app, "X001", from: "192.0.2.51");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/audit")).StatusCode);
        var (_, byAddress) = await app.Services.GetRequiredService<AuditLog>().FailedSignInsAsync(null, since);
        Assert.Contains(byAddress, a => a.Key == "192.0.2.50" && a.Failures >= answers.Count(x => x == "refused"));
    }

    [Fact]
    public async Task A_stranger_keeps_the_managers_code_waiting_for_everyone_but_the_managers_own_tablet()
    {
        var tabletCookies = new CookieContainer();
        using var ownTablet = StaffSession.ClientFrom(app, "192.0.2.60", tabletCookies);
        Assert.Equal(HttpStatusCode.Redirect, (await StaffSession.PostSignInAsync(ownTablet, "M002", "2222")).StatusCode);
        await StaffSession.SignOutAsync(ownTablet);

        using var stranger = StaffSession.ClientFrom(app, "192.0.2.61");
        for (var i = 0; i < 5; i++) Assert.Equal("refused", (await StaffSession.SignInAnswerAsync(stranger, "M002", $"70{i}0")).Outcome);
        Assert.Equal("throttled", (await StaffSession.SignInAnswerAsync(stranger, "M002", "2222")).Outcome);
        using var anotherStranger = StaffSession.ClientFrom(app, "192.0.2.62");
        Assert.Equal("throttled", (await StaffSession.SignInAnswerAsync(anotherStranger, "M002", "2222")).Outcome);

        // The manager's own tablet (it has signed in as M002 before) is not kept waiting.
        Assert.Equal("signedin", (await StaffSession.SignInAnswerAsync(ownTablet, "M002", "2222")).Outcome);
        Assert.Equal(HttpStatusCode.OK, (await ownTablet.GetAsync("/board")).StatusCode);
    }

    [Fact]
    public async Task Unknown_codes_and_wrong_pins_take_about_as_long_to_answer()
    {
        // Loose on purpose (a busy two-core machine): the flaw was 4 ms against 58 ms, a factor of fifteen.
        string[] known = ["A001", "M001", "A002", "T001"];
        var pins = new Dictionary<string, string> { ["A001"] = "1111", ["M001"] = "2222", ["A002"] = "1111", ["T001"] = "3333" };
        var unknownTimes = new List<double>();
        var wrongTimes = new List<double>();
        var address = 0;
        async Task ClearFailuresAsync()
        {
            // A right PIN clears the code's failures, so the wrong ones never make it wait.
            foreach (var code in known)
                Assert.Equal("signedin", (await StaffSession.SignInAnswerAsync(StaffSession.ClientFrom(app, $"198.51.100.{++address}"), code, pins[code])).Outcome);
        }
        for (var round = 0; round < 16; round++)
        {
            if (round % 3 == 0) await ClearFailuresAsync();
            foreach (var code in known)
            {
                using var client = StaffSession.ClientFrom(app, $"198.51.100.{++address}");
                // Interleaved, so a slow moment of the machine hits both alike.
                wrongTimes.Add(await TimeAsync(client, code, "8642"));
                unknownTimes.Add(await TimeAsync(client, $"A9{round:D2}", "8642"));
            }
        }

        var unknown = Median(unknownTimes);
        var wrong = Median(wrongTimes);
        Assert.InRange(unknown / wrong, 1 / 3.0, 3.0);
    }

    private static async Task<double> TimeAsync(HttpClient client, string code, string pin)
    {
        var token = await StaffSession.FormTokenAsync(client); // the form is loaded outside the stopwatch
        var stopwatch = Stopwatch.StartNew();
        var response = await StaffSession.PostSignInAsync(client, token, code, pin);
        stopwatch.Stop();
        Assert.Equal("refused", (await StaffSession.AnswerOf(response)).Outcome);
        return stopwatch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    public sealed class ServerOnSqlite() : AppServer(DatabaseProvider.Sqlite);

    public sealed class ServerOnPostgres() : AppServer(DatabaseProvider.Postgres);

    public sealed class OnSqlite(ServerOnSqlite app) : SignInAttackTests(app), IClassFixture<ServerOnSqlite>;

    public sealed class OnPostgres(ServerOnPostgres app) : SignInAttackTests(app), IClassFixture<ServerOnPostgres>;
}

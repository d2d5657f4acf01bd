using Dapper;
using Microsoft.Playwright;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Bench;

/// <summary>
/// What the assistant feels: a wedge scanner's Enter on a signed-in tablet (Debian's Chromium) to the profile header
/// on screen, measured inside the page (from the Enter key to the frame after the header is in the document), scanning
/// one customer after another from the profile page as in a shop. And what an idle signed-in tablet costs the server.
/// </summary>
public sealed class BrowserBench : IBenchSection
{
    // Every scan is of another customer: none finds its member already read by an earlier one.
    private const int WarmUp = 40, Scans = 100, IdleTablets = 20;

    /// <summary>Between two customers: the first one's profile fully drawn and written down, then this much longer.</summary>
    private static readonly TimeSpan NextCustomer = TimeSpan.FromMilliseconds(300);

    public string Name => "browser";

    public async Task RunAsync(BenchOptions options, DatasetBench dataset, Report report)
    {
        string[] cards;
        await using (var connection = await dataset.Database.OpenAsync())
            cards = (await connection.QueryAsync<string>($"""
                SELECT i.value FROM member_identifiers i JOIN members m ON m.member_id = i.member_id
                WHERE i.kind = 'point_card' AND i.status = 'active' AND m.home_store_id = 'S01' ORDER BY random() LIMIT {WarmUp + 2 * Scans}
                """)).ToArray();
        await using var server = await BenchServer.StartAsync(dataset);
        var (playwright, browser) = await Chromium.LaunchAsync();
        try
        {
            var tablet = await Chromium.OpenAsync(browser, server.BaseUrl + "/", "A001");
            await tablet.EvaluateAsync(Stopwatch);
            await ScanAsync(tablet, cards[..WarmUp], backToBack: false);
            var (times, navigated) = await ScanAsync(tablet, cards[WarmUp..(WarmUp + Scans)], backToBack: false);
            report.AddLatencies("browser", $"Enter → profile header on screen, Chromium, signed-in tablet ({Scans} customers after {WarmUp})", times, "p95 ≤ 100 ms");
            report.AddLatencies("browser", "of which Enter → the tablet's address changes to the profile", navigated);
            // A queue at the counter: the next card scanned the moment a header shows, while the last profile's details
            // are still being drawn and its view written down.
            var (rushed, _) = await ScanAsync(tablet, cards[(WarmUp + Scans)..], backToBack: true);
            report.AddLatencies("browser", $"the same, back to back: the next card scanned as soon as a header shows ({Scans} customers)", rushed);

            report.Add("browser", $"server memory per idle signed-in tablet circuit ({IdleTablets} tablets)",
                $"{Report.Number(await MemoryPerIdleTabletAsync(browser, server.BaseUrl) / 1024.0)} KB", "≤ 300 KB");
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    /// <summary>Scans each card in turn from the page the tablet is on: milliseconds to the header, and to the new address.</summary>
    private static async Task<(List<double> Header, List<double> Navigated)> ScanAsync(IPage tablet, string[] cards, bool backToBack)
    {
        var times = new List<double>();
        var navigated = new List<double>();
        foreach (var card in cards)
        {
            await tablet.Keyboard.TypeAsync(card);
            await tablet.EvaluateAsync("() => window.omoBench.arm()");
            await tablet.Keyboard.PressAsync("Enter");
            try
            {
                times.Add(await (await tablet.WaitForFunctionAsync("() => window.omoBench.result", null, new() { Timeout = 15_000 })).JsonValueAsync<double>());
            }
            catch (TimeoutException)
            {
                throw new InvalidOperationException($"The scan of {card} showed no profile: {tablet.Url}\n{await tablet.InnerTextAsync("body")}");
            }
            navigated.Add(await tablet.EvaluateAsync<double>("() => window.omoBench.navigated ?? -1"));
            if (backToBack) continue;
            // The assistant reads the profile before the next customer comes: its details drawn, and a moment more.
            await tablet.Locator(".profile-grid").WaitForAsync();
            await Task.Delay(NextCustomer);
        }
        return (times, navigated);
    }

    /// <summary>
    /// Installed in the page once: after arm(), the scanner's Enter starts the clock, and result is set to the
    /// milliseconds from it to the frame after a new customer's header appeared.
    /// </summary>
    private const string Stopwatch = """
        () => {
          let start = 0, armed = false, memberSeen = null;
          // When the address changes (the server has found the member and sends the tablet to the profile).
          const push = history.pushState.bind(history);
          history.pushState = (...args) => { if (armed) window.omoBench.navigated = performance.now() - start; return push(...args); };
          document.addEventListener("keydown", e => { if (e.key === "Enter") start = performance.now(); }, true);
          const header = () => document.querySelector("[data-testid=profile-header]");
          const observer = new MutationObserver(() => {
            const h = header();
            if (armed && h && h.getAttribute("data-member-no") !== memberSeen) {
              armed = false;
              requestAnimationFrame(() => { window.omoBench.result = performance.now() - start; });
            }
          });
          observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-member-no"] });
          window.omoBench = {
            arm() {
              memberSeen = header()?.getAttribute("data-member-no") ?? null;
              this.result = undefined;
              this.navigated = undefined;
              armed = true;
            },
          };
        }
        """;

    /// <summary>
    /// What the server frees when an idle signed-in tablet leaves: its managed heap with <see cref="IdleTablets"/> tablets
    /// open on the scan page, against the same browser pages moved off the app (their circuits ended). The browsers'
    /// idle keep-alive connections and the benchmark's own Playwright objects are in both figures, so only the
    /// circuits' share remains.
    /// </summary>
    private static async Task<double> MemoryPerIdleTabletAsync(IBrowser browser, string baseUrl)
    {
        var tablets = new List<IPage>();
        for (var i = 0; i < IdleTablets; i++) tablets.Add(await Chromium.OpenAsync(browser, baseUrl + "/", "A001"));
        await Task.Delay(2000); // first renders done, timers set: idle
        var with = Heap();
        foreach (var tablet in tablets) await tablet.GotoAsync("about:blank");
        await Task.Delay(2000); // the pages' unload told the server to end their circuits
        var without = Heap();
        foreach (var tablet in tablets) await tablet.CloseAsync();
        return (with - without) / IdleTablets;
    }

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}

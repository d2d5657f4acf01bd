using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Omo.Clienteling.Catalog;
using Omo.Clienteling.Data;
using Omo.Clienteling.Holds;
using Omo.Clienteling.Tests.Support;
using static Omo.Clienteling.Tests.Support.Events;

namespace Omo.Clienteling.Tests.Holds;

/// <summary>
/// What time does to holds and appointments, on a fixed clock: a hold ends at closing time on its last day (the shop's
/// own closing time where it has one) and its stock goes back on sale then; an appointment's day that closes without
/// the member is a no-show; and the manager's figures count what happened.
/// </summary>
public abstract class HoldClockTests(DatabaseProvider provider) : IAsyncLifetime
{
    private static readonly DateOnly Today = TestDatabase.Today;
    private readonly TestClock _clock = new(ShopTime.At(Today, 10, 0));
    private TestDatabase _db = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _db = await (await TestDatabase.CreateAsync(provider)).WithDemoDataAsync(members: 20);
        _services = await TestServices.CreateAsync(_db, _clock, new Dictionary<string, string?> { ["Holds:ClosingTimes:S02"] = "21:00" });
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _db.DisposeAsync();
    }

    private async Task<(string Sku, int Available)> StockedSkuAsync(string store, int skip = 0)
    {
        await using var c = await _db.OpenAsync();
        return await c.QueryFirstAsync<(string, int)>($"""
            SELECT s.sku, {HeldStock.Available(_db.Dialect, "s")} FROM stock s WHERE s.store_id = @store AND s.quantity > 0 ORDER BY s.sku LIMIT 1 OFFSET {skip}
            """, new { store, now = _clock.GetUtcNow() });
    }

    private async Task<int> AvailableAsync(string sku, string store)
    {
        await using var c = await _db.OpenAsync();
        return await c.ExecuteScalarAsync<int>($"SELECT {HeldStock.Available(_db.Dialect, "s")} FROM stock s WHERE s.sku = @sku AND s.store_id = @store",
            new { sku, store, now = _clock.GetUtcNow() });
    }

    private async Task<string> StatusAsync(string table, string key, string id)
    {
        await using var c = await _db.OpenAsync();
        return await c.ExecuteScalarAsync<string>($"SELECT status FROM {table} WHERE {key} = @id", new { id }) ?? "";
    }

    private async Task<object> NewMemberAsync()
    {
        var id = NewMemberId();
        Assert.Equal(1, (await IngestAsync(_services, NewMember(id, at: _clock.GetUtcNow().AddDays(-30)))).Accepted);
        return Card(CardOf(id));
    }

    [Fact]
    public async Task A_hold_keeps_its_stock_until_closing_time_on_its_last_day_and_then_expires()
    {
        var member = await NewMemberAsync();
        var (sku, available) = await StockedSkuAsync("S01");
        var (late, lateAvailable) = await StockedSkuAsync("S02");
        var result = await IngestAsync(_services,
            Hold(member, "S01", "H-CLOCK-1", Today, _clock.GetUtcNow().AddMinutes(-5), lines: (sku, available)),
            Hold(member, "S02", "H-CLOCK-2", Today, _clock.GetUtcNow().AddMinutes(-5), lines: (late, lateAvailable)));
        Assert.Equal(2, result.Accepted);
        Assert.Equal(0, await AvailableAsync(sku, "S01"));
        var list = await _services.GetRequiredService<PreparationList>().ForStoreAsync("S01");
        Assert.Contains(list.SelectMany(d => d.Customers).SelectMany(c => c.Holds), h => h.HoldId == "H-CLOCK-1");

        _clock.Now = ShopTime.At(Today, 19, 59);
        Assert.Equal(0, await AvailableAsync(sku, "S01"));
        var keeper = _services.GetRequiredService<HoldKeeper>();
        Assert.Equal((0, 0), await keeper.SweepAsync());

        // Closing time in Shibuya: the stock is on sale again at once, and the sweep writes the hold off.
        _clock.Now = ShopTime.At(Today, 20, 0);
        Assert.Equal(available, await AvailableAsync(sku, "S01"));
        list = await _services.GetRequiredService<PreparationList>().ForStoreAsync("S01");
        Assert.DoesNotContain(list.SelectMany(d => d.Customers).SelectMany(c => c.Holds), h => h.HoldId == "H-CLOCK-1");
        Assert.Equal(1, (await keeper.SweepAsync()).Expired);
        Assert.Equal("expired", await StatusAsync("holds", "hold_id", "H-CLOCK-1"));
        // Shinjuku closes at 21:00 (Holds:ClosingTimes).
        Assert.Equal("requested", await StatusAsync("holds", "hold_id", "H-CLOCK-2"));
        Assert.Equal(0, await AvailableAsync(late, "S02"));
        _clock.Now = ShopTime.At(Today, 21, 0);
        Assert.Equal(1, (await keeper.SweepAsync()).Expired);
        Assert.Equal(lateAvailable, await AvailableAsync(late, "S02"));

        // An expired hold cannot be cancelled, and a sale no longer completes it.
        var refused = await IngestAsync(_services, Event("hold_cancelled", member, new { holdId = "H-CLOCK-1" }, storeId: "S01", at: _clock.GetUtcNow().AddMinutes(-1)));
        Assert.Equal("Hold already closed", Assert.Single(refused.Rejected).Title);
    }

    [Fact]
    public async Task An_appointment_is_kept_when_the_member_checks_in_that_day_and_a_no_show_when_the_day_closes_without_them()
    {
        // At Ikebukuro: the demo's own appointment (persona 11) is at Shibuya.
        var (comes, stays) = (await NewMemberAsync(), await NewMemberAsync());
        var booked = _clock.GetUtcNow().AddMinutes(-10);
        Assert.Equal(2, (await IngestAsync(_services,
            Appointment(comes, "S04", "A-CLOCK-1", ShopTime.At(Today, 14, 0), booked),
            Appointment(stays, "S04", "A-CLOCK-2", ShopTime.At(Today, 15, 0), booked, purpose: "try_on"))).Accepted);

        _clock.Now = ShopTime.At(Today, 13, 50);
        Assert.Equal(1, (await IngestAsync(_services, Event("store_checked_in", comes, new { source = "app" }, storeId: "S04", at: _clock.GetUtcNow()))).Accepted);
        Assert.Equal("visited", await StatusAsync("appointments", "appointment_id", "A-CLOCK-1"));

        // Late, but the day is not over: still booked.
        _clock.Now = ShopTime.At(Today, 16, 0);
        var keeper = _services.GetRequiredService<HoldKeeper>();
        Assert.Equal((0, 0), await keeper.SweepAsync());
        Assert.Equal("booked", await StatusAsync("appointments", "appointment_id", "A-CLOCK-2"));

        _clock.Now = ShopTime.At(Today, 20, 0);
        Assert.True((await keeper.SweepAsync()).NoShows >= 1);
        Assert.Equal("no_show", await StatusAsync("appointments", "appointment_id", "A-CLOCK-2"));
        Assert.Equal("visited", await StatusAsync("appointments", "appointment_id", "A-CLOCK-1"));

        var figures = await _services.GetRequiredService<HoldReport>().ForAsync("S04", Today, Today);
        Assert.Equal((2, 1, 1), (figures.Appointments, figures.Shows, figures.NoShows));
        Assert.Equal(0.5, figures.ShowRate);
    }

    [Fact]
    public async Task An_appointment_booked_at_the_counter_after_the_check_in_is_kept_when_the_day_closes()
    {
        var member = await NewMemberAsync();
        _clock.Now = ShopTime.At(Today, 11, 0);
        Assert.Equal(1, (await IngestAsync(_services, Event("store_checked_in", member, new { source = "staff" }, storeId: "S05", at: _clock.GetUtcNow()))).Accepted);
        _clock.Now = ShopTime.At(Today, 11, 30);
        Assert.Equal(1, (await IngestAsync(_services, Appointment(member, "S05", "A-CLOCK-COUNTER", ShopTime.At(Today, 16, 0), _clock.GetUtcNow()))).Accepted);
        Assert.Equal("booked", await StatusAsync("appointments", "appointment_id", "A-CLOCK-COUNTER"));

        _clock.Now = ShopTime.At(Today, 20, 0);
        await _services.GetRequiredService<HoldKeeper>().SweepAsync();
        Assert.Equal("visited", await StatusAsync("appointments", "appointment_id", "A-CLOCK-COUNTER"));
    }

    [Fact]
    public async Task The_report_counts_holds_that_brought_the_customer_in_and_those_that_ended_in_a_sale()
    {
        var (buys, looks, never, cancels) = (await NewMemberAsync(), await NewMemberAsync(), await NewMemberAsync(), await NewMemberAsync());
        var (sku, _) = await StockedSkuAsync("S03");
        var at = _clock.GetUtcNow().AddMinutes(-30);
        Assert.Equal(4, (await IngestAsync(_services,
            Hold(buys, "S03", "H-REP-1", Today, at, lines: (sku, 1)),
            Hold(looks, "S03", "H-REP-2", Today, at, lines: (sku, 1)),
            Hold(never, "S03", "H-REP-3", Today, at, lines: (sku, 1)),
            Hold(cancels, "S03", "H-REP-4", Today, at, lines: (sku, 1)))).Accepted);
        _clock.Now = ShopTime.At(Today, 12, 0);
        var now = _clock.GetUtcNow();
        var result = await IngestAsync(_services,
            Event("store_checked_in", buys, new { source = "beacon" }, storeId: "S03", at: now.AddMinutes(-20)),
            Event("pos_sale", buys, new { receiptId = "R-REP-1", lines = new[] { new { sku, quantity = 1, unitPrice = 9900 } } }, storeId: "S03", at: now.AddMinutes(-10)),
            Event("store_checked_in", looks, new { source = "app" }, storeId: "S03", at: now.AddMinutes(-5)),
            Event("hold_cancelled", cancels, new { holdId = "H-REP-4" }, storeId: "S03", at: now.AddMinutes(-1)));
        Assert.True(result.Accepted == 4, string.Join("; ", result.Rejected.Select(r => r.Detail)));
        Assert.Equal("completed", await StatusAsync("holds", "hold_id", "H-REP-1"));

        _clock.Now = ShopTime.At(Today, 20, 30);
        await _services.GetRequiredService<HoldKeeper>().SweepAsync();
        var figures = await _services.GetRequiredService<HoldReport>().ForAsync("S03", Today, Today);
        // Ended: bought (1) and expired (2); visited: the buyer and the one who only looked.
        Assert.Equal((4, 3, 2, 1, 1), (figures.Holds, figures.Ended, figures.Visited, figures.Purchased, figures.Cancelled));
        Assert.Equal(2.0 / 3, figures.VisitRate, 3);
        Assert.Equal(1.0 / 3, figures.PurchaseRate, 3);
        // Another shop's figures are its own.
        Assert.Equal(0, (await _services.GetRequiredService<HoldReport>().ForAsync("S01", Today, Today)).Holds);
    }

    public sealed class OnSqlite() : HoldClockTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : HoldClockTests(DatabaseProvider.Postgres);
}

using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Omo.Clienteling.Demo;
using Omo.Clienteling.Staff;

namespace Omo.Clienteling.Tests.Staff;

public abstract class StaffDirectoryTests(DatabaseProvider provider) : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private ServiceProvider _services = null!;
    private readonly TestClock _clock = new(TestDatabase.Now);
    private StaffDirectory _staff = null!;
    private static readonly StaffMember Admin = new("X001", "管理者", StaffRoles.Admin, "S01");

    public async Task InitializeAsync()
    {
        _db = await (await TestDatabase.CreateAsync(provider)).WithDemoDataAsync(members: 20);
        _services = await TestServices.CreateAsync(_db, _clock);
        _staff = _services.GetRequiredService<StaffDirectory>();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _db.DisposeAsync();
    }

    /// <summary>Each call a different shop address: tests of the per-code limit keep clear of the per-client one.</summary>
    private int _address;
    private SignInGuard.Client Somewhere() => new($"10.0.0.{++_address}", null);

    private async Task<List<(string Action, string? StaffCode, string? Detail, string? Address)>> Audit()
    {
        await using var c = await _db.OpenAsync();
        return (await c.QueryAsync<(string, string?, string?, string?)>("SELECT action, staff_code, detail, client_address FROM audit_log ORDER BY audit_id")).ToList();
    }

    [Fact]
    public async Task The_right_pin_signs_in_whatever_way_the_code_is_typed_and_is_audited_with_the_address()
    {
        var check = await _staff.CheckPinAsync(" ａ００１ ", "1111", "signin", new SignInGuard.Client("192.0.2.7", null));

        Assert.Equal(SignInOutcome.SignedIn, check.Outcome);
        Assert.Equal(("associate", "S01"), (check.Account!.Role, check.Account.StoreId));
        Assert.Equal((AuditActions.SignedIn, "A001", "signin", "192.0.2.7"), (await Audit()).Single());
    }

    [Fact]
    public async Task Pins_are_stored_as_password_hashes_never_in_clear()
    {
        await using var c = await _db.OpenAsync();
        var hash = (await c.ExecuteScalarAsync<string>("SELECT pin_hash FROM staff WHERE staff_code = 'A001'"))!;
        Assert.DoesNotContain("1111", hash);
        Assert.NotEqual(PasswordVerificationResult.Failed, new PasswordHasher<object>().VerifyHashedPassword(new object(), hash, "1111"));
    }

    [Fact]
    public async Task Wrong_pins_slow_a_code_down_with_growing_waits_and_a_code_that_does_not_exist_is_treated_alike()
    {
        var answers = new Dictionary<string, List<(SignInOutcome, TimeSpan?)>>();
        foreach (var (code, pin) in new[] { ("A001", "1111"), ("Z999", "1111") })
        {
            var seen = answers[code] = [];
            var start = _clock.GetUtcNow();
            async Task Try(string tried)
            {
                var check = await _staff.CheckPinAsync(code, tried, "signin", Somewhere());
                seen.Add((check.Outcome, check.RetryAt - _clock.GetUtcNow()));
            }
            for (var i = 0; i < 5; i++) await Try("8642");
            await Try(pin);                        // waiting: even the right PIN is not looked at
            _clock.Advance(TimeSpan.FromSeconds(30));
            await Try("8642");                     // the sixth failure: a minute this time
            await Try(pin);
            _clock.Advance(TimeSpan.FromMinutes(1));
            await Try(pin);
            _clock.Now = start + TimeSpan.FromHours(1);
        }

        Assert.Equal<(SignInOutcome, TimeSpan?)>(
        [
            (SignInOutcome.Refused, null), (SignInOutcome.Refused, null), (SignInOutcome.Refused, null), (SignInOutcome.Refused, null), (SignInOutcome.Refused, null),
            (SignInOutcome.Throttled, TimeSpan.FromSeconds(30)),
            (SignInOutcome.Refused, null),
            (SignInOutcome.Throttled, TimeSpan.FromMinutes(1)),
            (SignInOutcome.SignedIn, null),
        ], answers["A001"]);
        // An unknown code gets the same answers at the same moments, but never gets in.
        Assert.Equal(answers["A001"][..^1], answers["Z999"][..^1]);
        Assert.Equal(SignInOutcome.Refused, answers["Z999"][^1].Item1);
    }

    [Fact]
    public async Task A_stranger_keeps_the_admins_code_waiting_but_the_admins_own_tablet_signs_in_and_lifts_the_wait()
    {
        var guard = _services.GetRequiredService<SignInGuard>();
        var tablet = guard.ReadDevice(guard.TrustDevice(null, "X001"));
        Assert.NotNull(tablet);
        for (var i = 0; i < 5; i++) await _staff.CheckPinAsync("X001", "8642", "signin", Somewhere());
        Assert.Equal(SignInOutcome.Throttled, (await _staff.CheckPinAsync("X001", "9999", "signin", Somewhere())).Outcome);
        // Another person's tablet is a stranger for this code too.
        var othersTablet = guard.ReadDevice(guard.TrustDevice(null, "A001"));
        Assert.Equal(SignInOutcome.Throttled, (await _staff.CheckPinAsync("X001", "9999", "signin", new SignInGuard.Client("10.1.1.1", othersTablet))).Outcome);

        Assert.Equal(SignInOutcome.SignedIn, (await _staff.CheckPinAsync("X001", "9999", "signin", new SignInGuard.Client("10.1.1.1", tablet))).Outcome);
        Assert.Equal(SignInOutcome.Refused, (await _staff.CheckPinAsync("X001", "8642", "signin", Somewhere())).Outcome);
        Assert.Empty(await guard.WaitingAsync());
    }

    [Fact]
    public async Task One_address_that_keeps_failing_waits_whatever_codes_it_tries_while_other_addresses_sign_in()
    {
        var shop = new SignInGuard.Client("203.0.113.9", null);
        for (var i = 0; i < 10; i++)
            Assert.Equal(SignInOutcome.Refused, (await _staff.CheckPinAsync($"A{100 + i}", "8642", "signin", shop)).Outcome);

        var refused = await _staff.CheckPinAsync("A001", "1111", "signin", shop);
        Assert.Equal(SignInOutcome.Throttled, refused.Outcome);
        Assert.Null(refused.Account);
        Assert.Equal(SignInOutcome.SignedIn, (await _staff.CheckPinAsync("A001", "1111", "signin", Somewhere())).Outcome);
    }

    [Fact]
    public async Task Past_the_limit_for_everyone_clients_that_failed_wait_and_clean_ones_still_sign_in()
    {
        await using var services = await TestServices.CreateAsync(_db, _clock, new Dictionary<string, string?> { ["Staff:FailuresForEveryone"] = "6" });
        var staff = services.GetRequiredService<StaffDirectory>();
        // A guesser with many addresses: three failures from each of two addresses use up everyone's budget.
        SignInGuard.Client[] guesser = [new("198.51.100.1", null), new("198.51.100.2", null)];
        foreach (var from in guesser)
            for (var i = 0; i < 3; i++) Assert.Equal(SignInOutcome.Refused, (await staff.CheckPinAsync($"A{200 + i}", "8642", "signin", from)).Outcome);

        Assert.Equal(SignInOutcome.Throttled, (await staff.CheckPinAsync("A001", "1111", "signin", guesser[0])).Outcome);
        Assert.Equal(SignInOutcome.SignedIn, (await staff.CheckPinAsync("A001", "1111", "signin", new("198.51.100.3", null))).Outcome);
    }

    [Fact]
    public async Task An_unknown_code_a_deactivated_one_and_a_wrong_pin_get_one_answer_and_a_scanned_card_is_not_written_down()
    {
        await _staff.SetActiveAsync("A002", false, Admin);
        var unknown = await _staff.CheckPinAsync("Z999", "1111", "signin", Somewhere());
        var deactivated = await _staff.CheckPinAsync("A002", "1111", "signin", Somewhere());
        var wrong = await _staff.CheckPinAsync("A001", "8642", "signin", Somewhere());
        var card = await _staff.CheckPinAsync("2900000000018", "1111", "signin", Somewhere());
        Assert.All(new[] { unknown, deactivated, wrong, card }, c => Assert.Equal(new PinCheck(SignInOutcome.Refused, null, null), c));

        var audit = await Audit();
        Assert.Contains((AuditActions.SignInFailed, "Z999", "signin:refused", "10.0.0.1"), audit);
        Assert.Contains((AuditActions.SignInFailed, null, "signin:refused", "10.0.0.4"), audit);
        Assert.Contains((AuditActions.StaffChanged, "X001", "deactivated A002", null), audit);
        Assert.DoesNotContain(audit, a => a.StaffCode?.Contains("2900000000018") == true || a.Detail?.Contains("2900000000018") == true);
        await using var c = await _db.OpenAsync();
        Assert.Equal(["A001", "A002", "Z999"], (await c.QueryAsync<string>("SELECT code FROM sign_in_throttle ORDER BY code")).ToList());
    }

    [Fact]
    public async Task A_new_pin_deactivation_and_sign_out_everywhere_end_the_persons_open_sessions()
    {
        var sessions = _services.GetRequiredService<StaffSessions>();
        var tablet = await sessions.StartAsync("A001", StaffRoles.Associate, "S01", null);
        var otherTablet = await sessions.StartAsync("A001", StaffRoles.Associate, "S01", null);
        var colleague = await sessions.StartAsync("A002", StaffRoles.Associate, "S01", null);

        await _staff.SaveAsync("A001", "青木 あかり", StaffRoles.Associate, "S01", "482913", Admin);
        Assert.False(await sessions.IsOpenAsync(tablet));
        Assert.False(await sessions.IsOpenAsync(otherTablet));
        Assert.True(await sessions.IsOpenAsync(colleague));

        var again = await sessions.StartAsync("A001", StaffRoles.Associate, "S01", null);
        await _staff.SignOutEverywhereAsync("A001", Admin);
        Assert.False(await sessions.IsOpenAsync(again));
        await _staff.SetActiveAsync("A002", false, Admin);
        Assert.False(await sessions.IsOpenAsync(colleague));

        await using var c = await _db.OpenAsync();
        var reasons = (await c.QueryAsync<(string Id, string Reason)>("SELECT session_id, ended_reason FROM staff_sessions")).ToDictionary(r => r.Id, r => r.Reason);
        Assert.Equal([SessionEndings.PinChanged, SessionEndings.PinChanged, SessionEndings.SignedOutEverywhere, SessionEndings.Deactivated],
            new[] { tablet, otherTablet, again, colleague }.Select(id => reasons[id]));
    }

    [Fact]
    public async Task An_admin_adds_staff_with_a_pin_they_can_sign_in_with_and_bad_input_is_explained()
    {
        await _staff.SaveAsync("a123", "新人 花子", StaffRoles.Associate, "S03", "482913", Admin);
        Assert.Equal(SignInOutcome.SignedIn, (await _staff.CheckPinAsync("A123", "482913", "signin", Somewhere())).Outcome);

        async Task<string> Refusal(string code, string name, string role, string? store, string pin) =>
            (await Assert.ThrowsAnyAsync<ArgumentException>(() => _staff.SaveAsync(code, name, role, store, pin, Admin))).Message;
        Assert.Contains("4 to 8 digits", await Refusal("A124", "x", StaffRoles.Associate, "S01", "12"));
        Assert.Contains("belong to a store", await Refusal("A124", "x", StaffRoles.Manager, null, "482913"));
        Assert.Contains("longer than 60", await Refusal("A124", new string('名', 61), StaffRoles.Associate, "S01", "482913"));
        Assert.Contains("text-direction", await Refusal("A124", "evil\u202Eevil", StaffRoles.Associate, "S01", "482913"));
        Assert.Contains("control character", await Refusal("A124", "nul\0name", StaffRoles.Associate, "S01", "482913"));
    }

    [Fact]
    public async Task Pins_that_are_easy_to_guess_are_refused_on_real_data_and_allowed_only_on_the_demo()
    {
        await _staff.SaveAsync("A124", "デモ 太郎", StaffRoles.Associate, "S01", "1234", Admin);

        await using (var c = await _db.OpenAsync())
            await c.ExecuteAsync("DELETE FROM demo_state");
        await _services.GetRequiredService<DemoDataset>().ReloadAsync();
        foreach (var weak in new[] { "0000", "1234", "4321", "121212", "1987", "2580" })
            Assert.Contains("too easy to guess", (await Assert.ThrowsAsync<ArgumentException>(() => _staff.SaveAsync("A125", "本番 花子", StaffRoles.Associate, "S01", weak, Admin))).Message);
        await _staff.SaveAsync("A125", "本番 花子", StaffRoles.Associate, "S01", "482913", Admin);
    }

    public sealed class OnSqlite() : StaffDirectoryTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : StaffDirectoryTests(DatabaseProvider.Postgres);
}

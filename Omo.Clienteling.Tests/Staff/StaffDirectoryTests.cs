using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Omo.Clienteling.Staff;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.Staff;

public abstract class StaffDirectoryTests(DatabaseProvider provider) : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private readonly TestClock _clock = new(TestDatabase.Now);
    private StaffDirectory _staff = null!;

    public async Task InitializeAsync()
    {
        _db = await (await TestDatabase.CreateAsync(provider)).WithDemoDataAsync(members: 20);
        _staff = new StaffDirectory(_db.Database, new AuditLog(_db.Database, _clock), Options.Create(new StaffOptions()), _clock);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<List<(string Action, string? StaffCode, string? Detail)>> Audit()
    {
        await using var c = await _db.OpenAsync();
        return (await c.QueryAsync<(string, string?, string?)>("SELECT action, staff_code, detail FROM audit_log ORDER BY audit_id")).ToList();
    }

    [Fact]
    public async Task The_right_pin_signs_in_whatever_way_the_code_is_typed_and_is_audited()
    {
        var check = await _staff.CheckPinAsync(" ａ００１ ", "1111", "signin");

        Assert.Equal(SignInOutcome.SignedIn, check.Outcome);
        Assert.Equal(("associate", "S01"), (check.Account!.Role, check.Account.StoreId));
        Assert.Equal((AuditActions.SignedIn, "A001", "signin"), (await Audit()).Single());
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
    public async Task Five_wrong_pins_lock_the_code_even_for_the_right_pin_until_the_lockout_ends()
    {
        for (var i = 1; i <= 4; i++)
        {
            var wrong = await _staff.CheckPinAsync("A001", "0000", "signin");
            Assert.Equal((SignInOutcome.WrongPin, 5 - i), (wrong.Outcome, wrong.AttemptsLeft));
        }
        var fifth = await _staff.CheckPinAsync("A001", "0000", "signin");
        Assert.Equal(SignInOutcome.LockedOut, fifth.Outcome);
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromMinutes(15), fifth.LockedUntil);

        _clock.Advance(TimeSpan.FromMinutes(14));
        var stillLocked = await _staff.CheckPinAsync("A001", "1111", "signin");
        Assert.Equal(SignInOutcome.LockedOut, stillLocked.Outcome);
        Assert.Equal(TimeSpan.FromMinutes(1), stillLocked.LockedUntil - _clock.GetUtcNow());

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(SignInOutcome.SignedIn, (await _staff.CheckPinAsync("A001", "1111", "signin")).Outcome);
        Assert.Equal(6, (await Audit()).Count(a => a.Action == AuditActions.SignInFailed));
        // Another person's code is not affected.
        Assert.Equal(SignInOutcome.SignedIn, (await _staff.CheckPinAsync("A002", "1111", "signin")).Outcome);
    }

    [Fact]
    public async Task A_right_pin_resets_the_count_of_wrong_ones()
    {
        for (var i = 0; i < 4; i++) await _staff.CheckPinAsync("A001", "9999", "signin");
        await _staff.CheckPinAsync("A001", "1111", "signin");
        Assert.Equal(4, (await _staff.CheckPinAsync("A001", "9999", "signin")).AttemptsLeft);
    }

    [Fact]
    public async Task An_unknown_or_deactivated_code_is_refused_and_the_failure_audited()
    {
        Assert.Equal(SignInOutcome.Unknown, (await _staff.CheckPinAsync("Z999", "1111", "signin")).Outcome);
        var admin = new StaffMember("X001", "管理者", StaffRoles.Admin, "S01");
        await _staff.SetActiveAsync("A002", false, admin);
        Assert.Equal(SignInOutcome.Unknown, (await _staff.CheckPinAsync("A002", "1111", "signin")).Outcome);
        Assert.False(await _staff.IsCurrentAsync("A002", StaffRoles.Associate));

        var audit = await Audit();
        Assert.Contains((AuditActions.SignInFailed, "Z999", "signin:unknown"), audit);
        Assert.Contains((AuditActions.StaffChanged, "X001", "deactivated A002"), audit);
    }

    [Fact]
    public async Task An_admin_adds_staff_with_a_pin_they_can_sign_in_with_and_bad_input_is_explained()
    {
        var admin = new StaffMember("X001", "管理者", StaffRoles.Admin, "S01");
        await _staff.SaveAsync("a123", "新人 花子", StaffRoles.Associate, "S03", "482913", admin);
        Assert.Equal(SignInOutcome.SignedIn, (await _staff.CheckPinAsync("A123", "482913", "signin")).Outcome);

        Assert.Contains("4 to 8 digits", (await Assert.ThrowsAsync<ArgumentException>(() => _staff.SaveAsync("A124", "x", StaffRoles.Associate, "S01", "12", admin))).Message);
        Assert.Contains("belong to a store", (await Assert.ThrowsAsync<ArgumentException>(() => _staff.SaveAsync("A124", "x", StaffRoles.Manager, null, "1234", admin))).Message);
    }

    public sealed class OnSqlite() : StaffDirectoryTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : StaffDirectoryTests(DatabaseProvider.Postgres);
}

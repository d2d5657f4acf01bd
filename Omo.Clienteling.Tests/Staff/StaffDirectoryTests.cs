using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Omo.Clienteling.Staff;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.Staff;

public sealed class StaffDirectoryTests : IDisposable
{
    private readonly TestDatabase _db = new TestDatabase().WithDemoData(members: 20);
    private readonly TestClock _clock = new(TestDatabase.Now);
    private readonly StaffDirectory _staff;

    public StaffDirectoryTests() => _staff = new StaffDirectory(_db.Database, new AuditLog(_db.Database, _clock), Options.Create(new StaffOptions()), _clock);

    public void Dispose() => _db.Dispose();

    private List<(string Action, string? StaffCode, string? Detail)> Audit()
    {
        using var c = _db.Open();
        return c.Query<(string, string?, string?)>("SELECT action, staff_code, detail FROM audit_log ORDER BY audit_id").ToList();
    }

    [Fact]
    public void The_right_pin_signs_in_whatever_way_the_code_is_typed_and_is_audited()
    {
        var check = _staff.CheckPin(" ａ００１ ", "1111", "signin");

        Assert.Equal(SignInOutcome.SignedIn, check.Outcome);
        Assert.Equal(("associate", "S01"), (check.Account!.Role, check.Account.StoreId));
        Assert.Equal((AuditActions.SignedIn, "A001", "signin"), Audit().Single());
    }

    [Fact]
    public void Pins_are_stored_as_password_hashes_never_in_clear()
    {
        using var c = _db.Open();
        var hash = c.ExecuteScalar<string>("SELECT pin_hash FROM staff WHERE staff_code = 'A001'")!;
        Assert.DoesNotContain("1111", hash);
        Assert.NotEqual(PasswordVerificationResult.Failed, new PasswordHasher<object>().VerifyHashedPassword(new object(), hash, "1111"));
    }

    [Fact]
    public void Five_wrong_pins_lock_the_code_even_for_the_right_pin_until_the_lockout_ends()
    {
        for (var i = 1; i <= 4; i++)
        {
            var wrong = _staff.CheckPin("A001", "0000", "signin");
            Assert.Equal((SignInOutcome.WrongPin, 5 - i), (wrong.Outcome, wrong.AttemptsLeft));
        }
        var fifth = _staff.CheckPin("A001", "0000", "signin");
        Assert.Equal(SignInOutcome.LockedOut, fifth.Outcome);
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromMinutes(15), fifth.LockedUntil);

        _clock.Advance(TimeSpan.FromMinutes(14));
        var stillLocked = _staff.CheckPin("A001", "1111", "signin");
        Assert.Equal(SignInOutcome.LockedOut, stillLocked.Outcome);
        Assert.Equal(TimeSpan.FromMinutes(1), stillLocked.LockedUntil - _clock.GetUtcNow());

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(SignInOutcome.SignedIn, _staff.CheckPin("A001", "1111", "signin").Outcome);
        Assert.Equal(6, Audit().Count(a => a.Action == AuditActions.SignInFailed));
        // Another person's code is not affected.
        Assert.Equal(SignInOutcome.SignedIn, _staff.CheckPin("A002", "1111", "signin").Outcome);
    }

    [Fact]
    public void A_right_pin_resets_the_count_of_wrong_ones()
    {
        for (var i = 0; i < 4; i++) _staff.CheckPin("A001", "9999", "signin");
        _staff.CheckPin("A001", "1111", "signin");
        Assert.Equal(4, _staff.CheckPin("A001", "9999", "signin").AttemptsLeft);
    }

    [Fact]
    public void An_unknown_or_deactivated_code_is_refused_and_the_failure_audited()
    {
        Assert.Equal(SignInOutcome.Unknown, _staff.CheckPin("Z999", "1111", "signin").Outcome);
        var admin = new StaffMember("X001", "管理者", StaffRoles.Admin, "S01");
        _staff.SetActive("A002", false, admin);
        Assert.Equal(SignInOutcome.Unknown, _staff.CheckPin("A002", "1111", "signin").Outcome);
        Assert.False(_staff.IsCurrent("A002", StaffRoles.Associate));

        var audit = Audit();
        Assert.Contains((AuditActions.SignInFailed, "Z999", "signin:unknown"), audit);
        Assert.Contains((AuditActions.StaffChanged, "X001", "deactivated A002"), audit);
    }

    [Fact]
    public void An_admin_adds_staff_with_a_pin_they_can_sign_in_with_and_bad_input_is_explained()
    {
        var admin = new StaffMember("X001", "管理者", StaffRoles.Admin, "S01");
        _staff.Save("a123", "新人 花子", StaffRoles.Associate, "S03", "482913", admin);
        Assert.Equal(SignInOutcome.SignedIn, _staff.CheckPin("A123", "482913", "signin").Outcome);

        Assert.Contains("4 to 8 digits", Assert.Throws<ArgumentException>(() => _staff.Save("A124", "x", StaffRoles.Associate, "S01", "12", admin)).Message);
        Assert.Contains("belong to a store", Assert.Throws<ArgumentException>(() => _staff.Save("A124", "x", StaffRoles.Manager, null, "1234", admin)).Message);
    }
}

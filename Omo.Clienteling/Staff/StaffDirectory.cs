using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Omo.Clienteling.Data;

namespace Omo.Clienteling.Staff;

public enum SignInOutcome { SignedIn, WrongPin, LockedOut, Unknown }

/// <summary>The end of a PIN check: who, or why not, with the attempts left or the end of the lock-out.</summary>
public sealed record PinCheck(SignInOutcome Outcome, StaffAccount? Account, int AttemptsLeft, DateTimeOffset? LockedUntil);

/// <summary>A row of the staff table, for sign-in and the admin's staff page.</summary>
public sealed record StaffAccount(string Code, string Name, string Role, string? StoreId, bool Active, int FailedPinAttempts, DateTimeOffset? LockedUntil);

/// <summary>
/// Staff codes and PINs. PINs are stored only as ASP.NET Core <see cref="PasswordHasher{TUser}"/> hashes; wrong PINs
/// count towards a lock-out whether they were typed at sign-in or on the idle lock screen.
/// </summary>
public sealed partial class StaffDirectory(OmoDatabase database, AuditLog audit, IOptions<StaffOptions> options, TimeProvider clock)
{
    private static readonly PasswordHasher<StaffAccount> Hasher = new();

    [GeneratedRegex(@"^[0-9]{4,8}$")]
    private static partial Regex PinFormat();

    [GeneratedRegex(@"^[A-Z][0-9]{3,7}$")]
    private static partial Regex CodeFormat();

    public static bool IsValidPin(string? pin) => pin is not null && PinFormat().IsMatch(pin);

    /// <summary>Staff codes as people type them: trimmed, full-width turned half-width, upper case.</summary>
    public static string NormaliseCode(string? code) => (code ?? "").Normalize(NormalizationForm.FormKC).Trim().ToUpperInvariant();

    public async Task<StaffAccount?> FindAsync(string code)
    {
        await using var c = await database.OpenAsync();
        return await FindAsync(c, NormaliseCode(code));
    }

    /// <summary>Checks a PIN, counting wrong ones; <paramref name="purpose"/> goes to the audit ("signin", "unlock").</summary>
    public async Task<PinCheck> CheckPinAsync(string? code, string? pin, string purpose)
    {
        var normalised = NormaliseCode(code);
        var now = clock.GetUtcNow();
        var o = options.Value;
        var check = await database.InTransactionAsync(async (c, t) =>
        {
            var account = await FindAsync(c, normalised, t, database.Dialect.ForUpdate);
            if (account is null || !account.Active) return new PinCheck(SignInOutcome.Unknown, null, 0, null);
            if (account.LockedUntil > now) return new PinCheck(SignInOutcome.LockedOut, account, 0, account.LockedUntil);

            var hash = (await c.ExecuteScalarAsync<string>("SELECT pin_hash FROM staff WHERE staff_code = @normalised", new { normalised }, t))!;
            var verdict = IsValidPin(pin) ? Hasher.VerifyHashedPassword(account, hash, pin!) : PasswordVerificationResult.Failed;
            if (verdict != PasswordVerificationResult.Failed)
            {
                var rehash = verdict == PasswordVerificationResult.SuccessRehashNeeded ? Hasher.HashPassword(account, pin!) : hash;
                await c.ExecuteAsync("UPDATE staff SET failed_pin_attempts = 0, locked_until = NULL, pin_hash = @rehash WHERE staff_code = @normalised",
                    new { normalised, rehash }, t);
                return new PinCheck(SignInOutcome.SignedIn, account with { FailedPinAttempts = 0, LockedUntil = null }, o.MaxFailedPins, null);
            }
            var failed = account.FailedPinAttempts + 1;
            DateTimeOffset? lockedUntil = failed >= o.MaxFailedPins ? now + o.Lockout : null;
            await c.ExecuteAsync("UPDATE staff SET failed_pin_attempts = @failed, locked_until = @lockedUntil WHERE staff_code = @normalised",
                new { normalised, failed = lockedUntil is null ? failed : 0, lockedUntil }, t);
            return lockedUntil is null
                ? new PinCheck(SignInOutcome.WrongPin, account, o.MaxFailedPins - failed, null)
                : new PinCheck(SignInOutcome.LockedOut, account, 0, lockedUntil);
        });
        await audit.RecordAsync(check.Outcome == SignInOutcome.SignedIn ? AuditActions.SignedIn : AuditActions.SignInFailed,
            check.Account?.Code ?? Truncate(normalised), check.Account?.StoreId, null,
            check.Outcome == SignInOutcome.SignedIn ? purpose : $"{purpose}:{check.Outcome.ToString().ToLowerInvariant()}");
        return check;
    }

    /// <summary>Whether a signed-in person may stay signed in: still active, same role.</summary>
    public async Task<bool> IsCurrentAsync(string code, string role)
    {
        await using var c = await database.OpenAsync();
        return await c.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM staff WHERE staff_code = @code AND role = @role AND active = TRUE)", new { code, role });
    }

    public async Task<IReadOnlyList<StaffAccount>> ListAsync()
    {
        await using var c = await database.OpenAsync();
        return (await c.QueryAsync<StaffRow>($"{SelectAccount} ORDER BY store_id IS NULL, store_id, role, staff_code")).Select(r => r.ToAccount()).ToList();
    }

    /// <summary>Adds a staff member, or gives an existing one a new name, role, store and PIN.</summary>
    public async Task SaveAsync(string code, string name, string role, string? storeId, string pin, StaffMember by)
    {
        code = NormaliseCode(code);
        if (!CodeFormat().IsMatch(code)) throw new ArgumentException("A staff code is a letter and 3 to 7 digits, e.g. A012.", nameof(code));
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A staff member needs a name.", nameof(name));
        if (!StaffRoles.All.Contains(role)) throw new ArgumentException($"Unknown role '{role}'.", nameof(role));
        if (!StaffRoles.ChoosesStore(role) && storeId is null) throw new ArgumentException("Associates and managers belong to a store.", nameof(storeId));
        if (!IsValidPin(pin)) throw new ArgumentException("A PIN is 4 to 8 digits.", nameof(pin));
        var account = new StaffAccount(code, name.Trim(), role, StaffRoles.ChoosesStore(role) ? null : storeId, true, 0, null);
        await using (var c = await database.OpenAsync())
            await c.ExecuteAsync("""
                INSERT INTO staff (staff_code, display_name, role, store_id, pin_hash) VALUES (@Code, @Name, @Role, @StoreId, @hash)
                ON CONFLICT (staff_code) DO UPDATE SET display_name = excluded.display_name, role = excluded.role, store_id = excluded.store_id,
                    pin_hash = excluded.pin_hash, failed_pin_attempts = 0, locked_until = NULL, active = TRUE
                """, new { account.Code, account.Name, account.Role, account.StoreId, hash = Hasher.HashPassword(account, pin) });
        await audit.RecordAsync(AuditActions.StaffChanged, by.Code, by.StoreId, null, $"saved {code} as {role}{(account.StoreId is null ? "" : " of " + account.StoreId)}");
    }

    public async Task SetActiveAsync(string code, bool active, StaffMember by)
    {
        await using (var c = await database.OpenAsync())
            await c.ExecuteAsync("UPDATE staff SET active = @active WHERE staff_code = @code", new { code, active });
        await audit.RecordAsync(AuditActions.StaffChanged, by.Code, by.StoreId, null, $"{(active ? "activated" : "deactivated")} {code}");
    }

    public async Task UnlockAsync(string code, StaffMember by)
    {
        await using (var c = await database.OpenAsync())
            await c.ExecuteAsync("UPDATE staff SET failed_pin_attempts = 0, locked_until = NULL WHERE staff_code = @code", new { code });
        await audit.RecordAsync(AuditActions.StaffChanged, by.Code, by.StoreId, null, $"unlocked {code}");
    }

    private const string SelectAccount = """
        SELECT staff_code AS Code, display_name AS Name, role AS Role, store_id AS StoreId, active AS Active,
               failed_pin_attempts AS FailedPinAttempts, locked_until AS LockedUntil
        FROM staff
        """;

    private static async Task<StaffAccount?> FindAsync(System.Data.Common.DbConnection c, string code, System.Data.Common.DbTransaction? t = null, string forUpdate = "") =>
        (await c.QuerySingleOrDefaultAsync<StaffRow>($"{SelectAccount} WHERE staff_code = @code{forUpdate}", new { code }, t))?.ToAccount();

    // A typed "code" can be anything (even a scanned member code); keep the audit row short.
    private static string Truncate(string code) => code.Length <= 12 ? code : code[..12] + "…";

    private sealed class StaffRow
    {
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public string Role { get; init; } = "";
        public string? StoreId { get; init; }
        public bool Active { get; init; }
        public int FailedPinAttempts { get; init; }
        public DateTimeOffset? LockedUntil { get; init; }

        public StaffAccount ToAccount() => new(Code, Name, Role, StoreId, Active, FailedPinAttempts, LockedUntil);
    }
}

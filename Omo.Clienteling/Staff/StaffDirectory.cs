using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Omo.Clienteling.Data;
using Omo.Clienteling.Demo;

namespace Omo.Clienteling.Staff;

/// <summary>
/// The end of a PIN check. <see cref="SignInOutcome.Refused"/> is the one answer for an unknown code, an inactive one
/// and a wrong PIN alike; <see cref="SignInOutcome.Throttled"/> says until when to wait, whoever's code it was.
/// </summary>
public enum SignInOutcome { SignedIn, Refused, Throttled }

public sealed record PinCheck(SignInOutcome Outcome, StaffAccount? Account, DateTimeOffset? RetryAt);

/// <summary>A row of the staff table, for sign-in and the admin's staff page.</summary>
public sealed record StaffAccount(string Code, string Name, string Role, string? StoreId, bool Active);

/// <summary>
/// Staff codes and PINs. PINs are stored only as ASP.NET Core <see cref="PasswordHasher{TUser}"/> hashes. Every check
/// does the same work whether the code exists or not (a dummy hash is verified for unknown codes), and the
/// <see cref="SignInGuard"/> limits failures. Changing someone's PIN, role or store, or deactivating them, ends their
/// sessions on every tablet.
/// </summary>
public sealed partial class StaffDirectory(OmoDatabase database, AuditLog audit, SignInGuard guard, StaffSessions sessions, DemoDataset dataset)
{
    private static readonly PasswordHasher<StaffAccount> Hasher = new();

    /// <summary>Verified for codes that do not exist, so that they take as long to refuse as a wrong PIN.</summary>
    private static readonly string DummyHash = Hasher.HashPassword(null!, "not-a-pin-" + Guid.NewGuid());

    [GeneratedRegex(@"^[0-9]{4,8}$")]
    private static partial Regex PinFormat();

    [GeneratedRegex(@"^[A-Z][0-9]{3,7}$")]
    private static partial Regex CodeFormat();

    public const int MaxNameLength = 60;

    public static bool IsValidPin(string? pin) => pin is not null && PinFormat().IsMatch(pin);

    /// <summary>Staff codes as people type them: trimmed, full-width turned half-width, upper case.</summary>
    public static string NormaliseCode(string? code) => (code ?? "").Normalize(NormalizationForm.FormKC).Trim().ToUpperInvariant();

    /// <summary>Whether a typed code could be a staff code at all (a scanned member card cannot).</summary>
    public static bool IsStaffCodeShaped(string normalised) => CodeFormat().IsMatch(normalised);

    public async Task<StaffAccount?> FindAsync(string code)
    {
        await using var c = await database.OpenAsync();
        return await c.QuerySingleOrDefaultAsync<StaffAccount>($"{SelectAccount} WHERE staff_code = @code", new { code = NormaliseCode(code) });
    }

    /// <summary>
    /// Checks a PIN for a client (its address, or its trusted tablet); <paramref name="purpose"/> goes to the audit
    /// ("signin", "unlock"). Only codes shaped like staff codes are ever counted or written down.
    /// </summary>
    public async Task<PinCheck> CheckPinAsync(string? code, string? pin, string purpose, SignInGuard.Client client)
    {
        var normalised = NormaliseCode(code);
        var shaped = IsStaffCodeShaped(normalised) ? normalised : null;
        // The store goes to the audit with the attempt, so a manager sees the failures on their own staff's codes.
        var (check, store) = await database.InTransactionAsync<(PinCheck, string?)>(async (c, t) =>
        {
            if (guard.ClientMustWaitUntil(client) is { } clientWait) return (new PinCheck(SignInOutcome.Throttled, null, clientWait), null);
            var row = shaped is null ? null : await c.QuerySingleOrDefaultAsync<(string Code, string Name, string Role, string? StoreId, bool Active, string PinHash)?>(
                "SELECT staff_code, display_name, role, store_id, active, pin_hash FROM staff WHERE staff_code = @shaped", new { shaped }, t);
            if (shaped is not null && await guard.CodeMustWaitUntilAsync(c, t, shaped, client) is { } codeWait)
                return (new PinCheck(SignInOutcome.Throttled, null, codeWait), row?.StoreId);

            var account = row is { Active: true } r ? new StaffAccount(r.Code, r.Name, r.Role, r.StoreId, r.Active) : null;
            // The same work either way: an unknown or inactive code verifies against a dummy hash.
            var verdict = Hasher.VerifyHashedPassword(account!, account is null ? DummyHash : row!.Value.PinHash, IsValidPin(pin) ? pin! : "-");
            if (account is not null && IsValidPin(pin) && verdict != PasswordVerificationResult.Failed)
            {
                if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
                    await c.ExecuteAsync("UPDATE staff SET pin_hash = @hash WHERE staff_code = @Code", new { hash = Hasher.HashPassword(account, pin!), account.Code }, t);
                await SignInGuard.SucceededAsync(c, t, account.Code);
                return (new PinCheck(SignInOutcome.SignedIn, account, null), account.StoreId);
            }
            await guard.FailedAsync(c, t, shaped, client);
            return (new PinCheck(SignInOutcome.Refused, null, null), row?.StoreId);
        });
        await audit.RecordAsync(check.Outcome == SignInOutcome.SignedIn ? AuditActions.SignedIn : AuditActions.SignInFailed,
            check.Account?.Code ?? shaped, store, null,
            check.Outcome == SignInOutcome.SignedIn ? purpose : $"{purpose}:{check.Outcome.ToString().ToLowerInvariant()}",
            client.Address);
        return check;
    }

    public async Task<IReadOnlyList<StaffAccount>> ListAsync()
    {
        await using var c = await database.OpenAsync();
        return (await c.QueryAsync<StaffAccount>($"{SelectAccount} ORDER BY store_id IS NULL, store_id, role, staff_code")).ToList();
    }

    /// <summary>
    /// Adds a staff member, or gives an existing one a new name, role, store and PIN. On real customers' data a PIN that
    /// is easy to guess is refused. Whatever changed, the person's open sessions end: they sign in again with the new PIN.
    /// </summary>
    public async Task SaveAsync(string code, string name, string role, string? storeId, string pin, StaffMember by)
    {
        code = NormaliseCode(code);
        if (!CodeFormat().IsMatch(code)) throw new ArgumentException("A staff code is a letter and 3 to 7 digits, e.g. A012.", nameof(code));
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A staff member needs a name.", nameof(name));
        SafeText.Require(name.Trim(), MaxNameLength, "name");
        if (!StaffRoles.All.Contains(role)) throw new ArgumentException($"Unknown role '{role}'.", nameof(role));
        if (!StaffRoles.ChoosesStore(role) && storeId is null) throw new ArgumentException("Associates and managers belong to a store.", nameof(storeId));
        if (!IsValidPin(pin)) throw new ArgumentException("A PIN is 4 to 8 digits.", nameof(pin));
        if (!dataset.IsDemo && PinPolicy.Weakness(pin) is { } weakness)
            throw new ArgumentException($"That PIN is too easy to guess ({weakness}); choose another.", nameof(pin));
        var account = new StaffAccount(code, name.Trim(), role, StaffRoles.ChoosesStore(role) ? null : storeId, true);
        await using (var c = await database.OpenAsync())
            await c.ExecuteAsync("""
                INSERT INTO staff (staff_code, display_name, role, store_id, pin_hash) VALUES (@Code, @Name, @Role, @StoreId, @hash)
                ON CONFLICT (staff_code) DO UPDATE SET display_name = excluded.display_name, role = excluded.role, store_id = excluded.store_id,
                    pin_hash = excluded.pin_hash, active = TRUE
                """, new { account.Code, account.Name, account.Role, account.StoreId, hash = Hasher.HashPassword(account, pin) });
        await guard.ClearAsync(code);
        await sessions.EndAllAsync(code, SessionEndings.PinChanged);
        await audit.RecordAsync(AuditActions.StaffChanged, by.Code, by.StoreId, null, $"saved {code} as {role}{(account.StoreId is null ? "" : " of " + account.StoreId)}");
    }

    public async Task SetActiveAsync(string code, bool active, StaffMember by)
    {
        await using (var c = await database.OpenAsync())
            await c.ExecuteAsync("UPDATE staff SET active = @active WHERE staff_code = @code", new { code, active });
        if (!active) await sessions.EndAllAsync(code, SessionEndings.Deactivated);
        await audit.RecordAsync(AuditActions.StaffChanged, by.Code, by.StoreId, null, $"{(active ? "activated" : "deactivated")} {code}");
    }

    /// <summary>Lifts the wait on a staff code after too many wrong PINs.</summary>
    public async Task UnlockAsync(string code, StaffMember by)
    {
        await guard.ClearAsync(code);
        await audit.RecordAsync(AuditActions.StaffChanged, by.Code, by.StoreId, null, $"unlocked {code}");
    }

    /// <summary>Ends every open session of a staff member (a lost tablet, a shared PIN).</summary>
    public async Task SignOutEverywhereAsync(string code, StaffMember by)
    {
        await sessions.EndAllAsync(code, SessionEndings.SignedOutEverywhere);
        await audit.RecordAsync(AuditActions.StaffChanged, by.Code, by.StoreId, null, $"signed {code} out everywhere");
    }

    private const string SelectAccount = """
        SELECT staff_code AS Code, display_name AS Name, role AS Role, store_id AS StoreId, active AS Active
        FROM staff
        """;
}

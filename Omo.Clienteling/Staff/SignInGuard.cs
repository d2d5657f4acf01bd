using System.Text.Json;
using System.Threading.RateLimiting;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Omo.Clienteling.Data;

namespace Omo.Clienteling.Staff;

/// <summary>
/// What stands between a guesser and a PIN. Three limits, all on failed attempts only:
/// <list type="bullet">
/// <item>per client: <see cref="StaffOptions.FailuresPerClient"/> failures in <see cref="StaffOptions.FailureWindow"/>,
/// then that client waits. A client is its address, or a trusted tablet (below), which has a budget of its own, so
/// someone sharing the shop's address cannot lock its tablets out;</item>
/// <item>for everyone: past <see cref="StaffOptions.FailuresForEveryone"/> failures in the window, clients that have
/// failed before wait too (a guesser with many addresses), while clean clients sign in as usual;</item>
/// <item>per staff code, in the database so every server sees it: after <see cref="StaffOptions.MaxFailedPins"/> failures
/// in a row the code waits a growing time (<see cref="StaffOptions.FirstDelay"/>, doubling up to
/// <see cref="StaffOptions.Lockout"/>). Codes that do not exist are throttled exactly alike, so the answers never tell
/// which codes exist. A tablet on which that person signed in before (a trusted tablet) is not kept waiting: a
/// stranger cannot lock an admin out of their own tablet.</item>
/// </list>
/// The limits per client and for everyone are kept in each server's memory (behind a load balancer with sticky
/// sessions a client stays on one server); the per-code one is shared.
/// </summary>
public sealed class SignInGuard : IDisposable
{
    private readonly OmoDatabase _database;
    private readonly StaffOptions _options;
    private readonly TimeProvider _clock;
    private readonly IDataProtector _devices;
    private readonly PartitionedRateLimiter<string> _perClient;
    private readonly RateLimiter _forEveryone;

    public const string DeviceCookie = "omo.device";

    public SignInGuard(OmoDatabase database, IOptions<StaffOptions> options, TimeProvider clock, IDataProtectionProvider protection)
    {
        _database = database;
        _options = options.Value;
        _clock = clock;
        _devices = protection.CreateProtector("Omo.Staff.TrustedDevice");
        var o = _options;
        _perClient = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetSlidingWindowLimiter(client, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = o.FailuresPerClient, Window = o.FailureWindow, SegmentsPerWindow = 15, QueueLimit = 0, AutoReplenishment = true,
        }));
        _forEveryone = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = o.FailuresForEveryone, Window = o.FailureWindow, SegmentsPerWindow = 15, QueueLimit = 0, AutoReplenishment = true,
        });
    }

    /// <summary>Who is trying: their address, and the trusted tablet they are on, if any.</summary>
    public sealed record Client(string? Address, TrustedDevice? Device)
    {
        public string Key => Device is { } d ? "device:" + d.Id : "address:" + (Address ?? "unknown");
    }

    /// <summary>A tablet on which these staff codes signed in: a random id and the codes, protected in a cookie.</summary>
    public sealed record TrustedDevice(string Id, IReadOnlyList<string> Codes);

    /// <summary>The client of a request: its address (as the load balancer forwards it) and its trusted-tablet cookie.</summary>
    public Client ClientOf(HttpContext http) => new(http.Connection.RemoteIpAddress?.ToString(), ReadDevice(http.Request.Cookies[DeviceCookie]));

    /// <summary>Whether this client must wait before trying again, and until when.</summary>
    public DateTimeOffset? ClientMustWaitUntil(Client client)
    {
        var now = _clock.GetUtcNow();
        // A client's own budget; and, once everyone together has failed too often, any client that has failed at all.
        var own = _perClient.GetStatistics(client.Key)?.CurrentAvailablePermits ?? _options.FailuresPerClient;
        if (own <= 0) return now + _options.FailureWindow;
        if (client.Device is null && own < _options.FailuresPerClient && _forEveryone.GetStatistics()?.CurrentAvailablePermits <= 0)
            return now + _options.FailureWindow;
        return null;
    }

    /// <summary>Until when a staff code (existing or not) waits, for this client.</summary>
    public async Task<DateTimeOffset?> CodeMustWaitUntilAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string code, Client client)
    {
        if (client.Device?.Codes.Contains(code) == true) return null;
        var blocked = await connection.ExecuteScalarAsync<long?>(
            $"SELECT blocked_until FROM sign_in_throttle WHERE code = @code{_database.Dialect.ForUpdate}", new { code }, transaction);
        return blocked is { } ms && ms > _clock.GetUtcNow().ToUnixTimeMilliseconds() ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    /// <summary>A failed attempt: counted for the client, for everyone and (for a code shaped like one) for the code.</summary>
    public async Task FailedAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string? code, Client client)
    {
        using (_perClient.AttemptAcquire(client.Key)) { }
        if (client.Device is null) using (_forEveryone.AttemptAcquire()) { }
        if (code is null) return;
        var now = _clock.GetUtcNow();
        var failures = await connection.ExecuteScalarAsync<int>("""
            INSERT INTO sign_in_throttle (code, failures, last_failure_at) VALUES (@code, 1, @now)
            ON CONFLICT (code) DO UPDATE SET failures = sign_in_throttle.failures + 1, last_failure_at = excluded.last_failure_at
            RETURNING failures
            """, new { code, now }, transaction);
        if (failures < _options.MaxFailedPins) return;
        // 30 s after the fifth failure, then twice as long after each further one, up to the full lock-out.
        var delay = TimeSpan.FromTicks(Math.Min(_options.Lockout.Ticks, _options.FirstDelay.Ticks * (1L << Math.Min(failures - _options.MaxFailedPins, 20))));
        await connection.ExecuteAsync("UPDATE sign_in_throttle SET blocked_until = @until WHERE code = @code", new { code, until = now + delay }, transaction);
    }

    /// <summary>A successful sign-in clears the code's count.</summary>
    public static Task SucceededAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string code) =>
        connection.ExecuteAsync("DELETE FROM sign_in_throttle WHERE code = @code", new { code }, transaction);

    /// <summary>An admin lifts a code's wait at once (the staff page's "unlock").</summary>
    public async Task ClearAsync(string code)
    {
        await using var connection = await _database.OpenAsync();
        await connection.ExecuteAsync("DELETE FROM sign_in_throttle WHERE code = @code", new { code });
    }

    /// <summary>Codes waiting now, for the admin's staff page.</summary>
    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> WaitingAsync()
    {
        await using var connection = await _database.OpenAsync();
        return (await connection.QueryAsync<(string Code, long Until)>(
                "SELECT code, blocked_until FROM sign_in_throttle WHERE blocked_until > @now", new { now = _clock.GetUtcNow() }))
            .ToDictionary(r => r.Code, r => DateTimeOffset.FromUnixTimeMilliseconds(r.Until));
    }

    // ---------- trusted tablets ----------

    public TrustedDevice? ReadDevice(string? cookie)
    {
        if (string.IsNullOrEmpty(cookie)) return null;
        try { return JsonSerializer.Deserialize<TrustedDevice>(_devices.Unprotect(cookie)); }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or JsonException or FormatException) { return null; }
    }

    /// <summary>The device cookie after a successful sign-in of <paramref name="code"/> (a new device gets an id).</summary>
    public string TrustDevice(TrustedDevice? device, string code)
    {
        var codes = (device?.Codes ?? []).Where(c => c != code).Prepend(code).Take(20).ToList();
        return _devices.Protect(JsonSerializer.Serialize(new TrustedDevice(device?.Id ?? Guid.NewGuid().ToString("N"), codes)));
    }

    public void Dispose()
    {
        _perClient.Dispose();
        _forEveryone.Dispose();
    }
}

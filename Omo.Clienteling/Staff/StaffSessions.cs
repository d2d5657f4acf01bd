using System.Collections.Concurrent;
using System.Security.Cryptography;
using Dapper;
using Omo.Clienteling.Data;

namespace Omo.Clienteling.Staff;

/// <summary>Why a session ended: each is written to the session's row and shown on the staff page.</summary>
public static class SessionEndings
{
    public const string SignedOut = "signed_out";
    public const string PinChanged = "pin_changed";
    public const string Deactivated = "deactivated";
    public const string RoleOrStoreChanged = "role_or_store_changed";
    public const string SignedOutEverywhere = "signed_out_everywhere";
    public const string StaffRemoved = "staff_removed";
}

/// <summary>A sign-in as the server knows it now.</summary>
public sealed record SessionState(string SessionId, string StaffCode, bool Ended, bool Locked, string? ClientAddress);

/// <summary>
/// Staff sessions kept in the database, so every server of a chain sees the same: a sign-in creates one; sign-out, a
/// PIN change, deactivation, a change of role or store and "sign out everywhere" end it; locking the tablet marks it
/// locked until the PIN. The sign-in cookie carries only the session's id, so a copied cookie is worth nothing once the
/// session has ended. Answers are kept for <see cref="Fresh"/>, so pages, circuits and the hub can ask on every use
/// without a query each time; a change made on this server is seen here at once (<see cref="Changed"/>), one made on
/// another server within that time.
/// </summary>
public sealed class StaffSessions(OmoDatabase database, TimeProvider clock)
{
    /// <summary>How long an answer is reused: an ended session is refused on every server within this time.</summary>
    public static readonly TimeSpan Fresh = TimeSpan.FromSeconds(2);

    /// <summary>How often a session's last use is written (not on every request).</summary>
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (SessionState? State, DateTimeOffset ReadAt)> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _touched = new(StringComparer.Ordinal);

    /// <summary>Raised on this server when a session is locked, unlocked or ended here (the session's id).</summary>
    public event Action<string>? Changed;

    public async Task<string> StartAsync(string staffCode, string role, string storeId, string? clientAddress)
    {
        var sessionId = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("""
            INSERT INTO staff_sessions (session_id, staff_code, store_id, role, created_at, last_seen_at, client_address)
            VALUES (@sessionId, @staffCode, @storeId, @role, @now, @now, @clientAddress)
            """, new { sessionId, staffCode, storeId, role, now, clientAddress });
        return sessionId;
    }

    /// <summary>The session's state, or null if there is no such session (a forged or foreign id).</summary>
    public async Task<SessionState?> GetAsync(string sessionId)
    {
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(sessionId, out var cached) && now - cached.ReadAt < Fresh) return cached.State;
        await using var connection = await database.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<(string StaffCode, long? EndedAt, long? LockedAt, string? ClientAddress)?>(
            "SELECT staff_code, ended_at, locked_at, client_address FROM staff_sessions WHERE session_id = @sessionId", new { sessionId });
        var state = row is { } r ? new SessionState(sessionId, r.StaffCode, r.EndedAt is not null, r.LockedAt is not null, r.ClientAddress) : null;
        _cache[sessionId] = (state, now);
        Forget(now);
        if (state is { Ended: false } && (!_touched.TryGetValue(sessionId, out var touched) || now - touched > TouchEvery))
        {
            _touched[sessionId] = now;
            try
            {
                await connection.ExecuteAsync("UPDATE staff_sessions SET last_seen_at = @now WHERE session_id = @sessionId", new { now, sessionId });
            }
            catch (Exception e) when (database.Dialect.IsUnavailable(e))
            {
                // A database that takes no writes still lets a signed-in assistant work; the last use is only for the staff page.
            }
        }
        return state;
    }

    /// <summary>Answers and touch times of sessions not asked about lately go: a server runs for months of sign-ins.</summary>
    private void Forget(DateTimeOffset now)
    {
        if (_cache.Count < ForgetAbove) return;
        foreach (var (id, entry) in _cache)
            if (now - entry.ReadAt > Fresh) _cache.TryRemove(id, out _);
        foreach (var (id, touched) in _touched)
            if (now - touched > TouchEvery) _touched.TryRemove(id, out _);
    }

    private const int ForgetAbove = 4096;

    /// <summary>Whether the session may act: it exists and has not ended (a locked session is still a session).</summary>
    public async Task<bool> IsOpenAsync(string? sessionId) => sessionId is not null && await GetAsync(sessionId) is { Ended: false };

    private const string End = "ended_at = @now, ended_reason = @reason";

    public Task EndAsync(string sessionId, string reason) => UpdateAsync("session_id = @sessionId", End, new { sessionId, reason });

    /// <summary>Ends every open session of a staff member: a PIN change, deactivation, a new role or store, "sign out everywhere".</summary>
    public Task EndAllAsync(string staffCode, string reason) => UpdateAsync("staff_code = @staffCode", End, new { staffCode, reason });

    /// <summary>Ends the sessions of people no longer on the staff list (a demo reset removes staff added since).</summary>
    public Task EndWithoutStaffAsync() =>
        UpdateAsync("staff_code NOT IN (SELECT staff_code FROM staff)", End, new { reason = SessionEndings.StaffRemoved });

    public Task LockAsync(string sessionId) => UpdateAsync("session_id = @sessionId AND locked_at IS NULL", "locked_at = @now", new { sessionId });

    public Task UnlockAsync(string sessionId) => UpdateAsync("session_id = @sessionId", "locked_at = NULL", new { sessionId });

    /// <summary>The store a trainer or admin works for in this session.</summary>
    public async Task MoveAsync(string sessionId, string storeId)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("UPDATE staff_sessions SET store_id = @storeId WHERE session_id = @sessionId", new { storeId, sessionId });
    }

    /// <summary>Open sessions per staff member, for the admin's staff page.</summary>
    public async Task<IReadOnlyDictionary<string, int>> OpenCountsAsync()
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<(string Code, int Sessions)>(
            "SELECT staff_code, COUNT(*) FROM staff_sessions WHERE ended_at IS NULL GROUP BY staff_code")).ToDictionary(r => r.Code, r => r.Sessions);
    }

    /// <summary>Changes open sessions; this server's circuits hear of each one changed at once.</summary>
    private async Task UpdateAsync(string where, string set, object parameters)
    {
        var p = new DynamicParameters(parameters);
        p.Add("now", clock.GetUtcNow());
        List<string> changed;
        await using (var connection = await database.OpenAsync())
            changed = (await connection.QueryAsync<string>($"UPDATE staff_sessions SET {set} WHERE {where} AND ended_at IS NULL RETURNING session_id", p)).ToList();
        foreach (var id in changed)
        {
            _cache.TryRemove(id, out _);
            Changed?.Invoke(id);
        }
    }
}

using System.Data.Common;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.SignalR;
using Omo.Clienteling.Data;
using Omo.Clienteling.Staff;

namespace Omo.Clienteling.CheckIns;

public sealed class CheckInOptions
{
    public const string Section = "CheckIns";

    /// <summary>Check-ins of one member in one store this close together are one visit: one alert, not a flood.</summary>
    public TimeSpan VisitWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Where this server reaches its own hub for the in-process feed, e.g. <c>http://127.0.0.1:8080</c>. Unset: the
    /// address Kestrel listens on. Behind a proxy or TLS offload, point it at the server itself, not the public name.
    /// </summary>
    public string? InternalUrl { get; set; }
}

/// <summary>A check-in that started a new visit, and so deserves an alert.</summary>
public sealed record RecordedCheckIn(long CheckInId, long MemberId, string StoreId, string Source, DateTimeOffset OccurredAt);

/// <summary>
/// The one place check-ins are written, whatever their source: the events API (app, beacon), the assistant's
/// "checked in" button and the trainer's simulator all come through here.
/// </summary>
public sealed class CheckInRecorder(SqlDialect dialect, IOptions<CheckInOptions> options)
{
    /// <summary>Raised after the check-ins that started a visit are committed; the live alerts listen here.</summary>
    public event Action<IReadOnlyList<RecordedCheckIn>>? Recorded;

    /// <summary>Records a check-in inside the caller's transaction. Returns it if it starts a visit, or null if it extends one.</summary>
    public async Task<RecordedCheckIn?> RecordAsync(DbConnection connection, DbTransaction transaction, long memberId, string storeId, string source, DateTimeOffset at)
    {
        // The visit still open, if any, read while holding the member's row: two servers recording the same arrival at
        // once make one visit, not two (SQLite has one writer at a time and no row locks to take).
        var visit = await connection.QueryFirstOrDefaultAsync<long?>($"""
            SELECT (SELECT c.check_in_id FROM check_ins c
                    WHERE c.member_id = @memberId AND c.store_id = @storeId AND c.occurred_at <= @at AND c.last_seen_at >= @since
                    ORDER BY c.occurred_at DESC LIMIT 1)
            FROM members WHERE member_id = @memberId{dialect.ForUpdate}
            """, new { memberId, storeId, at, since = at - options.Value.VisitWindow }, transaction);
        if (visit is { } openVisit)
        {
            await connection.ExecuteAsync($"UPDATE check_ins SET last_seen_at = {dialect.Greatest("last_seen_at", "@at")} WHERE check_in_id = @openVisit",
                new { at, openVisit }, transaction);
            return null;
        }
        var id = await connection.ExecuteScalarAsync<long>("""
            INSERT INTO check_ins (member_id, store_id, source, occurred_at, last_seen_at) VALUES (@memberId, @storeId, @source, @at, @at)
            RETURNING check_in_id
            """, new { memberId, storeId, source, at }, transaction);
        return new RecordedCheckIn(id, memberId, storeId, source, at);
    }

    /// <summary>Call after the transaction that recorded them has committed, never before: an alert must not outrun its row.</summary>
    public void Announce(IReadOnlyList<RecordedCheckIn> checkIns)
    {
        if (checkIns.Count > 0) Recorded?.Invoke(checkIns);
    }
}

public static class CheckInsServiceCollectionExtensions
{
    public static IServiceCollection AddCheckIns(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<CheckInOptions>(configuration.GetSection(CheckInOptions.Section));
        services.AddSingleton<CheckInRecorder>();
        services.AddSingleton<CheckInAlerts>();
        services.AddSingleton<CheckInBroadcaster>();
        services.AddSingleton<CheckInClaims>();
        services.AddSingleton<DoorCheckIn>();
        services.AddSingleton<InternalHubToken>();
        services.AddSingleton<InternalAddress>();
        services.AddHostedService<CheckInNotifier>();
        services.AddSingleton<CheckInFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<CheckInFeed>());

        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, InternalHubTokenHandler>(InternalHubToken.Scheme, null);
        services.AddAuthorizationBuilder().AddCheckInPolicy();
        services.AddSingleton<IAuthorizationHandler, CheckInReaderHandler>();

        // With SignalR:Redis set, hub messages go through Redis, so a check-in posted to one server reaches boards on all.
        var signalR = services.AddSignalR();
        // Staff connections to the check-in hub live as long as their session. Only this hub: Blazor's own circuit hub
        // must connect while the tablet is locked, to show the lock screen.
        signalR.AddHubOptions<CheckInHub>(o => o.AddFilter<SessionHubFilter>());
        if (configuration["SignalR:Redis"] is { Length: > 0 } redis)
        {
            signalR.AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal("omo"));
            // A server that has lost the backplane would take check-ins its boards elsewhere never see: not ready.
            services.AddSingleton(new RedisHealthCheck(redis));
            services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: [HealthEndpoints.Ready]);
        }
        return services;
    }
}

using Dapper;
using Microsoft.Extensions.Options;
using Omo.Clienteling.Data;
using Omo.Clienteling.Staff;

namespace Omo.Clienteling.Webhooks;

public sealed class WebhookSubscription
{
    public long SubscriptionId { get; init; }
    public string Url { get; init; } = "";
    public string Types { get; init; } = "";
    public string Stores { get; init; } = "";
    /// <summary>active, paused (by an admin, or taken out of the settings) or gone (the receiver answered 410).</summary>
    public string Status { get; init; } = "";
    public bool FromSettings { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public IReadOnlyList<string> TypeList => WebhookOutbox.Unlist(Types);
    public IReadOnlyList<string> StoreList => WebhookOutbox.Unlist(Stores);
}

/// <summary>One message to one subscription, and how its latest attempt went.</summary>
public sealed class WebhookDelivery
{
    public long DeliveryId { get; init; }
    public string MessageId { get; init; } = "";
    public string Type { get; init; } = "";
    /// <summary>pending, delivered or failed.</summary>
    public string Status { get; init; } = "";
    public int Attempts { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? LastAttemptAt { get; init; }
    public int? LastStatusCode { get; init; }
    public string? LastError { get; init; }
    public int? LastDurationMs { get; init; }
    public DateTimeOffset NextAttemptAt { get; init; }
}

/// <summary>Why a subscription cannot be saved, for the admin page.</summary>
public sealed class WebhookSubscriptionRefused(string message) : Exception(message);

/// <summary>
/// The subscriptions: those in <c>Webhooks:Subscriptions</c> (brought into the database at start-up, under the start-up
/// lock, so every server sends to the same list) and those an admin makes on /admin/webhooks; their recent deliveries,
/// and replaying one that failed. Every change is audited.
/// </summary>
public sealed class WebhookSubscriptions(OmoDatabase database, IOptions<WebhookOptions> options, WebhookOutbox outbox, TimeProvider clock)
    : IDatabaseStartupTask
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var settings = options.Value.Subscriptions;
        foreach (var s in settings)
        {
            var problem = Check(s.Url, s.Types, s.Secret);
            if (problem is not null) throw new InvalidOperationException($"{WebhookOptions.Section}:Subscriptions: {problem}");
        }
        // Only what differs is written: a server starting on a database that takes no writes (a standby, a full disk)
        // with unchanged settings starts, and serves reads.
        List<(string Url, string Secret, string Types, string Stores, string Status)> stored;
        await using (var c = await database.OpenAsync(cancellationToken))
            stored = (await c.QueryAsync<(string, string, string, string, string)>(
                "SELECT url, secret, types, stores, status FROM webhook_subscriptions WHERE from_settings = TRUE")).ToList();
        var wanted = settings.Select(s => (s.Url, s.Secret, Types: WebhookOutbox.List(s.Types), Stores: WebhookOutbox.List(s.Stores))).ToList();
        var upserts = wanted.Where(w => !stored.Any(r => r.Url == w.Url && r.Secret == w.Secret && r.Types == w.Types && r.Stores == w.Stores)).ToList();
        var dropped = stored.Where(r => r.Status == "active" && !wanted.Any(w => w.Url == r.Url)).Select(r => r.Url).ToList();
        if (upserts.Count == 0 && dropped.Count == 0) return;
        await database.InTransactionAsync(async (c, t) =>
        {
            await c.ExecuteAsync("""
                INSERT INTO webhook_subscriptions (url, secret, types, stores, status, from_settings, created_at, updated_at)
                VALUES (@Url, @Secret, @Types, @Stores, 'active', TRUE, @now, @now)
                ON CONFLICT (url) WHERE from_settings = TRUE
                DO UPDATE SET secret = excluded.secret, types = excluded.types, stores = excluded.stores, updated_at = excluded.updated_at
                """, upserts.Select(u => new { u.Url, u.Secret, u.Types, u.Stores, now }), t);
            // A subscription taken out of the settings stops.
            await c.ExecuteAsync($"""
                UPDATE webhook_subscriptions SET status = 'paused', updated_at = @now WHERE from_settings = TRUE AND url {database.Dialect.InArray("@dropped")}
                """, new { now, dropped = database.Dialect.Array(dropped) }, t);
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<WebhookSubscription>> AllAsync()
    {
        await using var c = await database.OpenAsync();
        return (await c.QueryAsync<WebhookSubscription>(
            "SELECT subscription_id, url, types, stores, status, from_settings, updated_at FROM webhook_subscriptions ORDER BY subscription_id")).ToList();
    }

    /// <summary>A new subscription; returns it and its secret, shown once.</summary>
    public async Task<(long Id, string Secret)> CreateAsync(string url, IReadOnlyCollection<string> types, IReadOnlyCollection<string> stores, string staffCode)
    {
        url = url.Trim();
        if (Check(url, types, null) is { } problem) throw new WebhookSubscriptionRefused(problem);
        var secret = WebhookSignature.NewSecret();
        var now = clock.GetUtcNow();
        var id = await database.InTransactionAsync(async (c, t) =>
        {
            var id = await c.ExecuteScalarAsync<long>("""
                INSERT INTO webhook_subscriptions (url, secret, types, stores, status, from_settings, created_at, updated_at)
                VALUES (@url, @secret, @types, @stores, 'active', FALSE, @now, @now) RETURNING subscription_id
                """, new { url, secret, types = WebhookOutbox.List(types), stores = WebhookOutbox.List(stores), now }, t);
            await AuditLog.RecordAsync(c, t, now, AuditActions.WebhookChanged, staffCode, null, null, $"created {id} {url}");
            return id;
        });
        return (id, secret);
    }

    /// <summary>A new secret for an admin-made subscription (the settings' own change in the settings); shown once.</summary>
    public async Task<string> RotateSecretAsync(long id, string staffCode)
    {
        var secret = WebhookSignature.NewSecret();
        await ChangeAsync(id, staffCode, "rotated", "secret = @secret", new { secret }, adminMadeOnly: true);
        return secret;
    }

    /// <summary>Pauses or resumes one (resuming also turns a "gone" one back on). Deliveries wait while it is paused.</summary>
    public Task SetActiveAsync(long id, bool active, string staffCode) =>
        ChangeAsync(id, staffCode, active ? "resumed" : "paused", "status = @status", new { status = active ? "active" : "paused" }, adminMadeOnly: false);

    private async Task ChangeAsync(long id, string staffCode, string what, string set, object values, bool adminMadeOnly)
    {
        var now = clock.GetUtcNow();
        var parameters = new DynamicParameters(values);
        parameters.AddDynamicParams(new { id, now });
        await database.InTransactionAsync(async (c, t) =>
        {
            var changed = await c.ExecuteAsync($"UPDATE webhook_subscriptions SET {set}, updated_at = @now WHERE subscription_id = @id"
                + (adminMadeOnly ? " AND from_settings = FALSE" : ""), parameters, t);
            if (changed == 0) throw new WebhookSubscriptionRefused(adminMadeOnly ? "Subscriptions from the settings change in the settings." : "No such subscription.");
            await AuditLog.RecordAsync(c, t, now, AuditActions.WebhookChanged, staffCode, null, null, $"{what} {id}");
        });
        outbox.Committed();
    }

    public async Task<IReadOnlyList<WebhookDelivery>> RecentDeliveriesAsync(long subscriptionId, int count = 20)
    {
        await using var c = await database.OpenAsync();
        return (await c.QueryAsync<WebhookDelivery>($"""
            SELECT d.delivery_id, d.message_id, m.type, d.status, d.attempts, m.created_at, d.last_attempt_at, d.last_status_code, d.last_error,
                   d.last_duration_ms, d.next_attempt_at
            FROM webhook_deliveries d JOIN webhook_messages m ON m.message_id = d.message_id
            WHERE d.subscription_id = @subscriptionId ORDER BY d.delivery_id DESC LIMIT {count}
            """, new { subscriptionId })).ToList();
    }

    /// <summary>Sends a failed delivery again from the start of the schedule (same webhook-id and body).</summary>
    public async Task<bool> ReplayAsync(long deliveryId, string staffCode)
    {
        var now = clock.GetUtcNow();
        var replayed = await database.InTransactionAsync(async (c, t) =>
        {
            if (await c.ExecuteAsync("""
                    UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = @now, leased_until = NULL, done_at = NULL
                    WHERE delivery_id = @deliveryId AND status = 'failed'
                    """, new { deliveryId, now }, t) == 0)
                return false;
            await AuditLog.RecordAsync(c, t, now, AuditActions.WebhookChanged, staffCode, null, null, $"replayed delivery {deliveryId}");
            return true;
        });
        if (replayed) outbox.Committed();
        return replayed;
    }

    /// <summary>What is wrong with a subscription's address, types or secret; null when nothing.</summary>
    public static string? Check(string url, IEnumerable<string> types, string? secret)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || url.Length > 500)
            return $"'{url}' is not an http or https address.";
        if (!string.IsNullOrEmpty(uri.UserInfo)) return "The address must not carry a user name or password; the signature authenticates the sender.";
        if (types.FirstOrDefault(type => !WebhookTopics.All.Contains(type)) is { } unknown)
            return $"'{unknown}' is not one of: {string.Join(", ", WebhookTopics.All)}.";
        if (secret is not null && !WebhookSignature.IsValidSecret(secret)) return $"The secret for {url} must be whsec_ followed by base64 of 24 to 64 bytes.";
        return null;
    }
}

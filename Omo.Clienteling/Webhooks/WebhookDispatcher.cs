using System.Diagnostics;
using System.Net;
using System.Text;
using Dapper;
using Microsoft.Extensions.Options;
using Omo.Clienteling.CheckIns;
using Omo.Clienteling.Data;

namespace Omo.Clienteling.Webhooks;

/// <summary>
/// Sends the outbox (docs/webhooks.md). Each server claims due deliveries for a lease (PostgreSQL skips rows another
/// server holds), sends them signed, and writes down what came back: 2xx delivered; 410 turns the subscription off;
/// other 4xx (but 408 and 429) give up; a timeout, a connection error, 408, 429 or 5xx waits for the next retry, until
/// the schedule runs out and the delivery is kept as failed. A server that dies mid-send leaves its lease to run out, and
/// the delivery goes again with the same webhook-id and body: at least once, never only in memory.
/// </summary>
public sealed class WebhookDispatcher(
    OmoDatabase database, IHttpClientFactory httpClients, IOptions<WebhookOptions> options, WebhookOutbox outbox, CheckInRecorder checkIns,
    TimeProvider clock, ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string HttpClientName = "webhooks";
    private const int Batch = 50;
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);

    private void Wake()
    {
        if (_wake.CurrentCount == 0) _wake.Release();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Send) return;
        outbox.Written += Wake;
        checkIns.Recorded += _ => Wake();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                int sent;
                try
                {
                    sent = await SendDueAsync(stoppingToken);
                }
                catch (Exception e) when (database.Dialect.IsUnavailable(e))
                {
                    // A database that takes no writes (full disk, standby): the outbox waits, and so do we.
                    logger.LogInformation("Webhooks wait: the database takes no writes ({Message})", e.Message);
                    await Task.Delay(TimeSpan.FromSeconds(30), stoppingToken);
                    sent = 0;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Sending webhooks failed; trying again shortly");
                    sent = 0;
                }
                if (sent == 0) await _wake.WaitAsync(options.Value.PollEvery, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally
        {
            outbox.Written -= Wake;
        }
    }

    private sealed class Claimed
    {
        public long DeliveryId { get; init; }
        public int Attempts { get; init; }
        public string MessageId { get; init; } = "";
        public string Body { get; init; } = "";
        public long SubscriptionId { get; init; }
        public string Url { get; init; } = "";
        public string Secret { get; init; } = "";
    }

    private sealed record Outcome(Claimed Delivery, int? StatusCode, string? Error, int DurationMs);

    /// <summary>Claims what is due now and sends it. Returns how many were sent (0: nothing was due).</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var claimed = await database.InTransactionAsync(async (c, t) =>
        {
            var ids = (await c.QueryAsync<long>($"""
                SELECT delivery_id FROM webhook_deliveries
                WHERE status = 'pending' AND next_attempt_at <= @now AND (leased_until IS NULL OR leased_until <= @now)
                  AND subscription_id IN (SELECT subscription_id FROM webhook_subscriptions WHERE status = 'active')
                ORDER BY next_attempt_at, delivery_id LIMIT {Batch}{database.Dialect.ForUpdateSkipLocked}
                """, new { now }, t)).ToList();
            if (ids.Count == 0) return [];
            await c.ExecuteAsync($"""
                UPDATE webhook_deliveries SET leased_until = @lease, attempts = attempts + 1, last_attempt_at = @now
                WHERE delivery_id {database.Dialect.InArray("@ids")}
                """, new { lease = now + options.Value.Lease, now, ids = database.Dialect.Array(ids) }, t);
            return (await c.QueryAsync<Claimed>($"""
                SELECT d.delivery_id, d.attempts, m.message_id, m.body, s.subscription_id, s.url, s.secret
                FROM webhook_deliveries d JOIN webhook_messages m ON m.message_id = d.message_id
                     JOIN webhook_subscriptions s ON s.subscription_id = d.subscription_id
                WHERE d.delivery_id {database.Dialect.InArray("@ids")} ORDER BY d.next_attempt_at, d.delivery_id
                """, new { ids = database.Dialect.Array(ids) }, t)).ToList();
        }, cancellationToken);
        if (claimed.Count == 0) return 0;

        var outcomes = new Outcome[claimed.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, claimed.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.Concurrency), CancellationToken = cancellationToken },
            async (i, ct) => outcomes[i] = await SendAsync(claimed[i], ct));
        await RecordAsync(outcomes, cancellationToken);
        return claimed.Count;
    }

    private async Task<Outcome> SendAsync(Claimed delivery, CancellationToken cancellationToken)
    {
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", delivery.MessageId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(delivery.Secret, delivery.MessageId, timestamp, delivery.Body));
        var watch = Stopwatch.StartNew();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.Timeout);
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return new Outcome(delivery, (int)response.StatusCode, null, (int)watch.ElapsedMilliseconds);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Outcome(delivery, null, $"no answer within {options.Value.Timeout.TotalSeconds:0} s", (int)watch.ElapsedMilliseconds);
        }
        catch (HttpRequestException e)
        {
            return new Outcome(delivery, null, e.Message, (int)watch.ElapsedMilliseconds);
        }
    }

    private Task RecordAsync(IReadOnlyList<Outcome> outcomes, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var schedule = options.Value.Schedule;
        // One command for the whole batch: on PostgreSQL each statement sent alone would wait a network round trip.
        var sql = new System.Text.StringBuilder();
        var parameters = new DynamicParameters(new { now });
        var gone = new List<Outcome>();
        for (var i = 0; i < outcomes.Count; i++)
        {
            var o = outcomes[i];
            var code = o.StatusCode;
            var (status, next) = code switch
            {
                >= 200 and < 300 => ("delivered", (DateTimeOffset?)null),
                (int)HttpStatusCode.Gone => ("failed", null),
                >= 400 and < 500 when code is not ((int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests) => ("failed", null),
                _ when o.Delivery.Attempts <= schedule.Count => ("pending", now + Jitter(schedule[o.Delivery.Attempts - 1])),
                _ => ("failed", null),
            };
            sql.Append($"""
                UPDATE webhook_deliveries SET status = @status{i}, next_attempt_at = COALESCE(@next{i}, next_attempt_at), leased_until = NULL,
                    last_status_code = @code{i}, last_error = @error{i}, last_duration_ms = @duration{i},
                    done_at = CASE WHEN @status{i} = 'pending' THEN NULL ELSE @now END
                WHERE delivery_id = @id{i};

                """);
            parameters.Add($"status{i}", status);
            parameters.Add($"next{i}", next);
            parameters.Add($"code{i}", code);
            parameters.Add($"error{i}", o.Error);
            parameters.Add($"duration{i}", o.DurationMs);
            parameters.Add($"id{i}", o.Delivery.DeliveryId);
            if (code == (int)HttpStatusCode.Gone) gone.Add(o);
        }
        return database.InTransactionAsync(async (c, t) =>
        {
            await c.ExecuteAsync(new CommandDefinition(sql.ToString(), parameters, t, cancellationToken: cancellationToken));
            // The receiver says this endpoint is gone for good: stop sending there until an admin turns it on again.
            foreach (var o in gone)
            {
                await c.ExecuteAsync("UPDATE webhook_subscriptions SET status = 'gone', updated_at = @now WHERE subscription_id = @SubscriptionId",
                    new { now, o.Delivery.SubscriptionId }, t);
                logger.LogWarning("Webhook subscription {Url} answered 410 Gone and is turned off", o.Delivery.Url);
            }
        }, cancellationToken);
    }

    /// <summary>±10 %, so many deliveries that failed together do not all come back at the same moment.</summary>
    private static TimeSpan Jitter(TimeSpan wait) => wait * (0.9 + Random.Shared.NextDouble() * 0.2);
}

using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Omo.Clienteling.LocalServers;

namespace Omo.Clienteling.Tests.Support;

/// <summary>One POST the receiver got: its path, the Standard Webhooks headers and the body as sent.</summary>
public sealed record ReceivedWebhook(string Path, string Id, long Timestamp, string Signature, string Body, DateTimeOffset At)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    public string Type => Json.GetProperty("type").GetString()!;
    public JsonElement Data => Json.GetProperty("data");
}

/// <summary>
/// The retailer's side of a webhook, for tests: a small Kestrel app on a loopback port that keeps every POST it gets, and
/// answers each path with the status codes a test asks for (then 200), optionally after a delay.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(int Status, TimeSpan Delay)>> _answers = new();

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();
    public string BaseUrl { get; }

    public WebhookReceiver()
    {
        BaseUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(BaseUrl);
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/{**path}", async (HttpContext http, string path) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            var (status, delay) = _answers.TryGetValue(path, out var queue) && queue.TryDequeue(out var next) ? next : (200, TimeSpan.Zero);
            Received.Enqueue(new ReceivedWebhook(path, http.Request.Headers["webhook-id"].ToString(),
                long.TryParse(http.Request.Headers["webhook-timestamp"], out var ts) ? ts : 0, http.Request.Headers["webhook-signature"].ToString(), body,
                DateTimeOffset.UtcNow));
            if (delay > TimeSpan.Zero) await Task.Delay(delay, http.RequestAborted);
            return Results.StatusCode(status);
        });
    }

    public async Task<WebhookReceiver> StartAsync()
    {
        await _app.StartAsync();
        return this;
    }

    /// <summary>The next POSTs to <paramref name="path"/> get these answers, in order; after them, 200.</summary>
    public void Answer(string path, params int[] statuses)
    {
        var queue = _answers.GetOrAdd(path, _ => new());
        foreach (var status in statuses) queue.Enqueue((status, TimeSpan.Zero));
    }

    /// <summary>The next POST to <paramref name="path"/> waits this long before it answers (a receiver that hangs).</summary>
    public void Hang(string path, TimeSpan delay) => _answers.GetOrAdd(path, _ => new()).Enqueue((200, delay));

    public string Url(string path) => $"{BaseUrl}/{path}";

    public IReadOnlyList<ReceivedWebhook> At(string path) => Received.Where(r => r.Path == path).ToList();

    /// <summary>Waits until <paramref name="done"/> holds for what was received.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(Func<IReadOnlyList<ReceivedWebhook>, bool> done, TimeSpan? timeout = null, string? what = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var received = Received.ToList();
            if (done(received)) return received;
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"Waited for {what ?? "webhooks"}; got {received.Count}, the last: {string.Join(" | ", received.TakeLast(5).Select(r => $"{r.Path} {r.Type}"))}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

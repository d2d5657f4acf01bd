namespace Omo.Clienteling.Data;

/// <summary>
/// A database that refuses work (disk full, read-only, gone) is the operator's problem, not the caller's mistake and not
/// a bug: the answer is 503 with <c>Retry-After</c>, as problem details on the API and as a short page on the tablet,
/// never a 500 naming an exception. Nothing was written: every change runs in one transaction, and a batch of events
/// refused here can be sent again as it is (their ids make a resend harmless).
/// </summary>
public static class StorageFailures
{
    /// <summary>How long callers are asked to wait: long enough for an operator to free space or fail over.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(30);

    public static IApplicationBuilder UseStorageFailures(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        try
        {
            await next(http);
        }
        catch (Exception e) when (!http.Response.HasStarted && http.RequestServices.GetRequiredService<OmoDatabase>().Dialect.IsUnavailable(e))
        {
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StorageFailures))
                .LogError(e, "The database refused {Method} {Path}: answered 503", http.Request.Method, http.Request.Path);
            http.Response.Clear();
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            http.Response.Headers.RetryAfter = ((int)RetryAfter.TotalSeconds).ToString();
            http.Response.Headers.CacheControl = "no-store";
            if (http.Request.Path.StartsWithSegments("/api") || http.Request.Path.StartsWithSegments("/hubs"))
            {
                await Results.Problem(title: "Storage unavailable",
                    detail: $"The database is not accepting changes right now (full, read-only or unreachable). Nothing from this request was saved; send it again after {RetryAfter.TotalSeconds:0} s.",
                    statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(http);
                return;
            }
            // The tablet: a page that says what happened in both of its languages, and comes back by itself.
            http.Response.ContentType = "text/html; charset=utf-8";
            await http.Response.WriteAsync($"""
                <!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
                <meta http-equiv="refresh" content="{RetryAfter.TotalSeconds:0}"><title>Omo</title></head>
                <body style="font-family:sans-serif;font-size:1.25rem;padding:2rem;max-width:40rem" data-testid="storage-unavailable">
                <p>データベースが現在変更を受け付けていません。保存されていません。しばらくすると自動で再読み込みします。</p>
                <p>The database is not accepting changes right now. Nothing was saved; this page reloads by itself shortly.</p>
                </body></html>
                """);
        }
    });
}

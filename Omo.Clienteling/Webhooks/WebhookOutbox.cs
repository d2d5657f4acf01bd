using System.Data.Common;
using System.Text.Json;
using Dapper;

namespace Omo.Clienteling.Webhooks;

/// <summary>
/// Where what happens waits to be told (docs/webhooks.md). A message is written inside the transaction of the change it
/// reports, with one delivery per active subscription that wants its type and store: it exists exactly when the change
/// does, survives a restart or a crash, and its body is fixed once (the same on every attempt). A message no
/// subscription wants is not written at all.
/// </summary>
public sealed class WebhookOutbox
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Raised after a commit that wrote messages, so this server's dispatcher sends at once rather than at its next poll.</summary>
    public event Action? Written;

    public void Committed() => Written?.Invoke();

    /// <summary>
    /// Writes a message of <paramref name="type"/> in the caller's transaction. <paramref name="memberId"/> is whose it is
    /// (an erasure removes it); <paramref name="data"/> goes out as the body's <c>data</c>. Returns the message id, or null
    /// when no subscription wants it.
    /// </summary>
    public static async Task<string?> EnqueueAsync(DbConnection c, DbTransaction t, string type, string? storeId, long? memberId, object data, DateTimeOffset at)
    {
        var messageId = "msg_" + Guid.CreateVersion7(at).ToString("N");
        var body = JsonSerializer.Serialize(new { type, timestamp = at.ToUniversalTime(), data }, Json);
        var filter = new { typePattern = Listed(type), storePattern = storeId is null ? null : Listed(storeId) };
        var parameters = new { messageId, type, storeId, memberId, body, at, filter.typePattern, filter.storePattern };
        if (await c.ExecuteAsync($"""
                INSERT INTO webhook_messages (message_id, type, store_id, member_id, body, created_at)
                SELECT @messageId, @type, @storeId, @memberId, @body, @at WHERE EXISTS (SELECT 1 FROM webhook_subscriptions WHERE {Wants})
                """, parameters, t) == 0)
            return null;
        await c.ExecuteAsync($"""
            INSERT INTO webhook_deliveries (message_id, subscription_id, status, attempts, next_attempt_at)
            SELECT @messageId, subscription_id, 'pending', 0, @at FROM webhook_subscriptions WHERE {Wants}
            """, parameters, t);
        return messageId;
    }

    /// <summary>
    /// A subscription whose types and stores take the message (empty lists take everything): an active one, or one an admin
    /// paused (its messages wait for it); not one whose receiver said it is gone.
    /// </summary>
    private const string Wants = """
        status IN ('active', 'paused') AND (types = '' OR types LIKE @typePattern ESCAPE '\')
        AND (stores = '' OR @storeId IS NULL OR stores LIKE @storePattern ESCAPE '\')
        """;

    /// <summary>The stored form of a list: <c>,a,b,</c> (empty for "all").</summary>
    public static string List(IEnumerable<string> values) =>
        values.Any() ? "," + string.Join(",", values.Select(v => v.Trim()).Distinct(StringComparer.Ordinal)) + "," : "";

    public static IReadOnlyList<string> Unlist(string stored) => stored.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A LIKE pattern matching <paramref name="value"/> as one item of a stored list (_ and % taken literally).</summary>
    private static string Listed(string value) => "%," + value.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + ",%";
}

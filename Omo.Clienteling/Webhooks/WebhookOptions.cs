namespace Omo.Clienteling.Webhooks;

/// <summary>A subscription written in the settings (docs/webhooks.md): empty Types or Stores mean all.</summary>
public sealed class WebhookSubscriptionSetting
{
    public string Url { get; set; } = "";
    public string Secret { get; set; } = "";
    public List<string> Types { get; set; } = [];
    public List<string> Stores { get; set; } = [];
}

/// <summary>Webhooks (docs/settings.md, "Webhooks").</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    public List<WebhookSubscriptionSetting> Subscriptions { get; set; } = [];

    /// <summary>Whether this server sends (every server may; each delivery is leased to one at a time).</summary>
    public bool Send { get; set; } = true;

    /// <summary>How often a server looks for deliveries that are due (it also wakes at once when it writes one itself).</summary>
    public TimeSpan PollEvery { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a server may take to send one delivery before another server may try it again.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a receiver has to answer.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Deliveries a server sends at once.</summary>
    public int Concurrency { get; set; } = 8;

    /// <summary>
    /// The waits before each retry (docs/webhooks.md), each ±10 %; after the last, the delivery is kept as failed (an
    /// admin can replay it). Empty: the documented schedule, <see cref="DefaultRetryAfter"/>.
    /// </summary>
    public List<TimeSpan> RetryAfter { get; set; } = [];

    public static readonly IReadOnlyList<TimeSpan> DefaultRetryAfter =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), TimeSpan.FromHours(6),
    ];

    /// <summary>The retry schedule in force.</summary>
    public IReadOnlyList<TimeSpan> Schedule => RetryAfter.Count > 0 ? RetryAfter : DefaultRetryAfter;
}

/// <summary>What Omo tells other systems (docs/webhooks.md).</summary>
public static class WebhookTopics
{
    public const string MemberCheckedIn = "member.checked_in";
    public const string FollowUpRequested = "followup.requested";
    public const string HoldPrepared = "hold.prepared";
    public const string TalkingPointUsed = "talking_point.used";
    public const string MemberSplit = "member.split";

    public static readonly IReadOnlyList<string> All = [MemberCheckedIn, FollowUpRequested, HoldPrepared, TalkingPointUsed, MemberSplit];
}

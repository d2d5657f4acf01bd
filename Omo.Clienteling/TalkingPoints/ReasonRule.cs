namespace Omo.Clienteling.TalkingPoints;

/// <summary>
/// One reason to approach a customer: its id, the consent it needs, how it reads the profile, and (for the reasons a
/// manager sees at a glance) how several of its points make one line on the board.
/// </summary>
public sealed record ReasonRule(
    string Id, Func<TalkingPointEngine.Facts, IEnumerable<TalkingPoint>> Evaluate,
    bool NeedsOnlineConsent = false, bool NeedsMarketingConsent = false, Func<IReadOnlyList<Highlight>, Highlight>? OnTheBoard = null);

/// <summary>
/// A talking point's one-line form for the board and the check-in alerts: its rule id, the values its sentence
/// needs (a product comes as its English then its Japanese name; each language's sentence picks its own), and which
/// of the rule's sentences when it has several ("hold ready" or "hold to prepare").
/// </summary>
public sealed record Highlight(string Key, IReadOnlyList<string> Args, string? Variant = null)
{
    /// <summary>The sentence's resource key: <c>Highlight.{Key}</c> or <c>Highlight.{Key}.{Variant}</c>.</summary>
    public string ResourceKey => Variant is null ? $"Highlight.{Key}" : $"Highlight.{Key}.{Variant}";
}

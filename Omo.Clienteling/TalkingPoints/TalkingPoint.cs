using Omo.Clienteling.Members;

namespace Omo.Clienteling.TalkingPoints;

/// <summary>
/// A sentence to show, as a resource key and its arguments; the page renders it in the assistant's language.
/// Arguments may be <see cref="ProductInfo"/>, <see cref="Category"/>, <see cref="Term"/> or plain values.
/// </summary>
public sealed record Phrase(string Key, params object[] Args);

/// <summary>A word that is itself translated (a channel, a store), by its resource key.</summary>
public sealed record Term(string Key);

/// <summary>One thing worth saying to this customer now, with the facts behind it.</summary>
public sealed record TalkingPoint(string RuleId, double Score, Phrase Opening, IReadOnlyList<Phrase> Evidence, IReadOnlyList<ProfileItem> Products,
    Highlight? Headline = null)
{
    /// <summary>The style this point is about, if any: no two points about one product.</summary>
    public string? ProductStyle => Products.FirstOrDefault()?.Product.StyleCode;
}

using Omo.Clienteling.Catalog;

namespace Omo.Clienteling.TalkingPoints;

/// <summary>
/// A product category as a talking point names it: the demo's categories in both languages, a retailer's own word
/// (<c>Trousers</c>, <c>パンツ</c>) as its catalogue writes it, which is how its staff say it.
/// </summary>
public sealed record CategoryName(string Word, string Ja, string En)
{
    public static CategoryName Of(string word) => Categories.Find(word) is { } demo ? new(word, demo.NameJa, demo.NameEn) : new(word, word, word);
}

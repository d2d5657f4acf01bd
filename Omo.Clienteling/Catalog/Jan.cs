using Omo.Clienteling.Scanning;

namespace Omo.Clienteling.Catalog;

/// <summary>
/// JAN codes: the EAN-13 barcodes on product tags, 13 digits with a correct GS1 check digit (the point cards' own
/// EAN-13s start with 29, docs/member-codes.md).
/// </summary>
public static class Jan
{
    public static bool IsValid(string? text) =>
        text is { Length: 13 } && text.All(char.IsAsciiDigit) && Gs1.CheckDigit(text.AsSpan(0, 12)) == text[12];
}

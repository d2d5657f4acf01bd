namespace Omo.Clienteling.Scanning;

/// <summary>Member numbers are 10 digits on every code and screen; inside, the number itself is the key.</summary>
public static class MemberNumber
{
    public static string Format(long memberId) => memberId.ToString("D10");

    public static bool TryParse(string? text, out long memberId)
    {
        memberId = 0;
        return text is { Length: 10 } && text.All(char.IsAsciiDigit) && long.TryParse(text, out memberId) && memberId > 0;
    }
}

namespace Omo.Clienteling.Members;

/// <summary>Contact details are masked on the tablet: enough to confirm with the customer, not to copy down.</summary>
public static class Mask
{
    public static string? Email(string? email)
    {
        if (string.IsNullOrEmpty(email)) return null;
        var at = email.IndexOf('@');
        return at <= 0 ? "***" : $"{email[0]}***{email[at..]}";
    }

    public static string? Phone(string? phone)
    {
        if (string.IsNullOrEmpty(phone)) return null;
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        return digits.Length < 4 ? "***" : $"***-****-{digits[^4..]}";
    }

    public static string Identifier(string kind, string value) => kind == "email" ? Email(value)! : value;
}

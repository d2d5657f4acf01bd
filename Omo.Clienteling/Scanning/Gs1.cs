namespace Omo.Clienteling.Scanning;

/// <summary>GS1 mod-10 check digits, as printed on EAN-13 (JAN) point cards.</summary>
public static class Gs1
{
    /// <summary>The check digit for the first 12 digits of an EAN-13.</summary>
    public static char CheckDigit(ReadOnlySpan<char> twelveDigits)
    {
        if (twelveDigits.Length != 12) throw new ArgumentException("EAN-13 check digits are computed over 12 digits.", nameof(twelveDigits));
        var sum = 0;
        for (var i = 0; i < 12; i++) sum += (twelveDigits[i] - '0') * (i % 2 == 0 ? 1 : 3);
        return (char)('0' + (10 - sum % 10) % 10);
    }

    /// <summary>The point card number for a 10-digit card serial: '29' + serial + check digit.</summary>
    public static string PointCardNumber(long cardSerial)
    {
        var body = "29" + cardSerial.ToString("D10");
        return body + CheckDigit(body);
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Omo.Clienteling.Members;

namespace Omo.Clienteling.Scanning;

/// <summary>
/// Turns what was scanned or typed into a member code, or into the outcome that ends the lookup
/// (malformed, expired, forged). Pure: the app-code key and "now" come in as arguments.
/// </summary>
public static partial class MemberCodeParser
{
    /// <summary>App codes from the last two steps and the next one are accepted: phone clocks drift and codes take a moment to scan.</summary>
    public const int StepsBehind = 2, StepsAhead = 1;

    /// <summary>The most characters a scan or a typed code may have (the scan field stops there too).</summary>
    public const int MaxInput = 256;

    public static ParsedMemberCode Parse(string? input, byte[] appCodeKey, DateTimeOffset now)
    {
        // No member code is anywhere near this long: a stray paste is refused before any work is done on it.
        if (input?.Length > MaxInput) return ParsedMemberCode.Malformed(input[..MaxInput], MalformedReason.WrongLength);
        var text = Normalise(input);
        if (text.Length == 0) return ParsedMemberCode.Malformed(text, MalformedReason.Empty);

        if (text.StartsWith(AppCode.Prefix + ":", StringComparison.OrdinalIgnoreCase)) return ParseAppCode(text, appCodeKey, now);
        if (text.StartsWith("EC-", StringComparison.OrdinalIgnoreCase))
        {
            var digits = text[3..];
            return digits.Length is > 0 and <= 20 && digits.All(char.IsAsciiDigit)
                ? ParsedMemberCode.Recognised(text, IdentifierKind.EcAccount, "EC-" + digits)
                : ParsedMemberCode.Malformed(text, MalformedReason.BadEcAccount);
        }
        if (text.Contains('@'))
            return EmailPattern().IsMatch(text)
                ? ParsedMemberCode.Recognised(text, IdentifierKind.Email, text.ToLowerInvariant())
                : ParsedMemberCode.Malformed(text, MalformedReason.BadEmail);
        if (text.All(char.IsAsciiDigit))
        {
            return text.Length switch
            {
                13 when Gs1.CheckDigit(text.AsSpan(0, 12)) != text[12] => ParsedMemberCode.Malformed(text, MalformedReason.WrongCheckDigit),
                13 when !text.StartsWith("29", StringComparison.Ordinal) => ParsedMemberCode.Malformed(text, MalformedReason.NotAMemberCard),
                13 => ParsedMemberCode.Recognised(text, IdentifierKind.PointCard, text),
                10 when MemberNumber.TryParse(text, out _) => ParsedMemberCode.Recognised(text, IdentifierKind.MemberNumber, text),
                _ => ParsedMemberCode.Malformed(text, MalformedReason.WrongLength),
            };
        }
        return ParsedMemberCode.Malformed(text, MalformedReason.Unrecognised);
    }

    /// <summary>
    /// Trim, NFKC (full-width digits and letters from a Japanese IME become ASCII), and spaces or dashes
    /// between digits removed ("2900 0000 1234 9", "0000-012-345").
    /// </summary>
    public static string Normalise(string? input)
    {
        if (string.IsNullOrWhiteSpace(input)) return "";
        var text = input.Normalize(NormalizationForm.FormKC).Trim();
        return DigitRunSeparators().Replace(text, "");
    }

    private static ParsedMemberCode ParseAppCode(string text, byte[] key, DateTimeOffset now)
    {
        var parts = text.Split(':');
        if (parts.Length != 4
            || !MemberNumber.TryParse(parts[1], out _)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var step)
            || parts[3].Length != AppCode.SignatureBytes * 2
            || !parts[3].All(char.IsAsciiHexDigit))
            return ParsedMemberCode.Malformed(text, MalformedReason.BadAppCode);

        var memberNo = parts[1];
        var presented = Convert.FromHexString(parts[3]);
        if (!CryptographicOperations.FixedTimeEquals(presented, AppCode.Sign(key, memberNo, step)))
            return ParsedMemberCode.Failed(text, LookupOutcome.Forged);
        var current = AppCode.StepAt(now);
        if (step < current - StepsBehind || step > current + StepsAhead)
            return ParsedMemberCode.Failed(text, LookupOutcome.Expired);
        return ParsedMemberCode.Recognised(text, IdentifierKind.AppMember, memberNo);
    }

    [GeneratedRegex(@"(?<=\d)[\s\-‐‑‒–—―−ー]+(?=\d)")]
    private static partial Regex DigitRunSeparators();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}

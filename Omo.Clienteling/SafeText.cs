using System.Globalization;

namespace Omo.Clienteling;

public enum TextProblemKind { TooLong, ControlCharacter, DirectionControl, BrokenCharacter }

/// <summary>What is wrong with a text, in words an integrator or (through the resources) an assistant can act on.</summary>
public sealed record TextProblem(TextProblemKind Kind, int MaxLength, int CodePoint)
{
    public override string ToString() => Kind switch
    {
        TextProblemKind.TooLong => $"is longer than {MaxLength} characters",
        TextProblemKind.ControlCharacter => $"contains a control character (U+{CodePoint:X4})",
        TextProblemKind.DirectionControl => $"contains a text-direction control (U+{CodePoint:X4}) that would make it display differently from what it says",
        _ => "contains a broken character (an unpaired surrogate)",
    };
}

/// <summary>
/// The one rule for text that people and systems send us (names, notes, ids, references): a length limit, and no
/// character that hides what the text says. NUL and other control characters are refused (tabs and line breaks only in
/// multi-line text); so are the invisible characters that reverse or isolate text direction (U+202E makes "evil" show
/// as "live"). Refused rather than stripped: the sender learns what is wrong, and nothing is changed behind their back.
/// </summary>
public static class SafeText
{
    public static TextProblem? Check(string? text, int maxLength, bool multiline = false)
    {
        if (text is null) return null;
        if (text.Length > maxLength) return new TextProblem(TextProblemKind.TooLong, maxLength, 0);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            if (char.IsSurrogate(c)) return new TextProblem(TextProblemKind.BrokenCharacter, maxLength, c);
            if (multiline && c is '\n' or '\r' or '\t') continue;
            if (char.IsControl(c)) return new TextProblem(TextProblemKind.ControlCharacter, maxLength, c);
            if (IsDirectionControl(c)) return new TextProblem(TextProblemKind.DirectionControl, maxLength, c);
        }
        return null;
    }

    /// <summary>Refuses a text with a problem, naming the field ("note", "name") for whoever sent it.</summary>
    public static void Require(string? text, int maxLength, string field, bool multiline = false)
    {
        if (Check(text, maxLength, multiline) is { } problem) throw new TextRefusedException(field, problem);
    }

    /// <summary>Marks, embeddings, overrides and isolates (Unicode's bidirectional formatting characters).</summary>
    private static bool IsDirectionControl(char c) => c is '\u061C' or '\u200E' or '\u200F' || c is >= '\u202A' and <= '\u202E' || c is >= '\u2066' and <= '\u2069';
}

/// <summary>A text refused by <see cref="SafeText"/>: the message names the field; pages show <see cref="Problem"/> in the tablet's language.</summary>
public sealed class TextRefusedException(string field, TextProblem problem) : ArgumentException($"The {field} {problem}.", field)
{
    public TextProblem Problem => problem;
}

namespace Omo.Clienteling;

public static class LocalUrl
{
    /// <summary>
    /// A return address only if it is plainly one of this app's own pages: a path starting with a single '/', with no
    /// backslash, control character or whitespace anywhere (browsers skip tabs and read '\' as '/', so "/\t/evil.example"
    /// would leave the site). Anything else goes home: never an open redirect, never an error.
    /// </summary>
    public static string Safe(string? returnUrl) =>
        returnUrl is { Length: > 0 and <= 2048 } && returnUrl[0] == '/' && (returnUrl.Length == 1 || returnUrl[1] != '/')
        && !returnUrl.Any(c => c == '\\' || char.IsControl(c) || char.IsWhiteSpace(c))
            ? returnUrl
            : "/";
}

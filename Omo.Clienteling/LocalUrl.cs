namespace Omo.Clienteling;

public static class LocalUrl
{
    /// <summary>A return address only if it is one of this app's own pages: never an open redirect.</summary>
    public static string Safe(string? returnUrl) =>
        returnUrl is { Length: > 0 } && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//") && !returnUrl.StartsWith("/\\") ? returnUrl : "/";
}

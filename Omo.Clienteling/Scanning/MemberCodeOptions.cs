namespace Omo.Clienteling.Scanning;

public sealed class MemberCodeOptions
{
    public const string Section = "MemberCodes";

    /// <summary>Base64 HMAC key shared with the customer app, at least 16 bytes. Development ships a demo key.</summary>
    public string AppCodeKey { get; set; } = "";

    /// <summary>The demo key in appsettings.Development.json: public, so refused outside Development.</summary>
    public const string DevelopmentKey = "b21vLWRlbW8tYXBwLWNvZGUta2V5LTIwMjY=";

    public byte[] KeyBytes() => Convert.FromBase64String(AppCodeKey);

    public bool IsValid()
    {
        try { return KeyBytes().Length >= 16; }
        catch (FormatException) { return false; }
    }
}

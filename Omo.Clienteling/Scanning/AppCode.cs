using System.Security.Cryptography;
using System.Text;

namespace Omo.Clienteling.Scanning;

/// <summary>
/// The app's rotating membership code <c>OMO1:&lt;memberNo&gt;:&lt;step&gt;:&lt;sig&gt;</c>: step = unix seconds / 30,
/// sig = first 8 bytes of HMAC-SHA256(key, "OMO1:&lt;memberNo&gt;:&lt;step&gt;") in lowercase hex.
/// </summary>
public static class AppCode
{
    public const string Prefix = "OMO1";
    public const int StepSeconds = 30;
    public const int SignatureBytes = 8;

    public static long StepAt(DateTimeOffset at) => at.ToUnixTimeSeconds() / StepSeconds;

    public static string Create(byte[] key, string memberNo, long step) => $"{Prefix}:{memberNo}:{step}:{Convert.ToHexStringLower(Sign(key, memberNo, step))}";

    public static string Create(byte[] key, string memberNo, DateTimeOffset at) => Create(key, memberNo, StepAt(at));

    /// <summary>Seconds until the code shown now is replaced by the next one.</summary>
    public static int SecondsLeft(DateTimeOffset at) => StepSeconds - (int)(at.ToUnixTimeSeconds() % StepSeconds);

    internal static byte[] Sign(byte[] key, string memberNo, long step)
    {
        var mac = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes($"{Prefix}:{memberNo}:{step}"));
        return mac[..SignatureBytes];
    }
}

namespace Omo.Clienteling.Staff;

/// <summary>
/// PINs a guesser tries first are refused for real staff: one digit repeated, runs up or down the keypad's digits,
/// pairs repeated, the keypad's middle column, years of the recent past. The demo's published PINs (1111, 2222…) are
/// allowed only on the demo dataset.
/// </summary>
public static class PinPolicy
{
    private static readonly HashSet<string> Common = ["1212", "1122", "1004", "2580", "0852", "1313", "6969", "4321", "1010", "2020", "1230", "0007", "1357", "2468"];

    /// <summary>Why a PIN is too easy to guess, or null when it is fine.</summary>
    public static string? Weakness(string pin)
    {
        if (pin.Distinct().Count() == 1) return "one digit repeated";
        if (IsRun(pin, +1) || IsRun(pin, -1)) return "digits in a row";
        if (pin.Length % 2 == 0 && pin.Length >= 4 && Enumerable.Range(0, pin.Length).All(i => pin[i] == pin[i % 2])) return "a pair repeated";
        if (Common.Contains(pin)) return "one of the PINs people try first";
        if (pin.Length == 4 && int.TryParse(pin, out var year) && year is >= 1940 and <= 2039) return "a year";
        return null;
    }

    private static bool IsRun(string pin, int step)
    {
        for (var i = 1; i < pin.Length; i++)
            if ((pin[i] - pin[i - 1] + 10) % 10 != (step + 10) % 10) return false;
        return true;
    }
}

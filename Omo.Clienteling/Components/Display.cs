using System.Globalization;

namespace Omo.Clienteling.Components;

/// <summary>How dates, prices and store names read on the tablet, in the shop's time zone and the person's language.</summary>
public static class Display
{
    public static bool Japanese => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "ja";

    public static string When(DateTimeOffset at) =>
        at.ToOffset(ShopTime.Offset).ToString(Japanese ? "M/d (ddd) HH:mm" : "ddd d MMM HH:mm", CultureInfo.CurrentCulture);

    public static string Day(DateTimeOffset at) =>
        at.ToOffset(ShopTime.Offset).ToString(Japanese ? "yyyy/M/d" : "d MMM yyyy", CultureInfo.CurrentCulture);

    public static string Day(DateOnly day) => day.ToString(Japanese ? "yyyy/M/d" : "d MMM yyyy", CultureInfo.CurrentCulture);

    public static string Yen(int amount) => "¥" + amount.ToString("N0", CultureInfo.InvariantCulture);

    public static string Store(Catalog.StoreDirectory stores, string? storeId) =>
        storeId is null ? "" : stores.Find(storeId)?.Name(Japanese) ?? storeId;
}

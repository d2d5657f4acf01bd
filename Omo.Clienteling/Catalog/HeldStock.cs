using Omo.Clienteling.Data;

namespace Omo.Clienteling.Catalog;

/// <summary>
/// Stock set aside by open holds: what the profile, the shelves and the stock API subtract from a shop's on-hand level
/// before they offer it to anyone. Open means requested or prepared, and not past closing time on its last day; the
/// statement that uses it binds <c>@now</c>, so a hold's stock goes back on sale at closing time, not at the next sweep.
/// </summary>
public static class HeldStock
{
    /// <summary>The condition that a hold (alias <c>h</c>) is open at <c>@now</c>.</summary>
    public static readonly string OpenHold = $"h.status IN ('{HoldStatus.Requested.Wire}', '{HoldStatus.Prepared.Wire}') AND h.expires_at > @now";

    /// <summary>The quantity of <paramref name="skuColumn"/> held in <paramref name="storeColumn"/> (0 when none).</summary>
    public static string Quantity(string skuColumn, string storeColumn) => $"""
        (SELECT COALESCE(SUM(l.quantity), 0) FROM hold_lines l JOIN holds h ON h.hold_id = l.hold_id
         WHERE l.sku = {skuColumn} AND l.store_id = {storeColumn} AND {OpenHold})
        """;

    /// <summary>
    /// The held quantity per (sku, store_id) of the SKUs in <paramref name="skusParameter"/>, as a statement: where many
    /// stock rows are read at once (a profile) and holds are few, one indexed read beats a subquery per row.
    /// </summary>
    public static string BySkus(SqlDialect dialect, string skusParameter) => $"""
        SELECT l.sku, l.store_id, SUM(l.quantity) AS quantity FROM hold_lines l JOIN holds h ON h.hold_id = l.hold_id
        WHERE l.sku {dialect.InArray(skusParameter)} AND {OpenHold} GROUP BY l.sku, l.store_id
        """;

    /// <summary>What a stock row (alias <paramref name="stock"/>) can still offer: on hand less what open holds keep, never below zero.</summary>
    public static string Available(SqlDialect dialect, string stock) =>
        dialect.Greatest($"{stock}.quantity - {Quantity($"{stock}.sku", $"{stock}.store_id")}", "0");
}

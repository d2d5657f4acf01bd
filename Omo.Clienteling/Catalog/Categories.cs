namespace Omo.Clienteling.Catalog;

/// <summary>A product category as the shop floor thinks of it: its sizes, its price range and what goes with it.</summary>
public sealed record Category(
    string Code,
    string Id,
    string NameJa,
    string NameEn,
    IReadOnlyList<string> Sizes,
    int MinPrice,
    int MaxPrice,
    IReadOnlyList<string> Complements);

public static class Categories
{
    public static IReadOnlyList<Category> All { get; } =
    [
        new("DR", "dress", "ワンピース", "Dress", ["S", "M", "L"], 8900, 29000, ["cardigan", "bag", "shoes"]),
        new("CD", "cardigan", "カーディガン", "Cardigan", ["S", "M", "L"], 5900, 16000, ["blouse", "dress"]),
        new("KN", "knit", "ニット", "Knitwear", ["S", "M", "L"], 4900, 19000, ["skirt", "pants", "scarf"]),
        new("BL", "blouse", "ブラウス", "Blouse", ["S", "M", "L"], 3900, 12900, ["skirt", "cardigan"]),
        new("SH", "shirt", "シャツ", "Shirt", ["S", "M", "L", "XL"], 3900, 11900, ["pants", "belt"]),
        new("TS", "tshirt", "Tシャツ", "T-shirt", ["S", "M", "L", "XL"], 1990, 4900, ["pants", "cardigan"]),
        new("PT", "pants", "パンツ", "Trousers", ["S", "M", "L", "XL"], 4900, 14900, ["belt", "shirt"]),
        new("SK", "skirt", "スカート", "Skirt", ["S", "M", "L"], 4900, 13900, ["knit", "blouse"]),
        new("JK", "jacket", "ジャケット", "Jacket", ["S", "M", "L"], 12900, 39000, ["scarf", "pants"]),
        new("CT", "coat", "コート", "Coat", ["S", "M", "L"], 19900, 59000, ["scarf", "knit"]),
        new("SC", "scarf", "ストール", "Scarf", ["F"], 2900, 9900, ["coat", "jacket"]),
        new("BG", "bag", "バッグ", "Bag", ["F"], 3900, 24000, ["shoes", "dress"]),
        new("SN", "shoes", "シューズ", "Shoes", ["22.5", "23.0", "23.5", "24.0", "24.5", "25.0"], 5900, 22000, ["bag", "dress"]),
        new("BT", "belt", "ベルト", "Belt", ["F"], 2900, 7900, ["pants", "dress"]),
        new("AC", "accessory", "アクセサリー", "Accessory", ["F"], 1990, 9900, ["blouse", "dress"]),
    ];

    private static readonly Dictionary<string, Category> ById = All.ToDictionary(c => c.Id);
    private static readonly Dictionary<string, Category> ByCode = All.ToDictionary(c => c.Code);

    public static Category Get(string id) => ById[id];

    /// <summary>The demo category of that word, if it is one (a retailer's own words are not).</summary>
    public static Category? Find(string id) => ById.GetValueOrDefault(id);

    public static Category? FromCode(string code) => ByCode.GetValueOrDefault(code);

    /// <summary>The category of a style or SKU from its code prefix ('DR-0012' or 'DR-0012-M-NAVY').</summary>
    public static Category? OfCode(string styleOrSku) => styleOrSku.Length >= 2 ? FromCode(styleOrSku[..2]) : null;
}

public sealed record Colour(string Code, string NameJa, string NameEn, string Hex);

public static class Colours
{
    public static IReadOnlyList<Colour> All { get; } =
    [
        new("NAVY", "ネイビー", "Navy", "#23314f"),
        new("BLACK", "ブラック", "Black", "#1d1d1f"),
        new("WHITE", "ホワイト", "White", "#f4f2ee"),
        new("BEIGE", "ベージュ", "Beige", "#d8c3a5"),
        new("GRAY", "グレー", "Grey", "#8d8f94"),
        new("KHAKI", "カーキ", "Khaki", "#7a7046"),
        new("PINK", "ピンク", "Pink", "#e8a7b5"),
        new("BLUE", "ブルー", "Blue", "#4a78b5"),
        new("BROWN", "ブラウン", "Brown", "#6e4b34"),
        new("IVORY", "アイボリー", "Ivory", "#efe6d0"),
        new("RED", "レッド", "Red", "#b3323b"),
        new("GREEN", "グリーン", "Green", "#4f7a55"),
    ];

    private static readonly Dictionary<string, Colour> ByCode = All.ToDictionary(c => c.Code);

    public static Colour Get(string code) => ByCode.TryGetValue(code, out var c) ? c : new Colour(code, code, code, "#999999");
}

/// <summary>Parts of a SKU code: style, size, colour ('DR-0012-M-NAVY'; sizes such as '23.5' contain no hyphen).</summary>
public readonly record struct SkuCode(string StyleCode, string Size, string Colour)
{
    public static SkuCode? TryParse(string sku)
    {
        var parts = sku.Split('-');
        return parts.Length == 4 ? new SkuCode($"{parts[0]}-{parts[1]}", parts[2], parts[3]) : null;
    }

    public static string Format(string styleCode, string size, string colour) => $"{styleCode}-{size}-{colour}";
}

namespace Omo.Clienteling.Demo;

public sealed record DemoStore(string Id, string NameJa, string NameEn, string Kind, double Latitude, double Longitude);

public static class DemoStores
{
    public const string WebShop = "EC";

    public static IReadOnlyList<DemoStore> All { get; } =
    [
        new("S01", "渋谷店", "Shibuya", "store", 35.6595, 139.7005),
        new("S02", "新宿店", "Shinjuku", "store", 35.6905, 139.7004),
        new("S03", "銀座店", "Ginza", "store", 35.6717, 139.7650),
        new("S04", "池袋店", "Ikebukuro", "store", 35.7295, 139.7109),
        new("S05", "吉祥寺店", "Kichijoji", "store", 35.7033, 139.5797),
        new(WebShop, "ウェブストア", "Web shop", "online", 0, 0),
    ];

    public static IReadOnlyList<DemoStore> Shops { get; } = All.Where(s => s.Kind == "store").ToList();
}

/// <summary>The demo staff of README's sign-in table.</summary>
public static class DemoStaff
{
    public sealed record Account(string Code, string Name, string Role, string? StoreId, string Pin);

    public static IReadOnlyList<Account> All { get; } =
    [
        new("A001", "青木 あかり", "associate", "S01", "1111"),
        new("M001", "森 誠", "manager", "S01", "2222"),
        new("A002", "石井 翼", "associate", "S02", "1111"),
        new("M002", "前田 涼子", "manager", "S02", "2222"),
        new("T001", "遠藤 由紀", "trainer", null, "3333"),
        new("X001", "管理者", "admin", null, "9999"),
    ];
}

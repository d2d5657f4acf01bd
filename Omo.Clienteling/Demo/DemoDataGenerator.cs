using System.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Omo.Clienteling.Catalog;
using Omo.Clienteling.Data;
using Omo.Clienteling.Members;
using Omo.Clienteling.Scanning;

namespace Omo.Clienteling.Demo;

/// <summary>
/// Builds the demo dataset: stores, catalogue and stock, staff, the ten personas and a crowd of members
/// with six months of cross-channel history. Deterministic: the same seed and the same day give the same rows
/// (PIN hashes aside, which are salted). Histories are placed relative to <c>today</c> so the stories stay current.
/// </summary>
public sealed class DemoDataGenerator
{
    public sealed record Result(int Members, long Rows, TimeSpan Elapsed);

    private sealed record Style(string Code, Category Category, int Price, string[] Colours);

    private const int HistoryDays = 180;
    private readonly Random _rng;
    private readonly DateOnly _today;
    private readonly int _memberCount;
    private readonly List<Style> _styles = [];
    private readonly Dictionary<string, List<Style>> _stylesByCategory = [];
    private readonly List<(long Survivor, long Duplicate)> _merges = [];
    private long _receiptSeq, _orderSeq;
    private BulkWriter _w = null!;

    /// <param name="members">How many members in all, the ten personas included (at least 10).</param>
    public DemoDataGenerator(int seed, DateOnly today, int members)
    {
        _rng = new Random(seed);
        _today = today;
        _memberCount = Math.Max(members, DemoPersonas.All.Count);
    }

    /// <summary>
    /// Writes the dataset through <paramref name="writer"/> (begun, on empty or just-emptied tables) and flushes it;
    /// the caller completes the writer, so a reset commits the new data together with its own bookkeeping.
    /// </summary>
    public async Task<Result> WriteAsync(BulkWriter writer, IPasswordHasher<DemoStaff.Account>? pinHasher = null, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        _w = writer;
        // The marker that lets trainers in: their tools never run on real customers' data.
        _w.Add("demo_state", "key, value", DemoDataset.MarkerKey, DemoDataset.MarkerValue);
        WriteStores();
        WriteStaff(pinHasher ?? new PasswordHasher<DemoStaff.Account>());
        await WriteCatalogueAsync(cancellationToken);
        WritePersonas();
        for (long id = DemoPersonas.All.Count + 1; id <= _memberCount; id++)
        {
            WriteCrowdMember(id);
            await _w.FlushIfFullAsync(cancellationToken);
        }
        await _w.IndexAsync(cancellationToken);
        // Merges go through the same code path as the events API's identity_linked.
        foreach (var (survivor, duplicate) in _merges)
            await MemberMerger.MergeKeepingOlderAsync(_w.Dialect, _w.Connection, _w.Transaction, survivor, duplicate, At(_today.AddDays(-1), 3, 0), MergeCause.Demo);
        return new Result(_memberCount, _w.RowsWritten, watch.Elapsed);
    }

    // ---------- stores, staff, catalogue ----------

    private void WriteStores()
    {
        foreach (var s in DemoStores.All)
            _w.Add("stores", "store_id, name_ja, name_en, kind, latitude, longitude", s.Id, s.NameJa, s.NameEn, s.Kind, s.Latitude, s.Longitude);
    }

    private void WriteStaff(IPasswordHasher<DemoStaff.Account> hasher)
    {
        foreach (var a in DemoStaff.All)
            _w.Add("staff", "staff_code, display_name, role, store_id, pin_hash", a.Code, a.Name, a.Role, a.StoreId, hasher.HashPassword(a, a.Pin));
    }

    private static readonly (string Category, int Styles)[] CatalogueMix =
    [
        ("dress", 30), ("cardigan", 20), ("knit", 25), ("blouse", 20), ("shirt", 20), ("tshirt", 25), ("pants", 25), ("skirt", 20),
        ("jacket", 20), ("coat", 20), ("scarf", 15), ("bag", 20), ("shoes", 20), ("belt", 10), ("accessory", 10),
    ];

    private async Task WriteCatalogueAsync(CancellationToken cancellationToken)
    {
        foreach (var (categoryId, count) in CatalogueMix)
        {
            var category = Categories.Get(categoryId);
            var items = DemoProductWords.Items[categoryId];
            var list = _stylesByCategory[categoryId] = [];
            for (var n = 1; n <= count; n++)
            {
                var code = $"{category.Code}-{n:D4}";
                var item = items[(n - 1) % items.Length];
                var material = DemoProductWords.Materials[_rng.Next(DemoProductWords.Materials.Length)];
                var price = RoundPrice(category.MinPrice + _rng.NextDouble() * (category.MaxPrice - category.MinPrice));
                var colours = Pick(Colours.All, 2 + _rng.Next(3)).Select(c => c.Code).ToArray();
                var style = new Style(code, category, price, colours);
                _styles.Add(style);
                list.Add(style);
                _w.Add("products", "style_code, name_ja, name_en, category, price, image_path, launched_on",
                    code, material.Ja + item.Ja, $"{material.En} {item.En}", categoryId, price, ProductImages.PlaceholderPath(code),
                    _today.AddDays(-_rng.Next(20, 400)));
                foreach (var size in category.Sizes)
                    foreach (var colour in colours)
                    {
                        var sku = SkuCode.Format(code, size, colour);
                        _w.Add("skus", "sku, style_code, size, colour", sku, code, size, colour);
                        // Counted last night after closing, as a shop's inventory system would report it. Never
                        // this morning: a dataset loaded before then would hold a count from the future, and today's
                        // sales before it would not take stock off the shelf.
                        foreach (var store in DemoStores.Shops)
                            _w.Add("stock", "sku, store_id, quantity, counted_at", sku, store.Id, StockFor(sku, store.Id), Ms(StockCountedAt));
                    }
                await _w.FlushIfFullAsync(cancellationToken);
            }
        }
    }

    /// <summary>Stock that the persona stories depend on; everything else is random with some sizes sold out.</summary>
    private int StockFor(string sku, string storeId)
    {
        var random = _rng.NextDouble() < 0.15 ? 0 : 1 + _rng.Next(8);
        return (sku, storeId) switch
        {
            // Persona 3's jacket: sold out in M at Shibuya and everywhere but Ginza (the "nearby store" case).
            (var s, "S03") when s.StartsWith("JK-0003-M-", StringComparison.Ordinal) => 3,
            (var s, _) when s.StartsWith("JK-0003-M-", StringComparison.Ordinal) => 0,
            // Persona stories at Shibuya: the dress tried on, the coat in the cart, the complements to suggest.
            (var s, "S01") when s.StartsWith("DR-0001-M-", StringComparison.Ordinal) || s.StartsWith("CT-0002-M-", StringComparison.Ordinal)
                                || s.StartsWith("CD-0001-M-", StringComparison.Ordinal) || s.StartsWith("SC-0002-F-", StringComparison.Ordinal)
                                || s.StartsWith("TS-", StringComparison.Ordinal) => Math.Max(random, 2),
            _ => random,
        };
    }

    // ---------- personas ----------

    private void WritePersonas()
    {
        var t = _today;
        // 1. The classic OMO journey: an ad, three web views, a check-in at Shibuya, a try-on, no purchase.
        var dress = Sku("DR-0001", "M");
        Member(1, "佐藤", "サトウ", "美咲", "ミサキ", "misaki.sato", tier: "silver", points: 820, expire: t.AddDays(200), home: "S01",
            birthMonth: Month(t, 4), online: true, marketing: true, created: t.AddDays(-900), card: true, app: true, ec: true);
        PageView(1, At(t.AddDays(-6), 21, 5), "campaign_autumn", "app");
        ProductView(1, At(t.AddDays(-6), 21, 6), dress, "app", 95);
        ProductView(1, At(t.AddDays(-4), 12, 30), dress, "ec", 140);
        ProductView(1, At(t.AddDays(-2), 22, 15), dress, "ec", 210);
        CheckIn(1, "S01", "app", At(t.AddDays(-1), 15, 10));
        TryOn(1, "S01", dress, At(t.AddDays(-1), 15, 25));
        Note(1, "A001", "S01", "Mサイズを試着。丈を気にしていた。", At(t.AddDays(-1), 15, 40));
        Sale(1, "S01", At(t.AddDays(-80), 14, 0), (Sku("CD-0003", "M"), 1));

        // 2. A high-intent cart: one coat viewed six times in twelve days, still in the online cart.
        var coat = Sku("CT-0002", "M");
        Member(2, "鈴木", "スズキ", "陽菜", "ヒナ", "hina.suzuki", tier: "gold", points: 2400, expire: t.AddDays(150), home: "S01",
            birthMonth: Month(t, 7), online: true, marketing: true, created: t.AddDays(-1500), card: true, app: true, ec: true);
        foreach (var d in new[] { 12, 10, 9, 6, 3, 1 }) ProductView(2, At(t.AddDays(-d), 20, 40 - d), coat, d % 2 == 0 ? "ec" : "app", 60 + d * 10);
        CartAdd(2, coat, At(t.AddDays(-9), 20, 50));
        Sale(2, "S02", At(t.AddDays(-40), 18, 20), (Sku("KN-0002", "M"), 1), (Sku("SK-0001", "M"), 1));

        // 3. Opened the store-reservation page twice, then asked to try the jacket on at Ginza, the one shop with her size.
        Member(3, "高橋", "タカハシ", "結衣", "ユイ", "yui.takahashi", tier: "regular", points: 300, expire: t.AddDays(300), home: "S01",
            birthMonth: Month(t, 9), online: true, marketing: false, created: t.AddDays(-400), card: true, app: true, ec: false);
        ProductView(3, At(t.AddDays(-4), 19, 0), Sku("JK-0003", "M"), "app", 80);
        PageView(3, At(t.AddDays(-4), 19, 5), "store_reservation", "app");
        PageView(3, At(t.AddDays(-3), 22, 10), "store_reservation", "app");
        Sale(3, "S01", At(t.AddDays(-60), 13, 0), (Sku("BL-0004", "M"), 1));
        Hold(3, DemoPersonas.Persona3Hold, "S03", "try_on", At(t.AddDays(-3), 22, 20), t.AddDays(1), (Sku("JK-0003", "M"), 1));

        // 4. A frequent buyer of the cheapest T-shirts.
        Member(4, "田中", "タナカ", "健太", "ケンタ", "kenta.tanaka", tier: "silver", points: 640, expire: t.AddDays(220), home: "S01",
            birthMonth: Month(t, 2), online: true, marketing: true, created: t.AddDays(-700), card: true, app: false, ec: false);
        var cheapTees = _stylesByCategory["tshirt"].OrderBy(s => s.Price).ThenBy(s => s.Code).Take(3).ToList();
        foreach (var (d, i) in new[] { (80, 0), (62, 1), (45, 2), (30, 0), (16, 1), (6, 2) })
            Sale(4, "S01", At(t.AddDays(-d), 18, 30), (SkuOf(cheapTees[i], "L"), 1));

        // 5. A click-and-collect order waiting at Shibuya.
        Member(5, "伊藤", "イトウ", "さくら", "サクラ", "sakura.ito", tier: "silver", points: 1100, expire: t.AddDays(180), home: "S01",
            birthMonth: Month(t, 5), online: true, marketing: true, created: t.AddDays(-600), card: false, app: true, ec: true);
        Order(5, "ec", "click_and_collect", "S01", At(t.AddDays(-2), 21, 30), At(t.AddDays(-1), 11, 0), collected: null,
            (Sku("BL-0002", "M"), 1), (Sku("SC-0001", "F"), 1));

        // 6. Points about to expire.
        Member(6, "渡辺", "ワタナベ", "愛", "アイ", "ai.watanabe", tier: "gold", points: 3200, expire: t.AddDays(12), home: "S01",
            birthMonth: Month(t, 3), online: true, marketing: true, created: t.AddDays(-1100), card: true, app: true, ec: false);
        Sale(6, "S01", At(t.AddDays(-35), 16, 0), (Sku("PT-0002", "M"), 1));

        // 7. Birthday this month, with marketing consent.
        Member(7, "山本", "ヤマモト", "美穂", "ミホ", "miho.yamamoto", tier: "regular", points: 150, expire: t.AddDays(240), home: "S01",
            birthMonth: t.Month, online: true, marketing: true, created: t.AddDays(-300), card: true, app: true, ec: false);
        Sale(7, "S01", At(t.AddDays(-25), 17, 0), (Sku("AC-0001", "F"), 1));

        // 8. Lapsed: 150 days since the last purchase, a jacket person.
        Member(8, "中村", "ナカムラ", "大輔", "ダイスケ", "daisuke.nakamura", tier: "gold", points: 900, expire: t.AddDays(90), home: "S01",
            birthMonth: Month(t, 8), online: true, marketing: true, created: t.AddDays(-2000), card: true, app: false, ec: false);
        Sale(8, "S01", At(t.AddDays(-150), 15, 0), (Sku("JK-0001", "L"), 1));
        Sale(8, "S03", At(t.AddDays(-170), 15, 0), (Sku("JK-0005", "L"), 1), (Sku("SH-0001", "L"), 1));

        // 9. Two records, one person: a point-card member in store, and a web-shop account that bought a dress.
        Member(9, "小林", "コバヤシ", "直美", "ナオミ", "naomi.kobayashi", tier: "silver", points: 500, expire: t.AddDays(160), home: "S01",
            birthMonth: Month(t, 10), online: true, marketing: true, created: t.AddDays(-1800), card: true, app: false, ec: false);
        Sale(9, "S01", At(t.AddDays(-70), 12, 0), (Sku("SK-0003", "M"), 1));
        const long persona9WebAccount = 1_000_000_009;
        Member(persona9WebAccount, "小林", "コバヤシ", "直美", "ナオミ", "naomi.kobayashi", tier: "regular", points: 200, expire: t.AddDays(100), home: null,
            birthMonth: Month(t, 10), online: true, marketing: true, created: t.AddDays(-200), card: false, app: false, ec: true);
        ProductView(persona9WebAccount, At(t.AddDays(-22), 21, 0), Sku("DR-0004", "M"), "ec", 120);
        Order(persona9WebAccount, "ec", "delivery", null, At(t.AddDays(-20), 21, 10), null, At(t.AddDays(-17), 12, 0), (Sku("DR-0004", "M"), 1));
        _merges.Add((9, persona9WebAccount));

        // 10. No consent to online behaviour: the web data exists but must never show.
        Member(10, "加藤", "カトウ", "翔太", "ショウタ", "shota.kato", tier: "regular", points: 400, expire: t.AddDays(200), home: "S01",
            birthMonth: Month(t, 6), online: false, marketing: false, created: t.AddDays(-500), card: true, app: true, ec: true);
        foreach (var d in new[] { 8, 5, 2 }) ProductView(10, At(t.AddDays(-d), 22, 0), Sku("CT-0004", "L"), "ec", 100);
        CartAdd(10, Sku("CT-0004", "L"), At(t.AddDays(-2), 22, 5));
        PageView(10, At(t.AddDays(-2), 22, 6), "store_reservation", "ec");
        Sale(10, "S01", At(t.AddDays(-12), 19, 0), (Sku("JK-0001", "L"), 1));

        // 11. A styling appointment at Shibuya today, booked in the app after browsing jackets.
        Member(11, "佐々木", "ササキ", "彩", "アヤ", "aya.sasaki", tier: "gold", points: 1800, expire: t.AddDays(250), home: "S01",
            birthMonth: Month(t, 11), online: true, marketing: true, created: t.AddDays(-1200), card: true, app: true, ec: true);
        ProductView(11, At(t.AddDays(-3), 21, 0), Sku("JK-0002", "M"), "app", 90);
        ProductView(11, At(t.AddDays(-2), 21, 30), Sku("JK-0004", "M"), "app", 75);
        Sale(11, "S01", At(t.AddDays(-45), 16, 0), (Sku("KN-0001", "M"), 1));
        Appointment(11, DemoPersonas.Persona11Appointment, "S01", At(t, 14, 0), 60, "styling", "秋物のジャケットを探しています", At(t.AddDays(-2), 21, 40));
    }

    // ---------- the crowd ----------

    private void WriteCrowdMember(long id)
    {
        var family = DemoNames.Family[_rng.Next(DemoNames.Family.Length)];
        var given = DemoNames.Given[_rng.Next(DemoNames.Given.Length)];
        var card = _rng.NextDouble() < 0.85;
        var app = _rng.NextDouble() < 0.7 || !card;
        var ec = _rng.NextDouble() < 0.4;
        var points = _rng.Next(0, 6000);
        var tierRoll = _rng.NextDouble();
        var tier = tierRoll < 0.55 ? "regular" : tierRoll < 0.8 ? "silver" : tierRoll < 0.95 ? "gold" : "platinum";
        var home = DemoStores.Shops[_rng.Next(DemoStores.Shops.Count)].Id;
        Member(id, family.Kanji, family.Kana, given.Kanji, given.Kana, $"{given.Romaji}.{family.Romaji}.{id}", tier, points,
            points > 0 ? _today.AddDays(_rng.Next(5, 365)) : null, home, 1 + _rng.Next(12),
            online: _rng.NextDouble() < 0.8, marketing: _rng.NextDouble() < 0.6, created: _today.AddDays(-_rng.Next(30, 2500)),
            card, app, ec);
        if (card && _rng.NextDouble() < 0.02)
            // A card reported lost: the old number is revoked, the member carries a new one.
            _w.Add("member_identifiers", "kind, value, member_id, status, linked_at",
                "point_card", Gs1.PointCardNumber(5_000_000_000 + id), id, "revoked", Ms(At(_today.AddDays(-_rng.Next(200, 900)), 12, 0)));

        var size = _rng.NextDouble() switch { < 0.3 => "S", < 0.75 => "M", < 0.95 => "L", _ => "XL" };
        var shoeSize = Categories.Get("shoes").Sizes[_rng.Next(6)];
        var favourites = Pick(CatalogueMix, 3).Select(c => c.Category).ToArray();
        string RandomSku() => SizedSku(Pick(_stylesByCategory[favourites[_rng.Next(favourites.Length)]]), size, shoeSize);

        var sessions = app || ec ? _rng.Next(0, 8) : 0;
        for (var i = 0; i < sessions; i++)
        {
            var channel = app && (!ec || _rng.NextDouble() < 0.5) ? "app" : "ec";
            var at = At(_today.AddDays(-_rng.Next(1, HistoryDays)), 7 + _rng.Next(16), _rng.Next(60));
            var sku = RandomSku();
            var views = 1 + _rng.Next(4);
            for (var v = 0; v < views; v++)
            {
                if (v > 0 && _rng.NextDouble() < 0.5) sku = RandomSku();
                ProductView(id, at.AddMinutes(v * 2), sku, channel, 10 + _rng.Next(230));
            }
            if (_rng.NextDouble() < 0.1)
                PageView(id, at.AddMinutes(1), Pick(new[] { "size_guide", "store_reservation", "store_locator", "campaign_autumn" }), channel);
            if (_rng.NextDouble() < 0.05) Wishlist(id, sku, at.AddMinutes(views * 2));
            if (_rng.NextDouble() >= 0.25) continue;

            var addedAt = at.AddMinutes(views * 2 + 1);
            CartAdd(id, sku, addedAt, current: false);
            var fate = _rng.NextDouble();
            var decidedAt = addedAt.AddHours(1 + _rng.Next(72));
            if (fate < 0.5 && decidedAt < At(_today, 0, 0))
            {
                CartEvent(id, sku, decidedAt, "removed");
                var clickAndCollect = _rng.NextDouble() < 0.3;
                var daysAgo = _today.DayNumber - DateOnly.FromDateTime(decidedAt.DateTime).DayNumber;
                var ready = clickAndCollect ? decidedAt.AddDays(1) : (DateTimeOffset?)null;
                var collected = !clickAndCollect ? decidedAt.AddDays(2) : daysAgo > 4 ? decidedAt.AddDays(3) : (DateTimeOffset?)null;
                Order(id, channel, clickAndCollect ? "click_and_collect" : "delivery", clickAndCollect ? home : null, decidedAt,
                    ready, collected, (sku, 1));
            }
            else if (fate < 0.75) CartEvent(id, sku, decidedAt, "removed");
            else CartLine(id, sku, addedAt);
        }

        var visits = _rng.Next(0, 6);
        for (var i = 0; i < visits; i++)
        {
            var store = _rng.NextDouble() < 0.7 ? home : DemoStores.Shops[_rng.Next(DemoStores.Shops.Count)].Id;
            var at = At(_today.AddDays(-_rng.Next(1, HistoryDays)), 11 + _rng.Next(9), _rng.Next(60));
            if (app && _rng.NextDouble() < 0.6) CheckIn(id, store, _rng.NextDouble() < 0.7 ? "app" : "beacon", at);
            else if (_rng.NextDouble() < 0.2) CheckIn(id, store, "staff", at);
            if (_rng.NextDouble() < 0.4)
                for (var k = 1 + _rng.Next(2); k > 0; k--) TryOn(id, store, RandomSku(), at.AddMinutes(5 + k * 4));
            if (_rng.NextDouble() >= 0.65) continue;
            var lines = Enumerable.Range(0, 1 + _rng.Next(3)).Select(_ => (RandomSku(), 1)).ToArray();
            Sale(id, store, at.AddMinutes(30), lines);
            if (_rng.NextDouble() < 0.04)
            {
                var returnedAt = at.AddDays(3 + _rng.Next(11));
                if (returnedAt < At(_today, 0, 0)) Return(id, store, returnedAt, lines[0]);
            }
        }

        if (id % 100 == 0 && ec)
        {
            // Some people signed up on the web shop again under a new account; the two are merged.
            var duplicate = 1_000_000_000 + id;
            Member(duplicate, family.Kanji, family.Kana, given.Kanji, given.Kana, $"{given.Romaji}.{family.Romaji}.{duplicate}", "regular",
                _rng.Next(0, 500), _today.AddDays(_rng.Next(30, 365)), null, null, online: true, marketing: false,
                created: _today.AddDays(-_rng.Next(1, 29)), card: false, app: false, ec: true);
            ProductView(duplicate, At(_today.AddDays(-_rng.Next(1, 28)), 21, 0), RandomSku(), "ec", 45);
            _merges.Add((id, duplicate));
        }
    }

    // ---------- row writers ----------

    private void Member(long id, string family, string familyKana, string given, string givenKana, string emailName, string tier,
        int points, DateOnly? expire, string? home, int? birthMonth, bool online, bool marketing, DateOnly created,
        bool card, bool app, bool ec)
    {
        var createdAt = Ms(At(created, 10, 0));
        var email = ec ? $"{emailName}@example.jp" : null;
        var phone = $"090{(id * 7919 % 100_000_000):D8}";
        _w.Add("members",
            "member_id, family_name, given_name, family_name_kana, given_name_kana, birth_month, tier, points, points_expire_on, home_store_id, email, phone, consent_online_behaviour, consent_marketing, created_at, updated_at",
            id, family, given, familyKana, givenKana, birthMonth, tier, points, expire, home, email, phone,
            online, marketing, createdAt, createdAt);
        if (app) Identifier("app_member", MemberNumber.Format(id), id, createdAt);
        if (card) Identifier("point_card", Gs1.PointCardNumber(id), id, createdAt);
        if (ec)
        {
            Identifier("ec_account", $"EC-{id:D8}", id, createdAt);
            Identifier("email", email!, id, createdAt);
        }
    }

    private void Identifier(string kind, string value, long memberId, long linkedAt) =>
        _w.Add("member_identifiers", "kind, value, member_id, status, linked_at", kind, value, memberId, "active", linkedAt);

    private void ProductView(long member, DateTimeOffset at, string sku, string channel, int seconds) =>
        _w.Add("product_views", "member_id, occurred_at, sku, channel, seconds", member, Ms(at), sku, channel, seconds);

    private void PageView(long member, DateTimeOffset at, string page, string channel) =>
        _w.Add("page_views", "member_id, occurred_at, page, channel", member, Ms(at), page, channel);

    private void CartAdd(long member, string sku, DateTimeOffset at, bool current = true)
    {
        CartEvent(member, sku, at, "added");
        if (current) CartLine(member, sku, at);
    }

    private void CartEvent(long member, string sku, DateTimeOffset at, string action) =>
        _w.Add("cart_events", "member_id, occurred_at, sku, quantity, action", member, Ms(at), sku, 1, action);

    private readonly HashSet<(long, string)> _cartLines = [];
    private readonly HashSet<(long, string)> _wishlist = [];

    private void CartLine(long member, string sku, DateTimeOffset at)
    {
        if (_cartLines.Add((member, sku))) _w.Add("cart_lines", "member_id, sku, quantity, added_at", member, sku, 1, Ms(at));
    }

    private void Wishlist(long member, string sku, DateTimeOffset at)
    {
        if (_wishlist.Add((member, sku))) _w.Add("wishlist_items", "member_id, sku, added_at", member, sku, Ms(at));
    }

    private string Order(long member, string channel, string fulfilment, string? pickupStore, DateTimeOffset placed,
        DateTimeOffset? ready, DateTimeOffset? collected, params (string Sku, int Quantity)[] lines)
    {
        var orderId = $"O-{++_orderSeq:D9}";
        var status = collected is not null ? "collected" : ready is not null ? "ready_for_pickup" : "placed";
        var priced = lines.Select(l => (l.Sku, l.Quantity, Price: PriceOf(l.Sku))).ToList();
        _w.Add("orders", "order_id, member_id, channel, fulfilment, pickup_store_id, status, placed_at, ready_at, collected_at, total",
            orderId, member, channel, fulfilment, pickupStore, status, Ms(placed), ready is { } r ? Ms(r) : null,
            collected is { } c ? Ms(c) : null, priced.Sum(l => l.Quantity * l.Price));
        for (var i = 0; i < priced.Count; i++)
            _w.Add("order_lines", "order_id, line_no, sku, quantity, unit_price", orderId, i + 1, priced[i].Sku, priced[i].Quantity, priced[i].Price);
        return orderId;
    }

    private string Sale(long member, string store, DateTimeOffset at, params (string Sku, int Quantity)[] lines) =>
        Receipt(member, store, "sale", at, lines);

    private string Return(long member, string store, DateTimeOffset at, params (string Sku, int Quantity)[] lines) =>
        Receipt(member, store, "return", at, lines);

    private string Receipt(long member, string store, string kind, DateTimeOffset at, (string Sku, int Quantity)[] lines)
    {
        var receiptId = $"R-{store}-{++_receiptSeq:D9}";
        var priced = lines.Select(l => (l.Sku, l.Quantity, Price: PriceOf(l.Sku))).ToList();
        var total = priced.Sum(l => l.Quantity * l.Price) * (kind == "return" ? -1 : 1);
        _w.Add("receipts", "receipt_id, member_id, store_id, kind, occurred_at, total", receiptId, member, store, kind, Ms(at), total);
        for (var i = 0; i < priced.Count; i++)
            _w.Add("receipt_lines", "receipt_id, line_no, sku, quantity, unit_price", receiptId, i + 1, priced[i].Sku, priced[i].Quantity, priced[i].Price);
        return receiptId;
    }

    private void TryOn(long member, string store, string sku, DateTimeOffset at) =>
        _w.Add("try_ons", "member_id, occurred_at, store_id, sku", member, Ms(at), store, sku);

    private void CheckIn(long member, string store, string source, DateTimeOffset at) =>
        _w.Add("check_ins", "member_id, store_id, source, occurred_at, last_seen_at", member, store, source, Ms(at), Ms(at));

    /// <summary>A hold as hold_requested makes it, kept until closing time (20:00) on <paramref name="until"/>.</summary>
    private void Hold(long member, string holdId, string store, string purpose, DateTimeOffset at, DateOnly until, params (string Sku, int Quantity)[] lines)
    {
        _w.Add("holds", "hold_id, member_id, store_id, purpose, status, requested_at, hold_until, expires_at",
            holdId, member, store, purpose, HoldStatus.Requested.Wire, Ms(at), until, Ms(At(until, 20, 0)));
        for (var i = 0; i < lines.Length; i++)
            _w.Add("hold_lines", "hold_id, line_no, sku, store_id, quantity, to_transfer", holdId, i + 1, lines[i].Sku, store, lines[i].Quantity, false);
    }

    private void Appointment(long member, string appointmentId, string store, DateTimeOffset startsAt, int minutes, string purpose, string? note, DateTimeOffset bookedAt) =>
        _w.Add("appointments", "appointment_id, member_id, store_id, starts_at, minutes, purpose, note, status, booked_at",
            appointmentId, member, store, Ms(startsAt), minutes, purpose, note, AppointmentStatus.Booked.Wire, Ms(bookedAt));

    private void Note(long member, string staff, string store, string body, DateTimeOffset at) =>
        _w.Add("staff_notes", "member_id, staff_code, store_id, body, created_at", member, staff, store, body, Ms(at));

    // ---------- helpers ----------

    private readonly Dictionary<string, Style> _styleByCode = [];

    private Style StyleOf(string code)
    {
        if (_styleByCode.Count == 0) foreach (var s in _styles) _styleByCode[s.Code] = s;
        return _styleByCode[code];
    }

    private int PriceOf(string sku) => StyleOf(sku[..7]).Price;

    private string Sku(string styleCode, string size) => SkuOf(StyleOf(styleCode), size);

    private static string SkuOf(Style style, string size) => SkuCode.Format(style.Code, size, style.Colours[0]);

    private string SizedSku(Style style, string size, string shoeSize)
    {
        var sizes = style.Category.Sizes;
        var chosen = sizes.Contains(size) ? size : sizes.Contains(shoeSize) ? shoeSize : sizes.Contains("M") ? "M" : sizes[0];
        return SkuCode.Format(style.Code, chosen, style.Colours[_rng.Next(style.Colours.Length)]);
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_rng.Next(items.Count)];

    private List<T> Pick<T>(IReadOnlyList<T> items, int count)
    {
        var pool = items.ToList();
        var chosen = new List<T>(count);
        for (var i = 0; i < count && pool.Count > 0; i++)
        {
            var index = _rng.Next(pool.Count);
            chosen.Add(pool[index]);
            pool.RemoveAt(index);
        }
        return chosen;
    }

    /// <summary>A month a few months away from today's, so only persona 7 has a birthday this month.</summary>
    private static int Month(DateOnly today, int offset) => (today.Month - 1 + offset) % 12 + 1;

    private static int RoundPrice(double price) => price >= 5000 ? (int)Math.Round(price / 1000) * 1000 - 100 : (int)Math.Round(price / 1000) * 1000 - 10;

    private static DateTimeOffset At(DateOnly day, int hour, int minute) => ShopTime.At(day, hour, minute);

    private DateTimeOffset StockCountedAt => At(_today.AddDays(-1), 21, 30);

    private static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();
}

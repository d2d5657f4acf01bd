using Omo.Clienteling.Catalog;
using Omo.Clienteling.Members;
using Omo.Clienteling.TalkingPoints;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.TalkingPoints;

/// <summary>A unified profile written fact by fact, so each rule's test states exactly the evidence it is about.</summary>
public sealed class ProfileBuilder
{
    public static readonly DateTimeOffset Now = TestDatabase.Now;

    private readonly List<ViewedProduct> _views = [];
    private readonly List<PageVisit> _pages = [];
    private readonly List<CartItem> _cart = [];
    private readonly List<Purchase> _purchases = [];
    private readonly List<PickupOrder> _pickups = [];
    private readonly List<TryOn> _tryOns = [];
    private readonly List<StoreVisit> _visits = [];
    private readonly List<StockedSku> _stock = [];
    private bool _consentOnline = true, _consentMarketing = true;
    private int _points;
    private DateOnly? _pointsExpire;
    private int? _birthMonth = 1;
    private string? _usualSize = "M";

    public static ProductInfo Product(string sku, int price = 9900)
    {
        var code = SkuCode.TryParse(sku)!.Value;
        return new ProductInfo(sku, code.StyleCode, sku, sku, Categories.OfCode(sku)!.Id, price, "", code.Size, code.Colour);
    }

    /// <summary>A product of a retailer's own catalogue: any SKU code, its own category word.</summary>
    public static ProductInfo RetailerProduct(string sku, string category, string size = "M", int price = 9900) =>
        new(sku, sku, sku, sku, category, price, "", size, "INK");

    public static ProfileItem Item(string sku, int here = 2, int price = 9900) => new(Product(sku, price), new Availability(here, [], here > 0 ? null : "S02"));

    public ProfileBuilder NoOnlineConsent() { _consentOnline = false; return this; }
    public ProfileBuilder NoMarketingConsent() { _consentMarketing = false; return this; }
    public ProfileBuilder UsualSize(string? size) { _usualSize = size; return this; }
    public ProfileBuilder Points(int points, DateOnly expires) { (_points, _pointsExpire) = (points, expires); return this; }
    public ProfileBuilder BirthMonth(int month) { _birthMonth = month; return this; }

    public ProfileBuilder Viewed(string sku, params double[] daysAgo) => Viewed(Item(sku), daysAgo);

    public ProfileBuilder Viewed(ProfileItem item, params double[] daysAgo)
    {
        var at = daysAgo.Select(d => Now.AddDays(-d)).OrderByDescending(a => a).ToList();
        _views.Add(new ViewedProduct(item, at.Count, at.Min(), at.Max(), 60 * at.Count, [SalesChannel.Ec], at));
        return this;
    }

    public ProfileBuilder InCart(string sku, double daysAgo, int here = 2) { _cart.Add(new CartItem(Item(sku, here), 1, Now.AddDays(-daysAgo))); return this; }
    public ProfileBuilder PageView(string page, double daysAgo) { _pages.Add(new PageVisit(page, SalesChannel.Ec, Now.AddDays(-daysAgo))); return this; }
    public ProfileBuilder TriedOn(string sku, double daysAgo, int here = 2) { _tryOns.Add(new TryOn(Item(sku, here), "S01", Now.AddDays(-daysAgo))); return this; }
    public ProfileBuilder Visit(double daysAgo) { _visits.Add(new StoreVisit(_visits.Count + 1, "S01", CheckInSource.App, Now.AddDays(-daysAgo))); return this; }

    public ProfileBuilder Bought(string sku, double daysAgo, int price = 9900, string channel = "store") => Bought(Product(sku, price), daysAgo, channel);

    public ProfileBuilder Bought(ProductInfo product, double daysAgo, string channel = "store")
    {
        var at = ShopWord.Parse<SalesChannel>(channel);
        var inStore = at == SalesChannel.Store;
        _purchases.Add(new Purchase($"R{_purchases.Count}", at, "S01", ReceiptKind.Sale, Now.AddDays(-daysAgo), product.Price,
            [new PurchaseLine(product, 1, product.Price)], inStore ? null : Fulfilment.Delivery, inStore ? null : OrderStatus.Collected));
        return this;
    }

    public ProfileBuilder PickupReady(string sku, double readyDaysAgo, bool atThisStore = true)
    {
        _pickups.Add(new PickupOrder($"O{_pickups.Count}", atThisStore ? "S01" : "S02", OrderStatus.ReadyForPickup, Now.AddDays(-readyDaysAgo - 1),
            Now.AddDays(-readyDaysAgo), [new PurchaseLine(Product(sku), 1, 9900)], atThisStore));
        return this;
    }

    public ProfileBuilder Stocked(string sku, int quantity = 3, int price = 9900, int launchedDaysAgo = 30) =>
        Stocked(Product(sku, price), quantity, launchedDaysAgo);

    public ProfileBuilder Stocked(ProductInfo product, int quantity = 3, int launchedDaysAgo = 30)
    {
        _stock.Add(new StockedSku(product, quantity, DateOnly.FromDateTime(Now.AddDays(-launchedDaysAgo).Date)));
        return this;
    }

    public UnifiedProfile Build()
    {
        var header = new ProfileHeader(123, "試験", "花子", "シケン", "ハナコ", _birthMonth, Tier.Silver, _points, _pointsExpire, Now.AddYears(-2), "S01",
            null, null, _consentOnline, _consentMarketing);
        var online = _consentOnline;
        return new UnifiedProfile("S01", Now, header, [], online, online ? _views : [], online ? _pages : [], online ? _cart : [], [],
            _purchases.OrderByDescending(p => p.At).ToList(), _pickups, _tryOns.OrderByDescending(t => t.At).ToList(), _visits, [], [], _usualSize);
    }

    public IReadOnlyList<TalkingPoint> Suggest(TalkingPointOptions? options = null) =>
        TalkingPointEngine.Suggest(Build(), new StoreStock("S01", _stock), Now, options ?? new TalkingPointOptions());

    /// <summary>The rules that fire, with the online data handed to the engine even without consent (the engine must still refuse).</summary>
    public IReadOnlyList<TalkingPoint> SuggestIgnoringTheProfilesConsentFilter()
    {
        var p = Build() with { OnlineBehaviourShown = true, Views = _views, PageViews = _pages, Cart = _cart };
        return TalkingPointEngine.Suggest(p, new StoreStock("S01", _stock), Now, new TalkingPointOptions());
    }
}

using System.Globalization;
using Omo.Clienteling.Catalog;
using Omo.Clienteling.Members;

namespace Omo.Clienteling.TalkingPoints;

/// <summary>
/// Turns a unified profile into the few things worth saying to this customer, now, in this store. Pure: the
/// profile, this store's stock and "now" come in, ranked talking points go out.
/// </summary>
/// <remarks>
/// Scores put value at stake and intent first: an order waiting here (100), a visit booked for today (98) and items
/// kept here for them (95.5–97) before a weighed-up cart (80+), a
/// recent try-on (75+), an abandoned reservation (60+), an online view in stock (55+), then the softer openers.
/// Recency and the amounts involved move a point within its band.
/// </remarks>
public static class TalkingPointEngine
{
    /// <summary>
    /// Every reason to approach a customer, as data: the talking points on the tablet, the board's highlights and the
    /// tablets' check-in alerts all come from these, so a manager never sends an assistant over for a reason the
    /// tablet then does not show. Consent is checked here, once, from what each rule declares it needs.
    /// </summary>
    public static readonly IReadOnlyList<ReasonRule> Reasons =
    [
        new(Rules.PickupWaiting, PickupWaiting, OnTheBoard: JoinValues),
        new(Rules.AppointmentToday, AppointmentToday, OnTheBoard: First),
        new(Rules.HoldWaiting, HoldWaiting, OnTheBoard: First),
        new(Rules.HighIntentCart, HighIntentCart, NeedsOnlineConsent: true, OnTheBoard: CountAndSum),
        new(Rules.OnlineViewedInStock, OnlineViewedInStock, NeedsOnlineConsent: true),
        new(Rules.ReservationAbandoned, ReservationAbandoned, NeedsOnlineConsent: true),
        new(Rules.TriedNotBought, TriedNotBought, OnTheBoard: First),
        new(Rules.CrossSellComplement, CrossSellComplement),
        new(Rules.UpsellFrequentLowPrice, UpsellFrequentLowPrice),
        new(Rules.PointsExpiring, PointsExpiring, OnTheBoard: First),
        new(Rules.BirthdayMonth, BirthdayMonth, NeedsMarketingConsent: true, OnTheBoard: First),
        new(Rules.LapsedWelcomeBack, LapsedWelcomeBack),
        new(Rules.FirstStoreVisit, FirstStoreVisit, OnTheBoard: First),
    ];

    private static readonly Dictionary<string, ReasonRule> ById = Reasons.ToDictionary(r => r.Id);

    public static IReadOnlyList<TalkingPoint> Suggest(UnifiedProfile profile, StoreStock stock, DateTimeOffset now, TalkingPointOptions options)
    {
        var facts = new Facts(profile, stock, now, options);
        var candidates = new List<TalkingPoint>();
        foreach (var rule in Reasons)
        {
            if (rule.NeedsOnlineConsent && !facts.Online) continue;
            if (rule.NeedsMarketingConsent && !profile.Member.ConsentMarketing) continue;
            candidates.AddRange(rule.Evaluate(facts));
        }
        return Rank(candidates);
    }

    /// <summary>
    /// The board's one-glance reasons: the headline of each rule that goes on the board, from the talking points the
    /// tablet shows for this customer (several points of one rule make one line).
    /// </summary>
    public static IReadOnlyList<Highlight> Highlights(IReadOnlyList<TalkingPoint> points) =>
        points.Where(p => p.Headline is not null && ById[p.RuleId].OnTheBoard is not null)
            .GroupBy(p => p.RuleId)
            .Select(g => ById[g.Key].OnTheBoard!(g.Select(p => p.Headline!).ToList()))
            .ToList();

    private static Highlight First(IReadOnlyList<Highlight> headlines) => headlines[0];

    private static Highlight JoinValues(IReadOnlyList<Highlight> headlines) =>
        new(headlines[0].Key, [string.Join(", ", headlines.Select(h => h.Args[0]))]);

    private static Highlight CountAndSum(IReadOnlyList<Highlight> headlines) =>
        new(headlines[0].Key, [headlines.Count.ToString(CultureInfo.InvariantCulture),
            headlines.Sum(h => int.Parse(h.Args[1], CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture)]);

    /// <summary>Highest score first, never two points about the same product.</summary>
    public static IReadOnlyList<TalkingPoint> Rank(IEnumerable<TalkingPoint> candidates)
    {
        var styles = new HashSet<string>();
        var ranked = new List<TalkingPoint>();
        foreach (var point in candidates.OrderByDescending(p => p.Score).ThenBy(p => p.RuleId, StringComparer.Ordinal))
        {
            if (point.ProductStyle is { } style && !styles.Add(style)) continue;
            ranked.Add(point);
        }
        return ranked;
    }

    private static IEnumerable<TalkingPoint> PickupWaiting(Facts f)
    {
        foreach (var order in f.Profile.Pickups.Where(o => o.Ready && o.AtThisStore))
        {
            var items = order.Lines.Select(l => f.Here(l.Product)).ToList();
            var evidence = new List<Phrase> { new("Ev.PickupReady", order.OrderId, f.Day(order.ReadyAt ?? order.PlacedAt), order.Lines.Count) };
            var goesWith = order.Lines.Select(l => f.Complement(l.Product)).FirstOrDefault(c => c is not null);
            if (goesWith is not null)
            {
                items.Add(goesWith.AsItem());
                evidence.Add(new Phrase("Ev.GoesWith", goesWith.Product, goesWith.Quantity));
            }
            yield return new TalkingPoint(Rules.PickupWaiting, 100 + Math.Min(f.DaysSince(order.ReadyAt ?? order.PlacedAt), 7),
                new Phrase("TP.pickup-waiting.Say", order.OrderId), evidence, items, new Highlight(Rules.PickupWaiting, [order.OrderId]));
        }
    }

    /// <summary>Items kept here for them: bring them (or fetch them, if nobody has picked them yet).</summary>
    private static IEnumerable<TalkingPoint> HoldWaiting(Facts f)
    {
        foreach (var hold in f.Profile.Holds.Where(h => h.StoreId == f.Stock.StoreId && h.IsOpenAt(f.Now)))
        {
            var count = hold.ItemCount.ToString(CultureInfo.InvariantCulture);
            var evidence = new List<Phrase> { new("Ev.HoldRequested", f.Day(hold.RequestedAt), hold.ItemCount, new Term($"HoldPurpose.{hold.Purpose}"), hold.HoldUntil) };
            evidence.Add(hold.Prepared
                ? hold.Location is { } where ? new Phrase("Ev.HoldPreparedAt", where) : new Phrase("Ev.HoldPrepared")
                : new Phrase("Ev.HoldNotPrepared"));
            if (hold.Lines.Any(l => l.ToTransfer)) evidence.Add(new Phrase("Ev.HoldToTransfer", hold.Lines.Count(l => l.ToTransfer)));
            var (opening, headline) = (hold.Prepared, hold.Location) switch
            {
                (true, { } location) => (new Phrase("TP.hold-waiting.SayAt", hold.ItemCount, location), new Highlight(Rules.HoldWaiting, [count, location], "ready-at")),
                (true, null) => (new Phrase("TP.hold-waiting.Say", hold.ItemCount), new Highlight(Rules.HoldWaiting, [count], "ready")),
                _ => (new Phrase("TP.hold-waiting.Say", hold.ItemCount), new Highlight(Rules.HoldWaiting, [count], "to-prepare")),
            };
            // Just under an order waiting to be collected, and the sooner it ends the higher.
            yield return new TalkingPoint(Rules.HoldWaiting, 97 - Math.Min(hold.HoldUntil.DayNumber - f.Today.DayNumber, 3) * 0.5, opening, evidence,
                hold.Lines.Select(l => l.Item).ToList(), headline);
        }
    }

    /// <summary>They booked a visit here today: greet them by it.</summary>
    private static IEnumerable<TalkingPoint> AppointmentToday(Facts f)
    {
        foreach (var a in f.Profile.Appointments.Where(a => a.StoreId == f.Stock.StoreId && a.Expected && a.IsOnDay(f.Today)).OrderBy(a => a.StartsAt))
        {
            var time = a.StartsAt.ToOffset(ShopTime.Offset).ToString("HH:mm", CultureInfo.InvariantCulture);
            var purpose = new Term($"AppointmentPurpose.{a.Purpose}");
            var evidence = new List<Phrase> { new("Ev.AppointmentAt", time, a.Minutes, purpose, f.Day(a.BookedAt)) };
            if (a.Note is { } note) evidence.Add(new Phrase("Ev.AppointmentNote", note));
            yield return new TalkingPoint(Rules.AppointmentToday, 98, new Phrase("TP.appointment-today.Say", time, purpose), evidence, [],
                new Highlight(Rules.AppointmentToday, [time], a.Purpose.Wire));
        }
    }

    private static IEnumerable<TalkingPoint> HighIntentCart(Facts f)
    {
        var since = f.Now.AddDays(-f.Options.HighIntentDays);
        foreach (var line in f.Profile.Cart)
        {
            var style = line.Item.Product.StyleCode;
            var viewed = f.Profile.Views.Where(v => v.Item.Product.StyleCode == style).ToList();
            var views = viewed.Sum(v => v.ViewsSince(since));
            if (views < f.Options.HighIntentViews) continue;
            var evidence = new List<Phrase>
            {
                new("Ev.ViewedRecently", views, f.Options.HighIntentDays, Channels(viewed.SelectMany(v => v.Channels))),
                new("Ev.InCart", f.Day(line.AddedAt)),
                Availability(line.Item),
            };
            yield return new TalkingPoint(Rules.HighIntentCart, 80 + Math.Min(views, 10) + Math.Min(line.Item.Product.Price / 10_000.0, 5),
                new Phrase("TP.high-intent-cart.Say", line.Item.Product), evidence, [line.Item],
                new Highlight(Rules.HighIntentCart, ["1", views.ToString(CultureInfo.InvariantCulture)]));
        }
    }

    private static IEnumerable<TalkingPoint> TriedNotBought(Facts f)
    {
        var since = f.Now.AddDays(-f.Options.TriedNotBoughtDays);
        foreach (var tryOn in f.Profile.TryOns.Where(t => t.At >= since).DistinctBy(t => t.Item.Product.StyleCode))
        {
            var style = tryOn.Item.Product.StyleCode;
            if (f.Sales.Any(p => p.At >= tryOn.At && p.Lines.Any(l => l.Product.StyleCode == style))) continue;
            var evidence = new List<Phrase> { new("Ev.TriedOn", new Term($"Store.{tryOn.StoreId}"), f.Day(tryOn.At), tryOn.Item.Product.Size) };
            if (f.Online && f.Profile.Views.FirstOrDefault(v => v.Item.Product.StyleCode == style) is { } viewed)
                evidence.Add(new Phrase("Ev.Viewed", viewed.Views, f.Day(viewed.FirstViewed), Channels(viewed.Channels)));
            evidence.Add(new Phrase("Ev.NotBoughtSince"));
            evidence.Add(Availability(tryOn.Item));
            yield return new TalkingPoint(Rules.TriedNotBought, 75 + (f.Options.TriedNotBoughtDays - f.DaysSince(tryOn.At)) / 3.0,
                new Phrase("TP.tried-not-bought.Say", tryOn.Item.Product), evidence, [tryOn.Item],
                new Highlight(Rules.TriedNotBought, [tryOn.Item.Product.Name(japanese: false), tryOn.Item.Product.Name(japanese: true)]));
        }
    }

    private static IEnumerable<TalkingPoint> OnlineViewedInStock(Facts f)
    {
        var since = f.Now.AddDays(-f.Options.OnlineViewedDays);
        foreach (var viewed in f.Profile.Views.Where(v => v.LastViewed >= since && v.Item.Availability.InStockHere))
        {
            var size = viewed.Item.Product.Size;
            if (f.Profile.UsualSize is { } usual && size != usual && size != "F") continue;
            yield return new TalkingPoint(Rules.OnlineViewedInStock, 55 + Math.Min(viewed.Views, 10) * 1.5,
                new Phrase("TP.online-viewed-in-stock.Say", viewed.Item.Product, size),
                [new("Ev.Viewed", viewed.Views, f.Day(viewed.FirstViewed), Channels(viewed.Channels)), Availability(viewed.Item)], [viewed.Item]);
        }
    }

    private static IEnumerable<TalkingPoint> ReservationAbandoned(Facts f)
    {
        var since = f.Now.AddDays(-f.Options.ReservationDays);
        var opened = f.Profile.PageViews.Where(v => v.Page == "store_reservation" && v.At >= since).ToList();
        if (opened.Count == 0) yield break;
        var last = opened.Max(v => v.At);
        // Came in after looking at the booking page: that question has answered itself.
        if (f.Profile.Visits.Any(v => v.At > last)) yield break;
        // Or the booking went through: a hold or an appointment made since is its own, better reason.
        if (f.Profile.Holds.Any(h => h.RequestedAt >= last.AddMinutes(-30)) || f.Profile.Appointments.Any(a => a.BookedAt >= last.AddMinutes(-30))) yield break;
        yield return new TalkingPoint(Rules.ReservationAbandoned, 60 + Math.Min(opened.Count, 5) * 2,
            new Phrase("TP.reservation-abandoned.Say"), [new("Ev.ReservationPage", opened.Count, f.Day(last))], []);
    }

    private static IEnumerable<TalkingPoint> CrossSellComplement(Facts f)
    {
        var anchors = f.Sales.SelectMany(p => p.Lines.Select(l => (l.Product, p.At, Channel: p.Channel, Carted: false)));
        if (f.Online)
            anchors = anchors.Concat(f.Profile.Cart.Select(c => (c.Item.Product, c.AddedAt, Channel: SalesChannel.Ec, Carted: true)));
        foreach (var anchor in anchors.OrderByDescending(a => a.At))
        {
            if (f.Complement(anchor.Product) is not { } complement) continue;
            var category = CategoryName.Of(complement.Product.Category);
            var evidence = new List<Phrase>
            {
                anchor.Carted ? new("Ev.InCartProduct", anchor.Product, f.Day(anchor.At)) : new("Ev.Bought", anchor.Product, f.Day(anchor.At), new Term($"Channel.{anchor.Channel}")),
                new("Ev.NoComplement", category),
                new("Ev.InStockHere", complement.Product.Size, complement.Quantity),
            };
            yield return new TalkingPoint(Rules.CrossSellComplement, 50 + Math.Min(anchor.Product.Price / 5_000.0, 6),
                new Phrase("TP.cross-sell-complement.Say", complement.Product, anchor.Product), evidence, [complement.AsItem()]);
            yield break; // one complement is enough to open with
        }
    }

    private static IEnumerable<TalkingPoint> UpsellFrequentLowPrice(Facts f)
    {
        var since = f.Now.AddDays(-f.Options.UpsellDays);
        // Only lines of a category with a known price range count (a category nobody stocks here has none).
        var lines = f.Sales.Where(p => p.At >= since).SelectMany(p => p.Lines).Where(l => f.LowBandLimit(l.Product.Category) is not null).ToList();
        var purchases = f.Sales.Count(p => p.At >= since);
        if (purchases < f.Options.UpsellPurchases || lines.Count == 0) yield break;
        var low = lines.Count(l => l.UnitPrice < f.LowBandLimit(l.Product.Category));
        if ((double)low / lines.Count <= f.Options.UpsellLowPriceShare) yield break;
        var favourite = lines.GroupBy(l => l.Product.Category, StringComparer.OrdinalIgnoreCase).OrderByDescending(g => g.Count()).First();
        var category = CategoryName.Of(favourite.Key);
        var size = f.Profile.UsualSize ?? favourite.First().Product.Size;
        var nextUp = f.Stock.InCategory(favourite.Key, size).Where(s => s.Product.Price >= f.LowBandLimit(favourite.Key)).MinBy(s => s.Product.Price);
        var evidence = new List<Phrase> { new("Ev.Purchases", purchases, f.Options.UpsellDays, low, lines.Count, category) };
        if (nextUp is not null) evidence.Add(new Phrase("Ev.NextLineUp", nextUp.Product, nextUp.Quantity));
        yield return new TalkingPoint(Rules.UpsellFrequentLowPrice, 45 + Math.Min(purchases, 10),
            new Phrase("TP.upsell-frequent-low-price.Say", category), evidence, nextUp is null ? [] : [nextUp.AsItem()]);
    }

    private static IEnumerable<TalkingPoint> PointsExpiring(Facts f)
    {
        var m = f.Profile.Member;
        if (m.Points <= 0 || m.PointsExpireOn is not { } expires) yield break;
        var days = expires.DayNumber - f.Today.DayNumber;
        if (days < 0 || days > f.Options.PointsExpiringDays) yield break;
        yield return new TalkingPoint(Rules.PointsExpiring, 45 + Math.Min(m.Points / 500.0, 15) + (f.Options.PointsExpiringDays - days) / 3.0,
            new Phrase("TP.points-expiring.Say", m.Points, expires), [new("Ev.Points", m.Points, expires, days)], [],
            new Highlight(Rules.PointsExpiring, [m.Points.ToString("N0", CultureInfo.InvariantCulture), expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)]));
    }

    private static IEnumerable<TalkingPoint> BirthdayMonth(Facts f)
    {
        var m = f.Profile.Member;
        if (m.BirthMonth != f.Today.Month) yield break;
        yield return new TalkingPoint(Rules.BirthdayMonth, 42, new Phrase("TP.birthday-month.Say"), [new("Ev.Birthday", f.Today.Month)], [],
            new Highlight(Rules.BirthdayMonth, []));
    }

    private static IEnumerable<TalkingPoint> LapsedWelcomeBack(Facts f)
    {
        var last = f.Sales.Select(p => (DateTimeOffset?)p.At).Max();
        var since = last ?? f.Profile.Member.MemberSince;
        var days = f.DaysSince(since);
        if (days < f.Options.LapsedDays) yield break;
        var favourite = f.Sales.SelectMany(p => p.Lines).GroupBy(l => l.Product.Category).OrderByDescending(g => g.Count()).FirstOrDefault();
        var evidence = new List<Phrase> { last is null ? new("Ev.NeverBought", f.Day(since)) : new("Ev.LastPurchase", f.Day(since), days) };
        var newThing = favourite is null ? null : f.Stock.InCategory(favourite.Key, f.Profile.UsualSize ?? favourite.First().Product.Size).FirstOrDefault();
        if (newThing is not null) evidence.Add(new Phrase("Ev.NewInCategory", CategoryName.Of(favourite!.Key), newThing.Product));
        yield return new TalkingPoint(Rules.LapsedWelcomeBack, 50 + Math.Min((days - f.Options.LapsedDays) / 10.0, 10),
            new Phrase("TP.lapsed-welcome-back.Say"), evidence, newThing is null ? [] : [newThing.AsItem()]);
    }

    /// <summary>Never bought in a shop, and at most this one visit on record: welcome them to the store.</summary>
    private static IEnumerable<TalkingPoint> FirstStoreVisit(Facts f)
    {
        if (f.Profile.Visits.Count > 1 || f.Profile.Purchases.Any(p => p.Channel == SalesChannel.Store)) yield break;
        yield return new TalkingPoint(Rules.FirstStoreVisit, 40, new Phrase("TP.first-store-visit.Say"),
            [new("Ev.FirstStoreVisit", f.Day(f.Profile.Member.MemberSince))], [], new Highlight(Rules.FirstStoreVisit, []));
    }

    private static Phrase Availability(ProfileItem item) => item.Availability switch
    {
        { InStockHere: true } a => new Phrase("Ev.InStockHere", item.Product.Size, a.HereQuantity),
        { OtherColoursHere.Count: > 0 } a => new Phrase("Ev.OtherColoursHere", item.Product.Size, a.OtherColoursHere.Count),
        { NearestStoreWithIt: { } store } => new Phrase("Ev.AvailableAt", new Term($"Store.{store}")),
        _ => new Phrase("Ev.SoldOut"),
    };

    private static Term Channels(IEnumerable<SalesChannel> channels) =>
        new($"Channels.{string.Join("+", channels.Select(c => c.Wire).Distinct().Order(StringComparer.Ordinal))}");

    /// <summary>What several rules ask of the profile, worked out once.</summary>
    public sealed class Facts(UnifiedProfile profile, StoreStock stock, DateTimeOffset now, TalkingPointOptions options)
    {
        public UnifiedProfile Profile { get; } = profile;
        public StoreStock Stock { get; } = stock;
        public DateTimeOffset Now { get; } = now;
        public TalkingPointOptions Options { get; } = options;
        public DateOnly Today { get; } = ShopTime.DayOf(now);

        /// <summary>Online behaviour may be used: the member consented (and the profile carries it).</summary>
        public bool Online { get; } = profile.OnlineBehaviourShown && profile.Member.ConsentOnlineBehaviour;

        /// <summary>Purchases that stand: sales and orders, not returns or cancelled orders.</summary>
        public IReadOnlyList<Purchase> Sales { get; } = profile.Purchases.Where(p => p.Kind == ReceiptKind.Sale && p.Status != OrderStatus.Cancelled).ToList();

        private readonly HashSet<string> _owned = profile.Purchases.Where(p => p.Kind == ReceiptKind.Sale).SelectMany(p => p.Lines)
            .Select(l => l.Product.Category).ToHashSet(StringComparer.OrdinalIgnoreCase);

        public DateOnly Day(DateTimeOffset at) => ShopTime.DayOf(at);

        public int DaysSince(DateTimeOffset at) => Today.DayNumber - Day(at).DayNumber;

        public ProfileItem Here(ProductInfo product) =>
            new(product, new Availability(Stock.QuantityOf(product.Sku), [], null));

        /// <summary>
        /// Something from a category that goes with the product (<see cref="TalkingPointOptions.Complements"/>), that they
        /// do not own yet, on the shelf here in their size (any size when the category's sizes are not theirs: a bag).
        /// </summary>
        public StockedSku? Complement(ProductInfo product)
        {
            foreach (var category in Options.ComplementsOf(product.Category).Where(c => !_owned.Contains(c)))
            {
                var sizes = Stock.SizesIn(category);
                var size = Profile.UsualSize is { } usual && sizes.Contains(usual) ? usual : sizes.Contains(product.Size) ? product.Size : null;
                if (Stock.InCategory(category, size).FirstOrDefault() is { } found) return found;
            }
            return null;
        }

        /// <summary>
        /// Below this price, an item is in the lowest third of its category's range: the demo's ranges for its
        /// categories, the range on the shelves here for a retailer's own; null for a category not stocked here.
        /// </summary>
        public int? LowBandLimit(string category) =>
            Categories.Find(category) is { } demo ? demo.MinPrice + (demo.MaxPrice - demo.MinPrice) / 3
            : Stock.PriceBand(category) is { } band ? band.Min + (band.Max - band.Min) / 3 : null;
    }
}

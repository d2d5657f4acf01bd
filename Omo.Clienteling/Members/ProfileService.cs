using System.Data;
using Dapper;
using Omo.Clienteling.Catalog;
using Omo.Clienteling.Data;

namespace Omo.Clienteling.Members;

/// <summary>
/// Assembles the unified profile of one member for one store in two round trips: the member's own rows
/// (each statement bounded by count and by the 90-day window where it is behaviour), then the facts about
/// the products involved (names, prices, and stock here and nearby).
/// </summary>
public sealed class ProfileService(OmoDatabase database, StoreDirectory stores, TimeProvider clock)
{
    public const int BrowsingDays = 90;

    /// <summary>
    /// Online behaviour leaves the database only for members who consented: the condition sits in each
    /// online statement, so a non-consenting member's browsing is never even read into memory.
    /// </summary>
    private const string Consented = "EXISTS (SELECT 1 FROM members c WHERE c.member_id = @m AND c.consent_online_behaviour = TRUE)";

    private const string MemberSql = $"""
        SELECT member_id, family_name, given_name, family_name_kana, given_name_kana, birth_month, tier, points, points_expire_on,
               created_at, home_store_id, email, phone, consent_online_behaviour, consent_marketing, language
        FROM members WHERE member_id = @m AND erased_at IS NULL;
        SELECT kind, value, status FROM member_identifiers WHERE member_id = @m ORDER BY kind, value LIMIT 20;
        SELECT sku, channel, seconds, occurred_at FROM product_views
        WHERE member_id = @m AND occurred_at >= @since AND {Consented} ORDER BY occurred_at DESC LIMIT 200;
        SELECT page, channel, occurred_at FROM page_views
        WHERE member_id = @m AND occurred_at >= @since AND {Consented} ORDER BY occurred_at DESC LIMIT 50;
        SELECT sku, quantity, added_at FROM cart_lines WHERE member_id = @m AND {Consented} ORDER BY added_at DESC LIMIT 50;
        SELECT sku, action, occurred_at FROM cart_events
        WHERE member_id = @m AND occurred_at >= @since AND {Consented} ORDER BY occurred_at DESC LIMIT 50;
        SELECT sku, added_at FROM wishlist_items WHERE member_id = @m AND {Consented} ORDER BY added_at DESC LIMIT 50;
        SELECT o.order_id, o.channel, o.fulfilment, o.pickup_store_id, o.status, o.placed_at, o.ready_at, o.collected_at, o.total,
               l.sku, l.quantity, l.unit_price
        FROM orders o JOIN order_lines l ON l.order_id = o.order_id
        WHERE o.order_id IN (
            SELECT order_id FROM (SELECT order_id FROM orders WHERE member_id = @m ORDER BY placed_at DESC LIMIT 20) AS recent
            UNION SELECT order_id FROM orders WHERE member_id = @m AND fulfilment = 'click_and_collect' AND status IN ('placed', 'ready_for_pickup'))
        ORDER BY o.placed_at DESC, l.line_no;
        SELECT r.receipt_id, r.store_id, r.kind, r.occurred_at, r.total, l.sku, l.quantity, l.unit_price
        FROM receipts r JOIN receipt_lines l ON l.receipt_id = r.receipt_id
        WHERE r.receipt_id IN (SELECT receipt_id FROM receipts WHERE member_id = @m ORDER BY occurred_at DESC LIMIT 30)
        ORDER BY r.occurred_at DESC, l.line_no;
        SELECT sku, store_id, occurred_at FROM try_ons WHERE member_id = @m ORDER BY occurred_at DESC LIMIT 30;
        SELECT check_in_id, store_id, source, occurred_at FROM check_ins WHERE member_id = @m ORDER BY occurred_at DESC LIMIT 20;
        SELECT n.note_id, n.staff_code, s.display_name AS staff_name, n.store_id, n.body, n.created_at
        FROM staff_notes n LEFT JOIN staff s ON s.staff_code = n.staff_code
        WHERE n.member_id = @m ORDER BY n.created_at DESC LIMIT 20;
        SELECT h.hold_id, h.store_id, h.purpose, h.status, h.requested_at, h.hold_until, h.expires_at, h.prepared_at, h.location,
               l.sku, l.quantity, l.to_transfer
        FROM holds h JOIN hold_lines l ON l.hold_id = h.hold_id
        WHERE h.hold_id IN (SELECT hold_id FROM holds WHERE member_id = @m ORDER BY requested_at DESC LIMIT 10)
        ORDER BY h.requested_at DESC, l.line_no;
        SELECT {AppointmentRow.Columns} FROM appointments
        WHERE member_id = @m ORDER BY starts_at DESC LIMIT 10;
        SELECT follow_up_id, store_id, staff_code, rule_id, message, skus, created_at FROM follow_ups
        WHERE member_id = @m ORDER BY created_at DESC LIMIT 10;
        SELECT merged_member_id, merged_at FROM member_merges WHERE survivor_member_id = @m ORDER BY merged_at DESC LIMIT 5;
        """;

    private static string ProductSql(SqlDialect dialect) => $"""
        SELECT k.sku, k.style_code, k.size, k.colour, p.name_ja, p.name_en, p.category, p.price, p.image_path, p.image_url
        FROM skus k JOIN products p ON p.style_code = k.style_code WHERE k.sku {dialect.InArray("@skus")};
        SELECT sku, store_id, {StockLedger.OnHand("quantity")} AS quantity, counted_at FROM stock
        WHERE sku {dialect.InArray("@skus")} AND (quantity > 0 OR store_id = @store);
        {HeldStock.BySkus(dialect, "@skus")};
        SELECT DISTINCT other.style_code, other.size, other.colour
        FROM skus wanted JOIN skus other ON other.style_code = wanted.style_code JOIN stock s ON s.sku = other.sku AND s.store_id = @store
        WHERE wanted.sku {dialect.InArray("@interest")} AND s.quantity > 0;
        """;

    /// <summary>Statements per profile: the member batch and the product batch.</summary>
    public static int StatementsPerProfile { get; } = MemberSql.Count(c => c == ';') + 4;

    public async Task<UnifiedProfile?> AssembleAsync(long memberId, string storeId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var dialect = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);

        MemberRow member;
        List<(string Kind, string Value, string Status)> identifiers;
        List<ViewRow> views; List<PageRow> pages; List<CartRow> cart; List<CartEventRow> cartEvents; List<WishRow> wishlist;
        List<OrderRow> orders; List<ReceiptRow> receipts; List<TryOnRow> tryOns; List<CheckInRow> checkIns; List<NoteRow> notes;
        List<HoldRow> holds; List<Appointment> appointments; List<FollowUp> followUps; List<MergedRecord> mergedFrom;
        await using (var grid = await connection.QueryMultipleAsync(new CommandDefinition(MemberSql, new { m = memberId, since = now.AddDays(-BrowsingDays) }, cancellationToken: cancellationToken)))
        {
            var found = await grid.ReadSingleOrDefaultAsync<MemberRow>();
            if (found is null) return null;
            member = found;
            identifiers = (await grid.ReadAsync<(string, string, string)>()).ToList();
            views = (await grid.ReadAsync<ViewRow>()).ToList();
            pages = (await grid.ReadAsync<PageRow>()).ToList();
            cart = (await grid.ReadAsync<CartRow>()).ToList();
            cartEvents = (await grid.ReadAsync<CartEventRow>()).ToList();
            wishlist = (await grid.ReadAsync<WishRow>()).ToList();
            orders = (await grid.ReadAsync<OrderRow>()).ToList();
            receipts = (await grid.ReadAsync<ReceiptRow>()).ToList();
            tryOns = (await grid.ReadAsync<TryOnRow>()).ToList();
            checkIns = (await grid.ReadAsync<CheckInRow>()).ToList();
            notes = (await grid.ReadAsync<NoteRow>()).ToList();
            holds = (await grid.ReadAsync<HoldRow>()).ToList();
            appointments = (await grid.ReadAsync<AppointmentRow>()).Select(a => a.ToAppointment()).ToList();
            followUps = (await grid.ReadAsync<(string Id, string StoreId, string StaffCode, string? RuleId, string Message, string Skus, DateTimeOffset CreatedAt)>())
                .Select(f => new FollowUp(f.Id, f.StoreId, f.StaffCode, f.RuleId, f.Message, f.Skus.Split(' ', StringSplitOptions.RemoveEmptyEntries), f.CreatedAt)).ToList();
            mergedFrom = (await grid.ReadAsync<(long MemberId, DateTimeOffset MergedAt)>()).Select(m => new MergedRecord(m.MemberId, m.MergedAt)).ToList();
        }

        // Products and stock for everything the member touched; other colours only for what they might try on now.
        var skus = views.Select(v => v.Sku).Concat(cart.Select(c => c.Sku)).Concat(cartEvents.Select(c => c.Sku)).Concat(wishlist.Select(w => w.Sku))
            .Concat(orders.Select(o => o.Sku)).Concat(receipts.Select(r => r.Sku)).Concat(tryOns.Select(t => t.Sku)).Concat(holds.Select(h => h.Sku)).ToHashSet();
        var interest = views.Select(v => v.Sku).Concat(cart.Select(c => c.Sku)).Concat(wishlist.Select(w => w.Sku)).Concat(tryOns.Select(t => t.Sku)).ToHashSet();
        Dictionary<string, ProductInfo> products;
        ILookup<string, (string Store, int Quantity, DateTimeOffset? CountedAt)> stock;
        ILookup<(string Style, string Size), string> coloursHere;
        await using (var grid = await connection.QueryMultipleAsync(new CommandDefinition(ProductSql(dialect),
                         new { skus = dialect.Array(skus), interest = dialect.Array(interest), store = storeId, now }, cancellationToken: cancellationToken)))
        {
            products = (await grid.ReadAsync<ProductRow>()).ToDictionary(p => p.Sku, p => p.ToInfo());
            var levels = (await grid.ReadAsync<(string Sku, string Store, int Quantity, DateTimeOffset? CountedAt)>()).ToList();
            // What open holds keep is not offered here (nor to anyone else).
            var held = (await grid.ReadAsync<(string Sku, string Store, int Quantity)>()).ToDictionary(h => (h.Sku, h.Store), h => h.Quantity);
            stock = levels.ToLookup(s => s.Sku, s => (s.Store, Math.Max(0, s.Quantity - held.GetValueOrDefault((s.Sku, s.Store))), s.CountedAt));
            coloursHere = (await grid.ReadAsync<(string Style, string Size, string Colour)>()).ToLookup(v => (v.Style, v.Size), v => v.Colour);
        }

        var nearest = stores.NearestShops(storeId);
        ProductInfo Product(string sku) => products.GetValueOrDefault(sku) ?? ProductInfo.Unknown(sku);
        ProfileItem Item(string sku)
        {
            var info = Product(sku);
            var here = stock[sku].FirstOrDefault(s => s.Store == storeId);
            var elsewhere = here.Quantity > 0 ? null : nearest.FirstOrDefault(n => stock[sku].Any(s => s.Store == n.StoreId && s.Quantity > 0))?.StoreId;
            var otherColours = coloursHere[(info.StyleCode, info.Size)].Where(c => c != info.Colour).Order(StringComparer.Ordinal).ToList();
            return new ProfileItem(info, new Availability(here.Quantity, otherColours, elsewhere, here.CountedAt));
        }

        var header = member.ToHeader();
        var viewed = views.GroupBy(v => v.Sku)
            .Select(g => new ViewedProduct(Item(g.Key), g.Count(), g.Min(v => v.OccurredAt), g.Max(v => v.OccurredAt), g.Sum(v => v.Seconds),
                g.Select(v => v.Channel).Distinct().OrderBy(c => c.Wire, StringComparer.Ordinal).ToList(), g.Select(v => v.OccurredAt).ToList()))
            .OrderByDescending(v => v.LastViewed).ToList();
        var purchases = orders.GroupBy(o => o.OrderId).Select(g =>
            {
                var o = g.First();
                return new Purchase(o.OrderId, o.Channel, o.PickupStoreId, ReceiptKind.Sale, o.PlacedAt, o.Total,
                    g.Select(l => new PurchaseLine(Product(l.Sku), l.Quantity, l.UnitPrice)).ToList(), o.Fulfilment, o.Status);
            })
            .Concat(receipts.GroupBy(r => r.ReceiptId).Select(g =>
            {
                var r = g.First();
                return new Purchase(r.ReceiptId, SalesChannel.Store, r.StoreId, r.Kind, r.OccurredAt, r.Total,
                    g.Select(l => new PurchaseLine(Product(l.Sku), l.Quantity, l.UnitPrice)).ToList(), null, null);
            }))
            .OrderByDescending(p => p.At).ToList();
        var pickups = purchases
            .Where(p => p.Fulfilment == Fulfilment.ClickAndCollect && (p.Status == OrderStatus.Placed || p.Status == OrderStatus.ReadyForPickup) && p.StoreId is not null)
            .Select(p => new PickupOrder(p.Id, p.StoreId!, p.Status!.Value, p.At, orders.First(o => o.OrderId == p.Id).ReadyAt, p.Lines, p.StoreId == storeId))
            .OrderByDescending(p => p.AtThisStore).ThenByDescending(p => p.Ready).ThenBy(p => p.PlacedAt).ToList();

        var profile = new UnifiedProfile(
            storeId, now, header,
            identifiers.Select(i => new LinkedIdentifier(i.Kind, Mask.Identifier(i.Kind, i.Value), i.Status)).ToList(),
            header.ConsentOnlineBehaviour,
            viewed,
            pages.Select(p => new PageVisit(p.Page, p.Channel, p.OccurredAt)).ToList(),
            cart.Select(c => new CartItem(Item(c.Sku), c.Quantity, c.AddedAt)).ToList(),
            wishlist.Select(w => new WishlistItem(Item(w.Sku), w.AddedAt)).ToList(),
            purchases,
            pickups,
            tryOns.Select(t => new TryOn(Item(t.Sku), t.StoreId, t.OccurredAt)).ToList(),
            checkIns.Select(c => new StoreVisit(c.CheckInId, c.StoreId, c.Source, c.OccurredAt)).ToList(),
            notes.Select(n => new StaffNote(n.NoteId, n.StaffCode, n.StaffName, n.StoreId, n.Body, n.CreatedAt)).ToList(),
            [],
            UsualSize(purchases, tryOns.Select(t => Product(t.Sku))));
        profile = profile with
        {
            Holds = holds.GroupBy(h => h.HoldId).Select(g =>
            {
                var h = g.First();
                return new Hold(h.HoldId, h.StoreId, h.Purpose, h.Status, h.RequestedAt, h.HoldUntil, h.ExpiresAt, h.PreparedAt, h.Location,
                    g.Select(l => new HeldItem(Item(l.Sku), l.Quantity, l.ToTransfer)).ToList());
            }).ToList(),
            Appointments = appointments,
            FollowUps = followUps,
            MergedFrom = mergedFrom,
        };
        return profile with { Timeline = Timeline.Build(profile, views.Select(v => (v.Sku, v.Channel, v.OccurredAt)), cartEvents.Select(c => (c.Sku, c.Action, c.OccurredAt)), orders.Select(o => (o.OrderId, o.ReadyAt, o.CollectedAt, o.PickupStoreId)).Distinct(), Product) };
    }

    /// <summary>The clothing size the member buys and tries most often (S, M, L, XL), for the size-aware rules.</summary>
    private static string? UsualSize(IEnumerable<Purchase> purchases, IEnumerable<ProductInfo> triedOn) =>
        purchases.Where(p => !p.IsReturn).SelectMany(p => p.Lines.Select(l => l.Product)).Concat(triedOn)
            .Where(p => p.Size is "S" or "M" or "L" or "XL")
            .GroupBy(p => p.Size).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).FirstOrDefault();

    // ---------- rows as they come from SQL ----------

    private sealed class MemberRow
    {
        public long MemberId { get; init; }
        public string? FamilyName { get; init; }
        public string? GivenName { get; init; }
        public string? FamilyNameKana { get; init; }
        public string? GivenNameKana { get; init; }
        public int? BirthMonth { get; init; }
        public Tier Tier { get; init; }
        public int Points { get; init; }
        public DateOnly? PointsExpireOn { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public string? HomeStoreId { get; init; }
        public string? Email { get; init; }
        public string? Phone { get; init; }
        public bool ConsentOnlineBehaviour { get; init; }
        public bool ConsentMarketing { get; init; }
        public string? Language { get; init; }

        public ProfileHeader ToHeader() => new(MemberId, FamilyName, GivenName, FamilyNameKana, GivenNameKana, BirthMonth, Tier, Points, PointsExpireOn,
            CreatedAt, HomeStoreId, Mask.Email(Email), Mask.Phone(Phone), ConsentOnlineBehaviour, ConsentMarketing) { Language = Language ?? "ja" };
    }

    private sealed class ViewRow { public string Sku { get; init; } = ""; public SalesChannel Channel { get; init; } public int Seconds { get; init; } public DateTimeOffset OccurredAt { get; init; } }
    private sealed class PageRow { public string Page { get; init; } = ""; public SalesChannel Channel { get; init; } public DateTimeOffset OccurredAt { get; init; } }
    private sealed class CartRow { public string Sku { get; init; } = ""; public int Quantity { get; init; } public DateTimeOffset AddedAt { get; init; } }
    private sealed class CartEventRow { public string Sku { get; init; } = ""; public string Action { get; init; } = ""; public DateTimeOffset OccurredAt { get; init; } }
    private sealed class WishRow { public string Sku { get; init; } = ""; public DateTimeOffset AddedAt { get; init; } }
    private sealed class TryOnRow { public string Sku { get; init; } = ""; public string StoreId { get; init; } = ""; public DateTimeOffset OccurredAt { get; init; } }
    private sealed class CheckInRow { public long CheckInId { get; init; } public string StoreId { get; init; } = ""; public CheckInSource Source { get; init; } public DateTimeOffset OccurredAt { get; init; } }

    private sealed class HoldRow
    {
        public string HoldId { get; init; } = "";
        public string StoreId { get; init; } = "";
        public HoldPurpose Purpose { get; init; }
        public HoldStatus Status { get; init; }
        public DateTimeOffset RequestedAt { get; init; }
        public DateOnly HoldUntil { get; init; }
        public DateTimeOffset ExpiresAt { get; init; }
        public DateTimeOffset? PreparedAt { get; init; }
        public string? Location { get; init; }
        public string Sku { get; init; } = "";
        public int Quantity { get; init; }
        public bool ToTransfer { get; init; }
    }

    private sealed class NoteRow
    {
        public long NoteId { get; init; }
        public string StaffCode { get; init; } = "";
        public string? StaffName { get; init; }
        public string? StoreId { get; init; }
        public string Body { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
    }

    private sealed class OrderRow
    {
        public string OrderId { get; init; } = "";
        public SalesChannel Channel { get; init; }
        public Fulfilment Fulfilment { get; init; }
        public string? PickupStoreId { get; init; }
        public OrderStatus Status { get; init; }
        public DateTimeOffset PlacedAt { get; init; }
        public DateTimeOffset? ReadyAt { get; init; }
        public DateTimeOffset? CollectedAt { get; init; }
        public long Total { get; init; }
        public string Sku { get; init; } = "";
        public int Quantity { get; init; }
        public long UnitPrice { get; init; }
    }

    private sealed class ReceiptRow
    {
        public string ReceiptId { get; init; } = "";
        public string StoreId { get; init; } = "";
        public ReceiptKind Kind { get; init; }
        public DateTimeOffset OccurredAt { get; init; }
        public long Total { get; init; }
        public string Sku { get; init; } = "";
        public int Quantity { get; init; }
        public long UnitPrice { get; init; }
    }
}

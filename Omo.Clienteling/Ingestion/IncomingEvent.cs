using Omo.Clienteling.Scanning;

namespace Omo.Clienteling.Ingestion;

/// <summary>The event types of docs/events-api.md (plus the wishlist removal the web shop also sends).</summary>
public static class EventTypes
{
    public const string MemberUpserted = "member_upserted";
    public const string IdentityLinked = "identity_linked";
    public const string IdentityUnlinked = "identity_unlinked";
    public const string ProductViewed = "product_viewed";
    public const string PageViewed = "page_viewed";
    public const string CartItemAdded = "cart_item_added";
    public const string CartItemRemoved = "cart_item_removed";
    public const string WishlistItemAdded = "wishlist_item_added";
    public const string WishlistItemRemoved = "wishlist_item_removed";
    public const string OrderPlaced = "order_placed";
    public const string OrderReadyForPickup = "order_ready_for_pickup";
    public const string OrderCollected = "order_collected";
    public const string PosSale = "pos_sale";
    public const string PosReturn = "pos_return";
    public const string FittingRoomTryOn = "fitting_room_try_on";
    public const string StoreCheckedIn = "store_checked_in";
    public const string StoreUpserted = "store_upserted";
    public const string ProductUpserted = "product_upserted";
    public const string ProductDiscontinued = "product_discontinued";
    public const string StockCounted = "stock_counted";
    public const string StockMoved = "stock_moved";
    public const string HoldRequested = "hold_requested";
    public const string HoldCancelled = "hold_cancelled";
    public const string AppointmentBooked = "appointment_booked";
    public const string AppointmentCancelled = "appointment_cancelled";

    /// <summary>The retailer's master data and stock: these name no member and carry no identity.</summary>
    public static readonly IReadOnlySet<string> MasterData = new HashSet<string> { StoreUpserted, ProductUpserted, ProductDiscontinued, StockCounted, StockMoved };

    public static readonly IReadOnlySet<string> All = new HashSet<string>
    {
        MemberUpserted, IdentityLinked, IdentityUnlinked, ProductViewed, PageViewed, CartItemAdded, CartItemRemoved, WishlistItemAdded,
        WishlistItemRemoved, OrderPlaced, OrderReadyForPickup, OrderCollected, PosSale, PosReturn, FittingRoomTryOn, StoreCheckedIn,
        StoreUpserted, ProductUpserted, ProductDiscontinued, StockCounted, StockMoved,
        HoldRequested, HoldCancelled, AppointmentBooked, AppointmentCancelled,
    };
}

/// <summary>
/// One event that passed validation: the envelope, and its data as the record for its type. Identity is null for a
/// <c>member_upserted</c> that names the member by its number alone, and for master data and stock.
/// </summary>
public sealed record IncomingEvent(string EventId, string Type, DateTimeOffset OccurredAt, MemberCode? Identity, string? StoreId, EventData Data);

public abstract record EventData
{
    /// <summary>The SKUs the event names (each must be in the catalogue when it is written).</summary>
    public virtual IEnumerable<string> Skus => [];
}

public sealed record Consent(bool OnlineBehaviour, bool Marketing);

public sealed record MemberUpserted(
    long MemberId, string? FamilyName, string? GivenName, string? FamilyNameKana, string? GivenNameKana, int? BirthMonth,
    string? Tier, string? HomeStoreId, Consent? Consent, string? Email, string? Phone, IReadOnlyList<MemberCode> Identities) : EventData
{
    /// <summary>How the app and follow-ups talk to them: ja or en (null: unchanged, Japanese for a new member).</summary>
    public string? Language { get; init; }
}

public sealed record IdentityLinked(MemberCode Identity) : EventData;

/// <summary>The identifier no longer belongs to the member (a web-shop account the customer unlinked).</summary>
public sealed record IdentityUnlinked(MemberCode Identity) : EventData;

public sealed record ProductViewed(string Sku, string Channel, int Seconds) : EventData
{
    public override IEnumerable<string> Skus => [Sku];
}

public sealed record PageViewed(string Page, string Channel) : EventData;

public sealed record CartChanged(string Sku, int Quantity, bool Added) : EventData
{
    public override IEnumerable<string> Skus => [Sku];
}

public sealed record WishlistChanged(string Sku, bool Added) : EventData
{
    public override IEnumerable<string> Skus => [Sku];
}

public sealed record Line(string Sku, int Quantity, long UnitPrice);

public sealed record OrderPlaced(string OrderId, SalesChannel Channel, Fulfilment Fulfilment, string? PickupStoreId, IReadOnlyList<Line> Lines) : EventData
{
    public override IEnumerable<string> Skus => Lines.Select(l => l.Sku);
}

public sealed record OrderProgressed(string OrderId, OrderStatus Status) : EventData;

public sealed record PosReceipt(string ReceiptId, ReceiptKind Kind, IReadOnlyList<Line> Lines) : EventData
{
    public override IEnumerable<string> Skus => Lines.Select(l => l.Sku);
}

public sealed record TriedOn(string Sku) : EventData
{
    public override IEnumerable<string> Skus => [Sku];
}

public sealed record CheckedIn(CheckInSource Source) : EventData;

/// <summary>A shop or the web shop (storeId in the envelope).</summary>
public sealed record StoreUpserted(string NameJa, string NameEn, string Kind, double? Latitude, double? Longitude) : EventData;

/// <summary>One SKU of a style: its size, colour and the JAN code printed on its tag.</summary>
public sealed record SkuDefinition(string Sku, string Size, string Colour, string? Jan);

/// <summary>A style as the product master has it now; SKUs it no longer lists stay, no longer sold.</summary>
public sealed record ProductUpserted(
    string StyleCode, string NameJa, string NameEn, string Category, long Price, string? ImageUrl, DateOnly? LaunchedOn, IReadOnlyList<SkuDefinition> Definitions) : EventData;

public sealed record ProductDiscontinued(string StyleCode) : EventData;

public sealed record StockLine(string Sku, int Quantity);

/// <summary>Absolute levels after a count in one shop (storeId in the envelope).</summary>
public sealed record StockCounted(IReadOnlyList<StockLine> Lines) : EventData
{
    public override IEnumerable<string> Skus => Lines.Select(l => l.Sku);
}

/// <summary>Signed movements in one shop (storeId in the envelope): deliveries, transfers, write-offs, corrections.</summary>
public sealed record StockMoved(StockMoveReason Reason, IReadOnlyList<StockLine> Lines) : EventData
{
    public override IEnumerable<string> Skus => Lines.Select(l => l.Sku);
}

/// <summary>One SKU a customer asked a shop to keep, and how many.</summary>
public sealed record HoldLine(string Sku, int Quantity);

/// <summary>Items to keep in one shop (storeId in the envelope) until closing time on <paramref name="HoldUntil"/>.</summary>
public sealed record HoldRequested(string HoldId, HoldPurpose Purpose, DateOnly HoldUntil, IReadOnlyList<HoldLine> Lines) : EventData
{
    public override IEnumerable<string> Skus => Lines.Select(l => l.Sku);
}

public sealed record HoldCancelled(string HoldId) : EventData;

/// <summary>A visit booked in one shop (storeId in the envelope).</summary>
public sealed record AppointmentBooked(string AppointmentId, DateTimeOffset StartsAt, int Minutes, AppointmentPurpose Purpose, string? Note) : EventData;

public sealed record AppointmentCancelled(string AppointmentId) : EventData;

/// <summary>Why one event of a batch was not accepted: RFC 7807's title and detail, per index.</summary>
public sealed record Rejection(int Index, string? EventId, string Title, string Detail);

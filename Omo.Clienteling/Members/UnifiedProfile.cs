using Omo.Clienteling.Scanning;
using Omo.Clienteling.Catalog;

namespace Omo.Clienteling.Members;

/// <summary>Everything the assistant may know about one member, for one store, at one moment.</summary>
public sealed record UnifiedProfile(
    string StoreId,
    DateTimeOffset AssembledAt,
    ProfileHeader Member,
    IReadOnlyList<LinkedIdentifier> Identifiers,
    bool OnlineBehaviourShown,
    IReadOnlyList<ViewedProduct> Views,
    IReadOnlyList<PageVisit> PageViews,
    IReadOnlyList<CartItem> Cart,
    IReadOnlyList<WishlistItem> Wishlist,
    IReadOnlyList<Purchase> Purchases,
    IReadOnlyList<PickupOrder> Pickups,
    IReadOnlyList<TryOn> TryOns,
    IReadOnlyList<StoreVisit> Visits,
    IReadOnlyList<StaffNote> Notes,
    IReadOnlyList<TimelineEntry> Timeline,
    string? UsualSize)
{
    /// <summary>Their recent holds in any shop, newest first (open ones are what the shop must have ready).</summary>
    public IReadOnlyList<Hold> Holds { get; init; } = [];

    /// <summary>Their recent and coming appointments in any shop, latest start first.</summary>
    public IReadOnlyList<Appointment> Appointments { get; init; } = [];

    /// <summary>Follow-ups sent to them after visits, newest first.</summary>
    public IReadOnlyList<FollowUp> FollowUps { get; init; } = [];

    /// <summary>Member records merged into this one (one person, two records), newest first: old history may be the other record's.</summary>
    public IReadOnlyList<MergedRecord> MergedFrom { get; init; } = [];
}

public sealed record ProfileHeader(
    long MemberId, string? FamilyName, string? GivenName, string? FamilyNameKana, string? GivenNameKana, int? BirthMonth,
    Tier Tier, int Points, DateOnly? PointsExpireOn, DateTimeOffset MemberSince, string? HomeStoreId,
    string? EmailMasked, string? PhoneMasked, bool ConsentOnlineBehaviour, bool ConsentMarketing)
{
    /// <summary>How the app and follow-ups talk to them: "ja" or "en".</summary>
    public string Language { get; init; } = "ja";

    public string MemberNo => MemberNumber.Format(MemberId);
    public string DisplayName => $"{FamilyName} {GivenName}".Trim();
    public string DisplayKana => $"{FamilyNameKana} {GivenNameKana}".Trim();
}

public sealed record LinkedIdentifier(string Kind, string DisplayValue, string Status);

/// <summary>
/// One SKU as the shop floor sees it. <see cref="ImagePath"/> is the style's drawn picture, always there;
/// <see cref="PhotoUrl"/> the retailer's photo when the product master gave one.
/// </summary>
public sealed record ProductInfo(string Sku, string StyleCode, string NameJa, string NameEn, string Category, int Price, string ImagePath, string Size, string Colour,
    string? PhotoUrl = null)
{
    public string Name(bool japanese) => japanese ? NameJa : NameEn;
    public Colour ColourInfo => Colours.Get(Colour);

    public static ProductInfo Unknown(string sku)
    {
        var code = SkuCode.TryParse(sku);
        return new ProductInfo(sku, code?.StyleCode ?? sku, sku, sku, Categories.OfCode(sku)?.Id ?? "", 0, "", code?.Size ?? "", code?.Colour ?? "");
    }
}

/// <summary>
/// Whether the SKU can be shown in this store: how many here (and when they were last counted), other colours here in
/// the same size, or the nearest shop that has it.
/// </summary>
public sealed record Availability(int HereQuantity, IReadOnlyList<string> OtherColoursHere, string? NearestStoreWithIt, DateTimeOffset? CountedHereAt = null)
{
    public bool InStockHere => HereQuantity > 0;
}

public sealed record ProfileItem(ProductInfo Product, Availability Availability);

public sealed record ViewedProduct(ProfileItem Item, int Views, DateTimeOffset FirstViewed, DateTimeOffset LastViewed, int Seconds, IReadOnlyList<SalesChannel> Channels,
    IReadOnlyList<DateTimeOffset> ViewedAt)
{
    public int ViewsSince(DateTimeOffset since) => ViewedAt.Count(at => at >= since);
}

public sealed record PageVisit(string Page, SalesChannel Channel, DateTimeOffset At);

public sealed record CartItem(ProfileItem Item, int Quantity, DateTimeOffset AddedAt);

public sealed record WishlistItem(ProfileItem Item, DateTimeOffset AddedAt);

public sealed record PurchaseLine(ProductInfo Product, int Quantity, long UnitPrice);

/// <summary>A purchase in any channel: an order from the web shop or app (a sale), or a till receipt (a sale or a return).</summary>
public sealed record Purchase(string Id, SalesChannel Channel, string? StoreId, ReceiptKind Kind, DateTimeOffset At, long Total, IReadOnlyList<PurchaseLine> Lines,
    Fulfilment? Fulfilment, OrderStatus? Status)
{
    public bool IsReturn => Kind == ReceiptKind.Return;
}

public sealed record PickupOrder(string OrderId, string PickupStoreId, OrderStatus Status, DateTimeOffset PlacedAt, DateTimeOffset? ReadyAt, IReadOnlyList<PurchaseLine> Lines, bool AtThisStore)
{
    public bool Ready => Status == OrderStatus.ReadyForPickup;
}

public sealed record TryOn(ProfileItem Item, string StoreId, DateTimeOffset At);

public sealed record StoreVisit(long CheckInId, string StoreId, CheckInSource Source, DateTimeOffset At);

public sealed record StaffNote(long NoteId, string StaffCode, string? StaffName, string? StoreId, string Body, DateTimeOffset CreatedAt);

public enum TimelineKind { ProductViewed, PageViewed, CartAdded, CartRemoved, WishlistAdded, OrderPlaced, ReadyForPickup, Collected, Purchased, Returned, TriedOn, CheckedIn, Note, HoldRequested, AppointmentBooked, FollowUp }

/// <summary>A member record merged into this one, and when.</summary>
public sealed record MergedRecord(long MemberId, DateTimeOffset MergedAt)
{
    public string MemberNo => MemberNumber.Format(MemberId);
}

/// <summary>A message an assistant sent the customer's app after a visit (followup.requested).</summary>
public sealed record FollowUp(string FollowUpId, string StoreId, string StaffCode, string? RuleId, string Message, IReadOnlyList<string> Skus, DateTimeOffset CreatedAt);

/// <summary>One moment of the member's journey across channels ("ec", "app" or "store").</summary>
public sealed record TimelineEntry(DateTimeOffset At, TimelineKind Kind, SalesChannel Channel, string? StoreId, ProductInfo? Product, string? Detail);

/// <summary>A SKU row with its product's columns, as SQL reads it (skus JOIN products); the profile and the shelves both read it.</summary>
public class ProductRow
{
    public string Sku { get; init; } = "";
    public string StyleCode { get; init; } = "";
    public string Size { get; init; } = "";
    public string Colour { get; init; } = "";
    public string NameJa { get; init; } = "";
    public string NameEn { get; init; } = "";
    public string Category { get; init; } = "";
    public int Price { get; init; }
    public string ImagePath { get; init; } = "";
    public string? ImageUrl { get; init; }

    public ProductInfo ToInfo() => new(Sku, StyleCode, NameJa, NameEn, Category, Price, ImagePath, Size, Colour, ImageUrl);
}

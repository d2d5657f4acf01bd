using System.Data;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;

namespace Omo.Clienteling;

/// <summary>
/// A word of the shop's vocabulary (a tier, a channel, an order status…), typed once: code compares words, not strings.
/// Each is stored and sent as its <see cref="IShopWord{TSelf}.Wire"/> text (docs/events-api.md), converted at the
/// database boundary by a Dapper handler, and the tablet's resource keys use the same text (<c>Tier.gold</c>).
/// </summary>
public interface IShopWord<TSelf> where TSelf : struct, IShopWord<TSelf>
{
    string Wire { get; }

    static abstract IReadOnlyList<TSelf> All { get; }
}

public static class ShopWord
{
    public static bool TryParse<T>(string? wire, out T word) where T : struct, IShopWord<T>
    {
        foreach (var candidate in T.All)
            if (candidate.Wire == wire)
            {
                word = candidate;
                return true;
            }
        word = default;
        return false;
    }

    /// <summary>A stored word; one the code does not know means the database holds something no migration wrote.</summary>
    public static T Parse<T>(string wire) where T : struct, IShopWord<T> =>
        TryParse<T>(wire, out var word) ? word : throw new FormatException($"'{wire}' is not a {typeof(T).Name} ({string.Join(", ", T.All.Select(w => w.Wire))}).");

    internal static void RegisterHandlers()
    {
        SqlMapper.AddTypeHandler(new Handler<Tier>());
        SqlMapper.AddTypeHandler(new Handler<SalesChannel>());
        SqlMapper.AddTypeHandler(new Handler<OrderStatus>());
        SqlMapper.AddTypeHandler(new Handler<Fulfilment>());
        SqlMapper.AddTypeHandler(new Handler<ReceiptKind>());
        SqlMapper.AddTypeHandler(new Handler<CheckInSource>());
        SqlMapper.AddTypeHandler(new Handler<StockMoveReason>());
        SqlMapper.AddTypeHandler(new Handler<HoldPurpose>());
        SqlMapper.AddTypeHandler(new Handler<HoldStatus>());
        SqlMapper.AddTypeHandler(new Handler<AppointmentPurpose>());
        SqlMapper.AddTypeHandler(new Handler<AppointmentStatus>());
        SqlMapper.AddTypeHandler(new Handler<MergeStatus>());
    }

    private sealed class Handler<T> : SqlMapper.TypeHandler<T> where T : struct, IShopWord<T>
    {
        public override void SetValue(IDbDataParameter parameter, T value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value.Wire;
        }

        public override T Parse(object value) => Parse<T>((string)value);
    }
}

/// <summary>A shop word in JSON (the profile API) is its wire text, as in the events API.</summary>
public sealed class ShopWordJsonConverter<T> : JsonConverter<T> where T : struct, IShopWord<T>
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ShopWord.TryParse<T>(reader.GetString(), out var word) ? word : throw new JsonException($"Not a {typeof(T).Name}.");

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.Wire);
}

/// <summary>The member's tier.</summary>
[JsonConverter(typeof(ShopWordJsonConverter<Tier>))]
public readonly record struct Tier : IShopWord<Tier>
{
    private Tier(string wire) => Wire = wire;
    public string Wire { get; }
    public override string ToString() => Wire;

    public static readonly Tier Regular = new("regular"), Silver = new("silver"), Gold = new("gold"), Platinum = new("platinum");
    public static IReadOnlyList<Tier> All { get; } = [Regular, Silver, Gold, Platinum];
}

/// <summary>Where something happened: the web shop, the app, or a shop.</summary>
[JsonConverter(typeof(ShopWordJsonConverter<SalesChannel>))]
public readonly record struct SalesChannel : IShopWord<SalesChannel>
{
    private SalesChannel(string wire) => Wire = wire;
    public string Wire { get; }
    public override string ToString() => Wire;

    public static readonly SalesChannel Ec = new("ec"), App = new("app"), Store = new("store");
    public static IReadOnlyList<SalesChannel> All { get; } = [Ec, App, Store];
}

/// <summary>Where an online order is in its life.</summary>
[JsonConverter(typeof(ShopWordJsonConverter<OrderStatus>))]
public readonly record struct OrderStatus : IShopWord<OrderStatus>
{
    private OrderStatus(string wire) => Wire = wire;
    public string Wire { get; }
    public override string ToString() => Wire;

    public static readonly OrderStatus Placed = new("placed"), ReadyForPickup = new("ready_for_pickup"), Collected = new("collected"),
        Cancelled = new("cancelled");
    public static IReadOnlyList<OrderStatus> All { get; } = [Placed, ReadyForPickup, Collected, Cancelled];
}

/// <summary>How an online order reaches the customer.</summary>
[JsonConverter(typeof(ShopWordJsonConverter<Fulfilment>))]
public readonly record struct Fulfilment : IShopWord<Fulfilment>
{
    private Fulfilment(string wire) => Wire = wire;
    public string Wire { get; }
    public override string ToString() => Wire;

    public static readonly Fulfilment Delivery = new("delivery"), ClickAndCollect = new("click_and_collect");
    public static IReadOnlyList<Fulfilment> All { get; } = [Delivery, ClickAndCollect];
}

/// <summary>A till receipt: a sale or a return.</summary>
[JsonConverter(typeof(ShopWordJsonConverter<ReceiptKind>))]
public readonly record struct ReceiptKind : IShopWord<ReceiptKind>
{
    private ReceiptKind(string wire) => Wire = wire;
    public string Wire { get; }
    public override string ToString() => Wire;

    public static readonly ReceiptKind Sale = new("sale"), Return = new("return");
    public static IReadOnlyList<ReceiptKind> All { get; } = [Sale, Return];
}

/// <summary>What noticed the member arrive.</summary>
[JsonConverter(typeof(ShopWordJsonConverter<CheckInSource>))]
public readonly record struct CheckInSource : IShopWord<CheckInSource>
{
    private CheckInSource(string wire) => Wire = wire;
    public string Wire { get; }
    public override string ToString() => Wire;

    public static readonly CheckInSource App = new("app"), Beacon = new("beacon"), Staff = new("staff");
    public static IReadOnlyList<CheckInSource> All { get; } = [App, Beacon, Staff];
}

/// <summary>
/// Why stock moved in a shop: the tills' sales and returns and the collection of click-and-collect orders move it by
/// themselves; the inventory system sends the others with <c>stock_moved</c>.
/// </summary>
[JsonConverter(typeof(ShopWordJsonConverter<StockMoveReason>))]
public readonly record struct StockMoveReason : IShopWord<StockMoveReason>
{
    private StockMoveReason(string wire) => Wire = wire;
    public string Wire { get; }
    public override string ToString() => Wire;

    public static readonly StockMoveReason Sale = new("sale"), Return = new("return"), Collection = new("collection"),
        Received = new("received"), TransferIn = new("transfer_in"), TransferOut = new("transfer_out"), Damaged = new("damaged"), Adjusted = new("adjusted");
    public static IReadOnlyList<StockMoveReason> All { get; } = [Sale, Return, Collection, Received, TransferIn, TransferOut, Damaged, Adjusted];

    /// <summary>The reasons a <c>stock_moved</c> event may give (the others come from receipts and orders).</summary>
    public static IReadOnlyList<StockMoveReason> Sent { get; } = [Received, TransferIn, TransferOut, Damaged, Adjusted];
}

/// <summary>Why a customer asked a shop to keep items: to try them on, or to buy them.</summary>
[JsonConverter(typeof(ShopWordJsonConverter<HoldPurpose>))]
public readonly record struct HoldPurpose : IShopWord<HoldPurpose>
{
    private HoldPurpose(string wire) => Wire = wire;
    public string Wire { get; }
    public override string ToString() => Wire;

    public static readonly HoldPurpose TryOn = new("try_on"), Purchase = new("purchase");
    public static IReadOnlyList<HoldPurpose> All { get; } = [TryOn, Purchase];
}

/// <summary>
/// Where a hold is: requested (the shop has to pick it), prepared (waiting, perhaps in a fitting room), and then
/// completed by a sale, expired at closing time on its last day, or cancelled by the customer.
/// </summary>
[JsonConverter(typeof(ShopWordJsonConverter<HoldStatus>))]
public readonly record struct HoldStatus : IShopWord<HoldStatus>
{
    private HoldStatus(string wire) => Wire = wire;
    public string Wire { get; }
    public override string ToString() => Wire;

    public static readonly HoldStatus Requested = new("requested"), Prepared = new("prepared"), Completed = new("completed"),
        Expired = new("expired"), Cancelled = new("cancelled");
    public static IReadOnlyList<HoldStatus> All { get; } = [Requested, Prepared, Completed, Expired, Cancelled];

    /// <summary>Still waiting for the customer: its stock is set aside.</summary>
    public bool IsOpen => this == Requested || this == Prepared;
}

/// <summary>What a booked visit is for.</summary>
[JsonConverter(typeof(ShopWordJsonConverter<AppointmentPurpose>))]
public readonly record struct AppointmentPurpose : IShopWord<AppointmentPurpose>
{
    private AppointmentPurpose(string wire) => Wire = wire;
    public string Wire { get; }
    public override string ToString() => Wire;

    public static readonly AppointmentPurpose TryOn = new("try_on"), Styling = new("styling"), Alteration = new("alteration");
    public static IReadOnlyList<AppointmentPurpose> All { get; } = [TryOn, Styling, Alteration];
}

/// <summary>A booked visit: booked, then visited (the member checked in that day), a no-show, or cancelled.</summary>
[JsonConverter(typeof(ShopWordJsonConverter<AppointmentStatus>))]
public readonly record struct AppointmentStatus : IShopWord<AppointmentStatus>
{
    private AppointmentStatus(string wire) => Wire = wire;
    public string Wire { get; }
    public override string ToString() => Wire;

    public static readonly AppointmentStatus Booked = new("booked"), Visited = new("visited"), NoShow = new("no_show"), Cancelled = new("cancelled");
    public static IReadOnlyList<AppointmentStatus> All { get; } = [Booked, Visited, NoShow, Cancelled];
}

/// <summary>
/// Where a merge stands (docs/merges.md): held for a manager (pending), done (applied), turned down (rejected), or undone
/// (split).
/// </summary>
[JsonConverter(typeof(ShopWordJsonConverter<MergeStatus>))]
public readonly record struct MergeStatus : IShopWord<MergeStatus>
{
    private MergeStatus(string wire) => Wire = wire;
    public string Wire { get; }
    public override string ToString() => Wire;

    public static readonly MergeStatus Pending = new("pending"), Applied = new("applied"), Rejected = new("rejected"), Split = new("split");
    public static IReadOnlyList<MergeStatus> All { get; } = [Pending, Applied, Rejected, Split];
}

/// <summary>Why a link that would merge two members waits for a manager instead of being applied (settings: Merges).</summary>
[JsonConverter(typeof(ShopWordJsonConverter<MergeRisk>))]
public readonly record struct MergeRisk : IShopWord<MergeRisk>
{
    private MergeRisk(string wire) => Wire = wire;
    public string Wire { get; }
    public override string ToString() => Wire;

    public static readonly MergeRisk BothBoughtInStore = new("both_bought_in_store"), BirthMonthsDiffer = new("birth_months_differ"),
        NamesDiffer = new("names_differ");
    public static IReadOnlyList<MergeRisk> All { get; } = [BothBoughtInStore, BirthMonthsDiffer, NamesDiffer];
}

using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Omo.Clienteling.Catalog;
using Omo.Clienteling.Holds;
using Omo.Clienteling.Members;
using Omo.Clienteling.Scanning;

namespace Omo.Clienteling.Ingestion;

/// <summary>
/// Checks one JSON event against docs/events-api.md without touching the database's history: required fields, known SKUs
/// and stores, quantities and prices in range, a timestamp with an offset and not in the future. The first
/// problem found is what the sender is told.
/// </summary>
public sealed partial class EventReader(SkuCatalog skus, StoreDirectory stores, IOptions<IngestionOptions> options, IOptions<HoldOptions> holds, TimeProvider clock)
{
    public const int MaxQuantity = 99, MaxLines = 100, MaxSkusPerStyle = 500, MaxStockLines = 1000, MaxStock = 1_000_000, MaxHoldLines = 20;
    public const int MinAppointmentMinutes = 15, MaxAppointmentMinutes = 480;
    public const long MaxUnitPrice = 10_000_000;
    private static readonly string[] Tiers = [.. Tier.All.Select(t => t.Wire)];
    // Online behaviour comes from the web shop and the app; the shops send receipts, try-ons and check-ins instead.
    private static readonly string[] Channels = [SalesChannel.Ec.Wire, SalesChannel.App.Wire];
    private static readonly byte[] NoKey = new byte[32];

    /// <summary>
    /// Reads a batch a sender may send (<see cref="SenderScope"/>: its key's event types and stores): the valid events with
    /// their indexes, and a rejection for each invalid one.
    /// </summary>
    public (List<(int Index, IncomingEvent Event)> Valid, List<Rejection> Rejected) ReadBatch(IEnumerable<(int Index, JsonElement Json)> batch, SenderScope scope)
    {
        var valid = new List<(int, IncomingEvent)>();
        var rejected = new List<Rejection>();
        var context = new Batch();
        foreach (var (index, json) in batch)
        {
            if (Read(json, index, scope, context, out var rejection) is { } e) valid.Add((index, e));
            else rejected.Add(rejection!);
        }
        return (valid, rejected);
    }

    /// <summary>
    /// What earlier events of the same batch create: a product master's batch may add a style and then count its stock.
    /// The ingestor checks again when it writes, in case the creating event was refused there.
    /// </summary>
    public sealed class Batch
    {
        public HashSet<string> Skus { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, string> StoreKinds { get; } = new(StringComparer.Ordinal);
    }

    private IncomingEvent? Read(JsonElement json, int index, SenderScope scope, Batch batch, out Rejection? rejection)
    {
        var e = new Fields(json, "");
        // Best effort, for the rejection: the checked read happens below.
        string? eventId = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("eventId", out var id) ? Text(id) : null;
        rejection = null;
        try
        {
            if (json.ValueKind != JsonValueKind.Object) throw new Invalid("Not an event", "Each element of the array must be a JSON object.");
            eventId = e.String("eventId", 128);
            var type = e.String("type", 64);
            if (!EventTypes.All.Contains(type))
                throw new Invalid("Unknown event type", $"'{type}' is not one of: {string.Join(", ", EventTypes.All.Order())}.");
            if (!scope.MaySend(type))
                throw new Invalid("Event type not allowed for this key", $"This API key may not send '{type}' events.");
            var occurredAt = OccurredAt(e);
            var storeId = e.OptionalString("storeId", 16);
            if (storeId is not null && !scope.MaySpeakFor(storeId))
                throw new Invalid("Store not allowed for this key", $"This API key may not send events of store '{storeId}'.");
            if (type == EventTypes.StoreUpserted) storeId = NewStoreId(storeId);
            else if (storeId is not null && KindOf(storeId, batch) is null) throw new Invalid("Unknown store", $"storeId '{storeId}' is not one of our stores.");
            var data = new Fields(e.Object("data"), "data.");
            var identity = json.TryGetProperty("identity", out var who) && who.ValueKind != JsonValueKind.Null ? Identity(new Fields(who, "identity.")) : null;
            if (EventTypes.MasterData.Contains(type))
            {
                if (identity is not null) throw new Invalid("Unexpected field", $"{type} is master data and names no member: leave identity out.");
            }
            else if (identity is null && type != EventTypes.MemberUpserted) throw new Invalid("Missing field", "identity is required: {\"kind\": \"point_card\", \"value\": \"…\"}.");

            EventData body = type switch
            {
                EventTypes.MemberUpserted => ReadMember(data),
                EventTypes.IdentityLinked => new IdentityLinked(Identity(new Fields(data.Object("identity"), "data.identity."))),
                EventTypes.IdentityUnlinked => new IdentityUnlinked(Identity(new Fields(data.Object("identity"), "data.identity."))),
                EventTypes.ProductViewed => new ProductViewed(Sku(data), Channel(data), data.OptionalInt("seconds", 0, 86_400) ?? 0),
                EventTypes.PageViewed => new PageViewed(Page(data), Channel(data)),
                EventTypes.CartItemAdded or EventTypes.CartItemRemoved =>
                    new CartChanged(Sku(data), data.OptionalInt("quantity", 1, MaxQuantity) ?? 1, type == EventTypes.CartItemAdded),
                EventTypes.WishlistItemAdded or EventTypes.WishlistItemRemoved => new WishlistChanged(Sku(data), type == EventTypes.WishlistItemAdded),
                EventTypes.OrderPlaced => ReadOrder(data),
                EventTypes.OrderReadyForPickup => new OrderProgressed(data.String("orderId", 64), OrderStatus.ReadyForPickup),
                EventTypes.OrderCollected => new OrderProgressed(data.String("orderId", 64), OrderStatus.Collected),
                EventTypes.PosSale or EventTypes.PosReturn => new PosReceipt(data.String("receiptId", 64), type == EventTypes.PosSale ? ReceiptKind.Sale : ReceiptKind.Return, Lines(data)),
                EventTypes.FittingRoomTryOn => new TriedOn(Sku(data)),
                EventTypes.StoreCheckedIn => new CheckedIn(data.Word<CheckInSource>("source")),
                EventTypes.StoreUpserted => ReadStore(data),
                EventTypes.ProductUpserted => ReadProduct(data),
                EventTypes.ProductDiscontinued => new ProductDiscontinued(Code(data, "styleCode")),
                EventTypes.StockCounted => new StockCounted(StockLines(data, 0, MaxStock, "a count of 0 or more")),
                EventTypes.StockMoved => new StockMoved(data.Word<StockMoveReason>("reason", StockMoveReason.Sent), StockLines(data, -MaxStock, MaxStock, "a signed quantity, not 0")),
                EventTypes.HoldRequested => ReadHold(data, occurredAt, storeId),
                EventTypes.HoldCancelled => new HoldCancelled(Code(data, "holdId")),
                EventTypes.AppointmentBooked => ReadAppointment(data, occurredAt),
                EventTypes.AppointmentCancelled => new AppointmentCancelled(Code(data, "appointmentId")),
                _ => throw new Invalid("Unknown event type", type),
            };
            if (body is OrderPlaced { PickupStoreId: { } pickup } && !scope.MaySpeakFor(pickup))
                throw new Invalid("Store not allowed for this key", $"This API key may not send orders to be collected at '{pickup}'.");
            foreach (var sku in body.Skus)
                if (!skus.Exists(sku) && !batch.Skus.Contains(sku)) throw new Invalid("Unknown SKU", $"SKU '{sku}' is not in the catalogue.");
            if (body is PosReceipt or TriedOn or CheckedIn or StockCounted or StockMoved or HoldRequested or HoldCancelled or AppointmentBooked or AppointmentCancelled)
                RequireShop(storeId, type, batch);
            // Only now that the whole event is valid does the batch know what it creates.
            if (body is StoreUpserted store) batch.StoreKinds[storeId!] = store.Kind;
            if (body is ProductUpserted product) batch.Skus.UnionWith(product.Definitions.Select(d => d.Sku));
            return new IncomingEvent(eventId, type, occurredAt, identity, storeId, body);
        }
        catch (Invalid invalid)
        {
            rejection = new Rejection(index, eventId, invalid.Title, invalid.Detail);
            return null;
        }
    }

    private DateTimeOffset OccurredAt(Fields e)
    {
        var at = Timestamp(e, "occurredAt");
        var text = e.String("occurredAt", 40);
        var limit = clock.GetUtcNow() + options.Value.MaxClockSkew;
        if (at > limit) throw new Invalid("Timestamp in the future", $"occurredAt {text} is later than now by more than {options.Value.MaxClockSkew.TotalMinutes:0} minutes; check the sender's clock.");
        if (at.Year < 2000) throw new Invalid("Invalid timestamp", $"occurredAt {text} is before 2000.");
        return at;
    }

    /// <summary>An ISO 8601 time with an offset: "10:15" alone is ambiguous between the till's clock and UTC.</summary>
    private static DateTimeOffset Timestamp(Fields f, string name)
    {
        var text = f.String(name, 40);
        if (!OffsetSuffix().IsMatch(text) || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            throw new Invalid("Invalid timestamp", $"{f.Prefix}{name} '{text}' must be ISO 8601 with an offset, e.g. 2026-11-22T10:15:00+09:00.");
        return at;
    }

    private static DateOnly Date(Fields f, string name)
    {
        var text = f.String(name, 10);
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day : throw new Invalid("Invalid date", $"{f.Prefix}{name} '{text}' must be a date such as 2026-11-28.");
    }

    private HoldRequested ReadHold(Fields data, DateTimeOffset occurredAt, string? storeId)
    {
        var holdId = Code(data, "holdId");
        var purpose = data.Word<HoldPurpose>("purpose");
        var until = Date(data, "holdUntil");
        // A hold ends at closing time on its last day: one whose closing time has already gone by could hold nothing.
        var now = clock.GetUtcNow();
        var closes = holds.Value.ClosesAt(storeId ?? "", until);
        if (closes <= now || closes <= occurredAt)
            throw new Invalid("Hold date in the past",
                $"data.holdUntil {until:yyyy-MM-dd} has gone by: the shop closes at {closes.ToOffset(ShopTime.Offset):HH:mm} that day, and it is now {now.ToOffset(ShopTime.Offset):yyyy-MM-dd HH:mm} in the shops.");
        var maxDays = holds.Value.MaxDays;
        if (until > ShopTime.DayOf(occurredAt).AddDays(maxDays))
            throw new Invalid("Hold too long", $"data.holdUntil {until:yyyy-MM-dd} is more than {maxDays} days after the request; shops keep items {maxDays} days at most.");
        var lines = data.Array("lines", required: true);
        if (lines.Count is 0 or > MaxHoldLines) throw new Invalid("Invalid lines", $"data.lines must have 1 to {MaxHoldLines} lines.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return new HoldRequested(holdId, purpose, until, lines.Select((l, i) =>
        {
            var f = new Fields(l, $"data.lines[{i}].");
            var sku = Sku(f);
            if (!seen.Add(sku)) throw new Invalid("Duplicate SKU", $"{f.Prefix}sku '{sku}' appears twice in one hold; give its quantity once.");
            return new HoldLine(sku, f.Int("quantity", 1, MaxQuantity));
        }).ToList());
    }

    private AppointmentBooked ReadAppointment(Fields data, DateTimeOffset occurredAt)
    {
        var appointmentId = Code(data, "appointmentId");
        var startsAt = Timestamp(data, "startsAt");
        if (startsAt < occurredAt) throw new Invalid("Appointment in the past", $"data.startsAt {startsAt:O} is before the booking was made ({occurredAt:O}).");
        var maxDays = holds.Value.MaxBookingDays;
        if (startsAt > occurredAt.AddDays(maxDays)) throw new Invalid("Appointment too far ahead", $"data.startsAt is more than {maxDays} days after the booking.");
        return new AppointmentBooked(appointmentId, startsAt, data.Int("minutes", MinAppointmentMinutes, MaxAppointmentMinutes),
            data.Word<AppointmentPurpose>("purpose"), data.OptionalString("note", 500));
    }

    private static MemberCode Identity(Fields f)
    {
        var kind = f.OneOf("kind", ["app_member", "point_card", "ec_account", "email"]);
        var value = f.String("value", 254);
        // The scanner's parser knows every format; the declared kind must be the one it recognises.
        var parsed = MemberCodeParser.Parse(value, NoKey, DateTimeOffset.UnixEpoch);
        var recognised = parsed.Code is { } code && code.StoredKind == kind ? code : null;
        if (recognised is null)
            throw new Invalid("Invalid identity", $"{f.Prefix}value '{value}' is not a valid {kind}" + (parsed.Reason is { } r ? $" ({r})." : "."));
        return recognised;
    }

    private MemberUpserted ReadMember(Fields data)
    {
        var memberNo = data.String("memberNo", 10);
        if (!MemberNumber.TryParse(memberNo, out var memberId)) throw new Invalid("Invalid member number", $"data.memberNo '{memberNo}' must be 10 digits.");
        var home = data.OptionalString("homeStoreId", 16);
        if (home is not null && stores.Find(home) is not { IsShop: true }) throw new Invalid("Unknown store", $"data.homeStoreId '{home}' is not one of our shops.");
        Consent? consent = null;
        if (data.Has("consent"))
        {
            var c = new Fields(data.Object("consent"), "data.consent.");
            consent = new Consent(c.Bool("onlineBehaviour"), c.Bool("marketing"));
        }
        var identities = data.Array("identities", required: false).Select((x, i) => Identity(new Fields(x, $"data.identities[{i}]."))).ToList();
        var email = data.OptionalString("email", 254);
        if (email is not null && MemberCodeParser.Parse(email, NoKey, DateTimeOffset.UnixEpoch).Code?.Kind != IdentifierKind.Email)
            throw new Invalid("Invalid e-mail", $"data.email '{email}' is not an e-mail address.");
        return new MemberUpserted(memberId,
            data.OptionalString("familyName", 50), data.OptionalString("givenName", 50),
            data.OptionalString("familyNameKana", 50), data.OptionalString("givenNameKana", 50),
            data.OptionalInt("birthMonth", 1, 12), data.Has("tier") ? data.OneOf("tier", Tiers) : null, home, consent,
            email?.ToLowerInvariant(), data.OptionalString("phone", 32), identities)
        {
            Language = data.Has("language") ? data.OneOf("language", ["ja", "en"]) : null,
        };
    }

    private OrderPlaced ReadOrder(Fields data)
    {
        var fulfilment = data.Word<Fulfilment>("fulfilment");
        var pickup = data.OptionalString("pickupStoreId", 16);
        if (fulfilment == Fulfilment.ClickAndCollect)
        {
            if (pickup is null) throw new Invalid("Missing field", "data.pickupStoreId is required for click_and_collect orders.");
            if (stores.Find(pickup) is not { IsShop: true }) throw new Invalid("Unknown store", $"data.pickupStoreId '{pickup}' is not one of our shops.");
        }
        else pickup = null;
        return new OrderPlaced(data.String("orderId", 64), ShopWord.Parse<SalesChannel>(Channel(data)), fulfilment, pickup, Lines(data));
    }

    private List<Line> Lines(Fields data)
    {
        var lines = data.Array("lines", required: true);
        if (lines.Count is 0 or > MaxLines) throw new Invalid("Invalid lines", $"data.lines must have 1 to {MaxLines} lines.");
        return lines.Select((l, i) =>
        {
            var f = new Fields(l, $"data.lines[{i}].");
            return new Line(Sku(f), f.Int("quantity", 1, MaxQuantity), f.Long("unitPrice", 0, MaxUnitPrice));
        }).ToList();
    }

    private static string Sku(Fields f) => Code(f, "sku");

    /// <summary>A style or SKU code: letters, digits and . _ / - (what tags, URLs and CSV files carry without quoting).</summary>
    private static string Code(Fields f, string name)
    {
        var code = f.String(name, 40);
        if (!CodeText().IsMatch(code)) throw new Invalid("Invalid code", $"{f.Prefix}{name} '{code}' may hold only letters, digits and . _ / -.");
        return code;
    }

    private static string NewStoreId(string? storeId)
    {
        if (storeId is null) throw new Invalid("Missing field", "storeId is required for store_upserted: it names the store.");
        if (!StoreIdText().IsMatch(storeId)) throw new Invalid("Invalid store id", $"storeId '{storeId}' may hold only letters, digits, _ and - (16 at most).");
        return storeId;
    }

    private string? KindOf(string storeId, Batch batch) => stores.Find(storeId)?.Kind ?? batch.StoreKinds.GetValueOrDefault(storeId);

    private static StoreUpserted ReadStore(Fields data) => new(
        data.String("nameJa", 50), data.String("nameEn", 50), data.OneOf("kind", ["store", "online"]),
        data.OptionalDouble("latitude", -90, 90), data.OptionalDouble("longitude", -180, 180));

    private static ProductUpserted ReadProduct(Fields data)
    {
        var definitions = data.Array("skus", required: true);
        if (definitions.Count is 0 or > MaxSkusPerStyle) throw new Invalid("Invalid SKUs", $"data.skus must list 1 to {MaxSkusPerStyle} SKUs.");
        var seenSkus = new HashSet<string>(StringComparer.Ordinal);
        var seenJans = new HashSet<string>(StringComparer.Ordinal);
        var skuList = definitions.Select((x, i) =>
        {
            var f = new Fields(x, $"data.skus[{i}].");
            var sku = Sku(f);
            if (!seenSkus.Add(sku)) throw new Invalid("Duplicate SKU", $"{f.Prefix}sku '{sku}' is listed twice for this style.");
            var jan = f.OptionalString("jan", 13);
            if (jan is not null)
            {
                if (!Jan.IsValid(jan)) throw new Invalid("Invalid JAN", $"{f.Prefix}jan '{jan}' is not a 13-digit JAN code with a correct check digit.");
                if (!seenJans.Add(jan)) throw new Invalid("Duplicate JAN", $"{f.Prefix}jan '{jan}' is given to two SKUs of this style.");
            }
            return new SkuDefinition(sku, f.String("size", 16), f.String("colour", 32), jan);
        }).ToList();
        var imageUrl = data.OptionalString("imageUrl", 500);
        if (imageUrl is not null && !(Uri.TryCreate(imageUrl, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
            throw new Invalid("Invalid image URL", $"data.imageUrl '{imageUrl}' must be an absolute http or https address.");
        DateOnly? launchedOn = data.Has("launchedOn") ? Date(data, "launchedOn") : null;
        return new ProductUpserted(Code(data, "styleCode"), data.String("nameJa", 100), data.String("nameEn", 100), data.String("category", 40),
            data.Long("price", 0, MaxUnitPrice), imageUrl, launchedOn, skuList);
    }

    private static List<StockLine> StockLines(Fields data, int min, int max, string what)
    {
        var lines = data.Array("lines", required: true);
        if (lines.Count is 0 or > MaxStockLines) throw new Invalid("Invalid lines", $"data.lines must have 1 to {MaxStockLines} lines.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return lines.Select((l, i) =>
        {
            var f = new Fields(l, $"data.lines[{i}].");
            var sku = Sku(f);
            if (!seen.Add(sku)) throw new Invalid("Duplicate SKU", $"{f.Prefix}sku '{sku}' appears twice in one {(min == 0 ? "count" : "movement")}.");
            var quantity = f.Int("quantity", min, max);
            if (min < 0 && quantity == 0) throw new Invalid("Out of range", $"{f.Prefix}quantity must be {what}.");
            return new StockLine(sku, quantity);
        }).ToList();
    }

    private static string Channel(Fields f) => f.OneOf("channel", Channels);

    private static string Page(Fields f)
    {
        var page = f.String("page", 64);
        if (!PageName().IsMatch(page)) throw new Invalid("Invalid page", $"data.page '{page}' must be a lower-case page key such as store_reservation.");
        return page;
    }

    private void RequireShop(string? storeId, string type, Batch batch)
    {
        if (storeId is null) throw new Invalid("Missing field", $"storeId is required for {type}.");
        if (KindOf(storeId, batch) != "store") throw new Invalid("Unknown store", $"storeId '{storeId}' is not a shop; {type} happens in a shop.");
    }

    [GeneratedRegex(@"(Z|[+-]\d{2}:?\d{2})$", RegexOptions.IgnoreCase)]
    private static partial Regex OffsetSuffix();

    [GeneratedRegex("^[a-z0-9_]+$")]
    private static partial Regex PageName();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._/-]*$")]
    private static partial Regex CodeText();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,16}$")]
    private static partial Regex StoreIdText();

    /// <summary>A JSON string's text, or null when it is not a string or escapes half a surrogate pair (which has no text).</summary>
    private static string? Text(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String) return null;
        try { return value.GetString(); }
        catch (InvalidOperationException) { return null; }
    }

    private sealed class Invalid(string title, string detail) : Exception(detail)
    {
        public string Title { get; } = title;
        public string Detail { get; } = detail;
    }

    /// <summary>Typed access to an object's fields that names the field in every complaint.</summary>
    private readonly struct Fields(JsonElement element, string prefix)
    {
        public string Prefix => prefix;

        public bool Has(string name) => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

        private JsonElement? Get(string name)
        {
            if (element.ValueKind != JsonValueKind.Object) throw new Invalid("Invalid field", $"{prefix.TrimEnd('.')} must be an object.");
            return element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;
        }

        public JsonElement Object(string name) =>
            Get(name) is { ValueKind: JsonValueKind.Object } v ? v : throw new Invalid("Missing field", $"{prefix}{name} is required and must be an object.");

        public List<JsonElement> Array(string name, bool required)
        {
            var v = Get(name);
            if (v is null) return required ? throw new Invalid("Missing field", $"{prefix}{name} is required.") : [];
            return v.Value.ValueKind == JsonValueKind.Array ? v.Value.EnumerateArray().ToList() : throw new Invalid("Invalid field", $"{prefix}{name} must be an array.");
        }

        public string String(string name, int maxLength) =>
            OptionalString(name, maxLength) ?? throw new Invalid("Missing field", $"{prefix}{name} is required.");

        public string? OptionalString(string name, int maxLength)
        {
            if (Get(name) is not { } v) return null;
            if (v.ValueKind != JsonValueKind.String) throw new Invalid("Invalid field", $"{prefix}{name} must be a string.");
            var s = Text(v)?.Trim() ?? throw new Invalid("Invalid characters", $"{prefix}{name} contains a broken character (an escaped unpaired surrogate).");
            if (s.Length == 0) return null;
            if (s.Length > maxLength) throw new Invalid("Field too long", $"{prefix}{name} is longer than {maxLength} characters.");
            // Names and ids are shown to assistants and matched by people: nothing that hides or disguises what they say.
            if (SafeText.Check(s, maxLength) is { } problem) throw new Invalid("Invalid characters", $"{prefix}{name} {problem}.");
            return s;
        }

        /// <summary>A word of the shop's vocabulary: any of its values, or those of <paramref name="allowed"/>.</summary>
        public T Word<T>(string name, IReadOnlyList<T>? allowed = null) where T : struct, IShopWord<T>
        {
            var s = String(name, 64);
            allowed ??= T.All;
            return ShopWord.TryParse<T>(s, out var word) && allowed.Contains(word) ? word : throw NotOneOf(name, s, allowed.Select(w => w.Wire));
        }

        public string OneOf(string name, string[] allowed)
        {
            var s = String(name, 64);
            return allowed.Contains(s) ? s : throw NotOneOf(name, s, allowed);
        }

        private Invalid NotOneOf(string name, string value, IEnumerable<string> allowed) =>
            new("Invalid field", $"{prefix}{name} '{value}' must be one of: {string.Join(", ", allowed)}.");

        public bool Bool(string name) => Get(name) switch
        {
            { ValueKind: JsonValueKind.True } => true,
            { ValueKind: JsonValueKind.False } => false,
            null => throw new Invalid("Missing field", $"{prefix}{name} is required (true or false)."),
            _ => throw new Invalid("Invalid field", $"{prefix}{name} must be true or false."),
        };

        public long Long(string name, long min, long max) =>
            OptionalLong(name, min, max) ?? throw new Invalid("Missing field", $"{prefix}{name} is required.");

        public int Int(string name, int min, int max) => (int)Long(name, min, max);

        public int? OptionalInt(string name, int min, int max) => (int?)OptionalLong(name, min, max);

        public double? OptionalDouble(string name, double min, double max)
        {
            if (Get(name) is not { } v) return null;
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var n) || !double.IsFinite(n)) throw new Invalid("Invalid field", $"{prefix}{name} must be a number.");
            return n >= min && n <= max ? n : throw new Invalid("Out of range", $"{prefix}{name} {n} must be between {min} and {max}.");
        }

        private long? OptionalLong(string name, long min, long max)
        {
            if (Get(name) is not { } v) return null;
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var n)) throw new Invalid("Invalid field", $"{prefix}{name} must be a whole number.");
            return n >= min && n <= max ? n : throw new Invalid("Out of range", $"{prefix}{name} {n} must be between {min:N0} and {max:N0}.");
        }
    }
}

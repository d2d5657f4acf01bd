using System.Data;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Omo.Clienteling.CheckIns;
using Omo.Clienteling.Data;
using Omo.Clienteling.Members;
using Omo.Clienteling.Scanning;

namespace Omo.Clienteling.Ingestion;

/// <summary>What became of a batch: DESIGN.md §2's answer.</summary>
public sealed record IngestResult(int Accepted, int Duplicates, IReadOnlyList<Rejection> Rejected);

/// <summary>
/// Writes validated events into the unified member store. A batch is one transaction committed before the answer.
/// An event that cannot be applied to what we know (unknown member, unknown order) is refused and reported while
/// the rest of the batch lands: every handler checks before its first write, so a refusal leaves nothing behind
/// (cheaper than a savepoint per event). Any other failure rolls the whole batch back. Re-sent event ids are duplicates.
/// </summary>
public sealed class EventIngestor(OmoDatabase database, CheckInRecorder checkIns, TimeProvider clock)
{
    // SQLite has one writer: queueing batches here is cheaper than letting them spin on busy_timeout.
    private readonly SemaphoreSlim _writer = new(1, 1);

    public async Task<IngestResult> IngestAsync(string sender, IReadOnlyList<(int Index, IncomingEvent Event)> events, IReadOnlyList<Rejection> alreadyRejected, CancellationToken cancellationToken = default)
    {
        var rejected = new List<Rejection>(alreadyRejected);
        var recorded = new List<RecordedCheckIn>();
        int accepted = 0, duplicates = 0;
        await _writer.WaitAsync(cancellationToken);
        try
        {
            using var connection = database.Open();
            using var transaction = connection.BeginTransaction();
            var receivedAt = clock.GetUtcNow();
            var seen = connection.Query<string>("SELECT event_id FROM ingested_events WHERE sender = @sender AND event_id IN @ids",
                new { sender, ids = events.Select(e => e.Event.EventId).Distinct().ToList() }, transaction).ToHashSet(StringComparer.Ordinal);
            // A browsing session sends many events for one member: resolve each identity once per batch.
            var members = new Dictionary<MemberCode, long>();
            var acceptedIds = new List<string>(events.Count);
            var history = new HistoryRows();
            foreach (var (index, e) in events)
            {
                // Seen before, or earlier in this very batch.
                if (!seen.Add(e.EventId))
                {
                    duplicates++;
                    continue;
                }
                try
                {
                    if (Apply(connection, transaction, e, members, history) is { } checkIn) recorded.Add(checkIn);
                    if (e.Data is MemberUpserted or IdentityLinked) members.Clear(); // identities may now resolve elsewhere
                    acceptedIds.Add(e.EventId);
                }
                catch (EventRefused refused)
                {
                    // Handlers refuse before their first write, so nothing of this event is in the transaction.
                    seen.Remove(e.EventId);
                    rejected.Add(new Rejection(index, e.EventId, refused.Title, refused.Message));
                }
            }
            history.Write(connection, transaction);
            // One statement records the whole batch's ids for de-duplication.
            connection.Execute("INSERT INTO ingested_events (sender, event_id, received_at) SELECT @sender, value, @receivedAt FROM json_each(@ids)",
                new { sender, receivedAt, ids = JsonSerializer.Serialize(acceptedIds) }, transaction);
            accepted = acceptedIds.Count;
            transaction.Commit();
        }
        finally
        {
            _writer.Release();
        }
        checkIns.Announce(recorded);
        return new IngestResult(accepted, duplicates, rejected.OrderBy(r => r.Index).ToList());
    }

    private RecordedCheckIn? Apply(SqliteConnection c, SqliteTransaction t, IncomingEvent e, Dictionary<MemberCode, long> members, HistoryRows history)
    {
        // A merge moves history by member id: rows still buffered must be written before it.
        if (e.Data is MemberUpserted or IdentityLinked) history.Write(c, t);
        if (e.Data is MemberUpserted upsert)
        {
            UpsertMember(c, t, e, upsert);
            return null;
        }
        if (!members.TryGetValue(e.Identity!, out var memberId)) members[e.Identity!] = memberId = Member(c, t, e.Identity!, "identity");
        var p = new DynamicParameters(new { memberId, at = e.OccurredAt, storeId = e.StoreId });
        switch (e.Data)
        {
            case IdentityLinked link:
                Link(c, t, memberId, link.Identity, e.OccurredAt);
                break;
            case ProductViewed v:
                p.AddDynamicParams(v);
                history.Add("INSERT INTO product_views (member_id, occurred_at, sku, channel, seconds) VALUES (@memberId, @at, @Sku, @Channel, @Seconds)", p);
                break;
            case PageViewed v:
                p.AddDynamicParams(v);
                history.Add("INSERT INTO page_views (member_id, occurred_at, page, channel) VALUES (@memberId, @at, @Page, @Channel)", p);
                break;
            case CartChanged cart:
                p.AddDynamicParams(new { cart.Sku, cart.Quantity, action = cart.Added ? "added" : "removed" });
                c.Execute(cart.Added
                    ? """
                      INSERT INTO cart_lines (member_id, sku, quantity, added_at) VALUES (@memberId, @Sku, @Quantity, @at)
                      ON CONFLICT (member_id, sku) DO UPDATE SET quantity = cart_lines.quantity + excluded.quantity
                      """
                    : """
                      UPDATE cart_lines SET quantity = quantity - @Quantity WHERE member_id = @memberId AND sku = @Sku;
                      DELETE FROM cart_lines WHERE member_id = @memberId AND sku = @Sku AND quantity <= 0;
                      """, p, t);
                history.Add("INSERT INTO cart_events (member_id, occurred_at, sku, quantity, action) VALUES (@memberId, @at, @Sku, @Quantity, @action)", p);
                break;
            case WishlistChanged wish:
                p.AddDynamicParams(wish);
                c.Execute(wish.Added
                    ? "INSERT INTO wishlist_items (member_id, sku, added_at) VALUES (@memberId, @Sku, @at) ON CONFLICT DO NOTHING"
                    : "DELETE FROM wishlist_items WHERE member_id = @memberId AND sku = @Sku", p, t);
                break;
            case OrderPlaced order:
                PlaceOrder(c, t, memberId, e.OccurredAt, order);
                break;
            case OrderProgressed progress:
                ProgressOrder(c, t, memberId, e.OccurredAt, progress);
                break;
            case PosReceipt receipt:
                WriteReceipt(c, t, memberId, e.StoreId!, e.OccurredAt, receipt);
                break;
            case TriedOn tried:
                p.AddDynamicParams(tried);
                history.Add("INSERT INTO try_ons (member_id, occurred_at, store_id, sku) VALUES (@memberId, @at, @storeId, @Sku)", p);
                break;
            case CheckedIn checkedIn:
                return checkIns.Record(c, t, memberId, e.StoreId!, checkedIn.Source, e.OccurredAt);
            default:
                throw new InvalidOperationException($"No handler for {e.Data.GetType().Name}.");
        }
        return null;
    }

    /// <summary>The member an identity names. Unknown identities create nobody: only member_upserted creates members.</summary>
    private static long Member(IDbConnection c, IDbTransaction t, MemberCode identity, string field)
    {
        var found = IdentityResolver.Find(c, t, identity);
        return found.Outcome switch
        {
            LookupOutcome.Found => found.MemberId!.Value,
            LookupOutcome.Erased => throw new EventRefused("Erased member", $"{field} {identity.StoredKind} '{identity.Value}' belongs to a member who was erased; nothing is recorded for them."),
            LookupOutcome.Revoked => throw new EventRefused("Revoked identifier", $"{field} {identity.StoredKind} '{identity.Value}' was revoked (lost or replaced card)."),
            _ => throw new EventRefused("Unknown member", $"No member has {field} {identity.StoredKind} '{identity.Value}'. Send member_upserted first."),
        };
    }

    private static void UpsertMember(SqliteConnection c, SqliteTransaction t, IncomingEvent e, MemberUpserted m)
    {
        var target = IdentityResolver.Find(c, t, new MemberCode(IdentifierKind.MemberNumber, MemberNumber.Format(m.MemberId)));
        if (target.Outcome == LookupOutcome.Erased) throw new EventRefused("Erased member", $"Member {MemberNumber.Format(m.MemberId)} was erased and is not re-created.");
        // A merged member number is updated on its survivor.
        var memberId = target.MemberId ?? m.MemberId;
        var identities = m.Identities.Where(i => i.Kind != IdentifierKind.MemberNumber).ToList();
        if (e.Identity is { Kind: not IdentifierKind.MemberNumber } envelope) identities.Add(envelope);
        foreach (var identity in identities)
        {
            var owner = IdentityResolver.Find(c, t, identity);
            if (owner.OwnerId is { } other && other != memberId)
                throw new EventRefused("Identity belongs to another member",
                    $"{identity.StoredKind} '{identity.Value}' belongs to member {MemberNumber.Format(other)}; send identity_linked to merge the two.");
        }
        c.Execute("""
            INSERT INTO members (member_id, family_name, given_name, family_name_kana, given_name_kana, birth_month, tier, home_store_id,
                                 email, phone, consent_online_behaviour, consent_marketing, created_at, updated_at)
            VALUES (@memberId, @FamilyName, @GivenName, @FamilyNameKana, @GivenNameKana, @BirthMonth, COALESCE(@Tier, 'regular'), @HomeStoreId,
                    @Email, @Phone, COALESCE(@online, 0), COALESCE(@marketing, 0), @at, @at)
            ON CONFLICT (member_id) DO UPDATE SET
                family_name = COALESCE(excluded.family_name, family_name), given_name = COALESCE(excluded.given_name, given_name),
                family_name_kana = COALESCE(excluded.family_name_kana, family_name_kana), given_name_kana = COALESCE(excluded.given_name_kana, given_name_kana),
                birth_month = COALESCE(excluded.birth_month, birth_month), tier = COALESCE(@Tier, tier),
                home_store_id = COALESCE(excluded.home_store_id, home_store_id), email = COALESCE(excluded.email, email), phone = COALESCE(excluded.phone, phone),
                consent_online_behaviour = COALESCE(@online, consent_online_behaviour), consent_marketing = COALESCE(@marketing, consent_marketing),
                updated_at = excluded.updated_at
            """, new
        {
            memberId, m.FamilyName, m.GivenName, m.FamilyNameKana, m.GivenNameKana, m.BirthMonth, m.Tier, m.HomeStoreId, m.Email, m.Phone,
            online = m.Consent?.OnlineBehaviour, marketing = m.Consent?.Marketing, at = e.OccurredAt,
        }, t);
        foreach (var identity in identities)
            c.Execute("""
                INSERT INTO member_identifiers (kind, value, member_id, status, linked_at) VALUES (@kind, @Value, @memberId, 'active', @at)
                ON CONFLICT DO NOTHING
                """, new { kind = identity.StoredKind, identity.Value, memberId, at = e.OccurredAt }, t);
    }

    /// <summary>Links an identifier to the member; if it already names another member, they are one person and are merged.</summary>
    private static void Link(SqliteConnection c, SqliteTransaction t, long memberId, MemberCode identity, DateTimeOffset at)
    {
        var owner = IdentityResolver.Find(c, t, identity);
        switch (owner.Outcome)
        {
            case LookupOutcome.Unknown when identity.Kind == IdentifierKind.MemberNumber:
                throw new EventRefused("Unknown member", $"data.identity member number '{identity.Value}' does not exist.");
            case LookupOutcome.Unknown:
                c.Execute("INSERT INTO member_identifiers (kind, value, member_id, status, linked_at) VALUES (@kind, @Value, @memberId, 'active', @at)",
                    new { kind = identity.StoredKind, identity.Value, memberId, at }, t);
                break;
            case LookupOutcome.Erased:
                throw new EventRefused("Erased member", $"data.identity {identity.StoredKind} '{identity.Value}' belongs to an erased member.");
            case LookupOutcome.Revoked:
                throw new EventRefused("Revoked identifier", $"data.identity {identity.StoredKind} '{identity.Value}' was revoked and cannot be linked.");
            default:
                if (owner.MemberId != memberId) MemberMerger.MergeKeepingOlder(c, t, memberId, owner.MemberId!.Value, at);
                break;
        }
    }

    private static void PlaceOrder(SqliteConnection c, SqliteTransaction t, long memberId, DateTimeOffset at, OrderPlaced order)
    {
        if (c.ExecuteScalar<long>("SELECT COUNT(*) FROM orders WHERE order_id = @OrderId", order, t) > 0)
            throw new EventRefused("Order already exists", $"Order '{order.OrderId}' was placed before (with another eventId).");
        c.Execute("""
            INSERT INTO orders (order_id, member_id, channel, fulfilment, pickup_store_id, status, placed_at, total)
            VALUES (@OrderId, @memberId, @Channel, @Fulfilment, @PickupStoreId, 'placed', @at, @total)
            """, new { order.OrderId, memberId, order.Channel, order.Fulfilment, order.PickupStoreId, at, total = Total(order.Lines) }, t);
        WriteLines(c, t, "order_lines", "order_id", order.OrderId, order.Lines);
    }

    private static void ProgressOrder(SqliteConnection c, SqliteTransaction t, long memberId, DateTimeOffset at, OrderProgressed progress)
    {
        var order = c.QuerySingleOrDefault<(long MemberId, string Fulfilment, string Status)?>(
            "SELECT member_id, fulfilment, status FROM orders WHERE order_id = @OrderId", progress, t);
        if (order is not { } o) throw new EventRefused("Unknown order", $"Order '{progress.OrderId}' has not been placed.");
        if (o.MemberId != memberId) throw new EventRefused("Order of another member", $"Order '{progress.OrderId}' does not belong to this identity's member.");
        if (o.Status == progress.Status) return;
        var allowed = progress.Status == "ready_for_pickup"
            ? o.Fulfilment == "click_and_collect" && o.Status == "placed"
            : o.Status is "placed" or "ready_for_pickup";
        if (!allowed) throw new EventRefused("Order cannot move", $"Order '{progress.OrderId}' is {o.Status} ({o.Fulfilment}) and cannot become {progress.Status}.");
        c.Execute(progress.Status == "ready_for_pickup"
            ? "UPDATE orders SET status = 'ready_for_pickup', ready_at = @at WHERE order_id = @OrderId"
            : "UPDATE orders SET status = 'collected', collected_at = @at WHERE order_id = @OrderId",
            new { progress.OrderId, at }, t);
    }

    private static void WriteReceipt(SqliteConnection c, SqliteTransaction t, long memberId, string storeId, DateTimeOffset at, PosReceipt receipt)
    {
        if (c.ExecuteScalar<long>("SELECT COUNT(*) FROM receipts WHERE receipt_id = @ReceiptId", receipt, t) > 0)
            throw new EventRefused("Receipt already exists", $"Receipt '{receipt.ReceiptId}' was recorded before (with another eventId).");
        // Returns carry a negative total, as the tills print them.
        var total = Total(receipt.Lines) * (receipt.Kind == "return" ? -1 : 1);
        c.Execute("INSERT INTO receipts (receipt_id, member_id, store_id, kind, occurred_at, total) VALUES (@ReceiptId, @memberId, @storeId, @Kind, @at, @total)",
            new { receipt.ReceiptId, memberId, storeId, receipt.Kind, at, total }, t);
        WriteLines(c, t, "receipt_lines", "receipt_id", receipt.ReceiptId, receipt.Lines);
    }

    private static long Total(IEnumerable<Line> lines) => lines.Sum(l => l.Quantity * l.UnitPrice);

    private static void WriteLines(SqliteConnection c, SqliteTransaction t, string table, string key, string id, IReadOnlyList<Line> lines) =>
        c.Execute($"INSERT INTO {table} ({key}, line_no, sku, quantity, unit_price) VALUES (@id, @lineNo, @Sku, @Quantity, @UnitPrice)",
            lines.Select((l, i) => new { id, lineNo = i + 1, l.Sku, l.Quantity, l.UnitPrice }), t);

    /// <summary>
    /// Append-only history rows (views, page views, cart history, try-ons) of a batch, written per table at the end:
    /// Dapper runs one prepared command over all of a table's rows, instead of preparing a statement per event.
    /// </summary>
    private sealed class HistoryRows
    {
        private readonly Dictionary<string, List<DynamicParameters>> _rows = [];

        public void Add(string insert, DynamicParameters row)
        {
            if (!_rows.TryGetValue(insert, out var rows)) _rows[insert] = rows = [];
            rows.Add(row);
        }

        public void Write(IDbConnection c, IDbTransaction t)
        {
            foreach (var (insert, rows) in _rows) c.Execute(insert, rows, t);
            _rows.Clear();
        }
    }

    /// <summary>An event that is valid on its own but cannot be applied to what we know.</summary>
    private sealed class EventRefused(string title, string detail) : Exception(detail)
    {
        public string Title { get; } = title;
    }
}

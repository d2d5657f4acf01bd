using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using Omo.Clienteling.Catalog;
using Omo.Clienteling.CheckIns;
using Omo.Clienteling.Data;
using Omo.Clienteling.Holds;
using Omo.Clienteling.Members;
using Omo.Clienteling.Scanning;
using Omo.Clienteling.Staff;

namespace Omo.Clienteling.Ingestion;

/// <summary>What became of a batch: docs/events-api.md's answer.</summary>
public sealed record IngestResult(int Accepted, int Duplicates, IReadOnlyList<Rejection> Rejected, IReadOnlyList<PendingLink> Pending);

/// <summary>An accepted identity_linked held as a pending merge for a manager (docs/merges.md), and why.</summary>
public sealed record PendingLink(int Index, string EventId, long MergeId, IReadOnlyList<MergeRisk> Risks);

/// <summary>
/// Writes validated events into the unified member store. A batch is one transaction committed before the answer.
/// An event that cannot be applied to what we know (unknown member, unknown order) is refused and reported while
/// the rest of the batch lands: every handler checks before its first write, so a refusal leaves nothing behind
/// (cheaper than a savepoint per event). Any other failure rolls the whole batch back. Re-sent event ids are
/// duplicates: the database holds each (sender, eventId) once, so this stays true with several servers writing.
/// </summary>
public sealed class EventIngestor(
    OmoDatabase database, CheckInRecorder checkIns, SkuCatalog catalogue, StoreDirectory stores, DataVersions versions, IOptions<HoldOptions> holds,
    IOptions<MergeOptions> merges, TimeProvider clock)
{
    // SQLite has one writer: queueing batches here is cheaper than letting them spin on busy_timeout. PostgreSQL
    // writes a few batches at once; more would only queue on its locks and cores.
    private readonly SemaphoreSlim _writers = new(database.Dialect.ConcurrentWriters);

    public async Task<IngestResult> IngestAsync(string sender, IReadOnlyList<(int Index, IncomingEvent Event)> events, IReadOnlyList<Rejection> alreadyRejected, CancellationToken cancellationToken = default)
    {
        Written written;
        await _writers.WaitAsync(cancellationToken);
        try
        {
            // A deadlock with another server's batch runs the whole transaction again (InTransactionAsync).
            written = await database.InTransactionAsync((c, t) => WriteAsync(c, t, sender, events), cancellationToken);
        }
        finally
        {
            _writers.Release();
        }
        checkIns.Announce(written.CheckIns);
        // Stores, styles and SKUs changed: this server's lists now, the others' within DataVersions.PollEvery.
        if (written.CatalogueChanged) await versions.ReloadAsync(DataVersions.Dataset, cancellationToken);
        return new IngestResult(written.Accepted, written.Duplicates, alreadyRejected.Concat(written.Rejected).OrderBy(r => r.Index).ToList(), written.Pending);
    }

    private sealed record Written(int Accepted, int Duplicates, List<Rejection> Rejected, List<PendingLink> Pending, List<RecordedCheckIn> CheckIns, bool CatalogueChanged);

    /// <summary>What applying one event left to report: a check-in to announce, or a link held for a manager.</summary>
    private readonly record struct Applied(RecordedCheckIn? CheckIn = null, (long MergeId, IReadOnlyList<MergeRisk> Risks)? Held = null);

    private async Task<Written> WriteAsync(DbConnection c, DbTransaction t, string sender, IReadOnlyList<(int Index, IncomingEvent Event)> events)
    {
        var dialect = database.Dialect;
        var receivedAt = clock.GetUtcNow();
        // Claim the batch's ids first. An id someone already holds is a duplicate; a batch sent to two servers at once
        // waits here for the first and then finds its ids taken. Sorted, so two such batches lock in the same order.
        var ids = events.Select(e => e.Event.EventId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var claimed = (await c.QueryAsync<string>($"""
            INSERT INTO ingested_events (sender, event_id, received_at)
            SELECT @sender, value, @receivedAt FROM {dialect.ArrayRows("@ids")} WHERE TRUE ORDER BY value
            ON CONFLICT DO NOTHING RETURNING event_id
            """, new { sender, receivedAt, ids = dialect.Array(ids) }, t)).ToHashSet(StringComparer.Ordinal);

        var rejected = new List<Rejection>();
        var recorded = new List<RecordedCheckIn>();
        var held = new List<PendingLink>();
        var refused = new HashSet<string>(StringComparer.Ordinal);
        int accepted = 0, duplicates = 0;
        var catalogueChanged = false;
        // A browsing session sends many events for one member: the batch's identities are resolved together, once. Until
        // an event changes who is who (member_upserted, identity_linked), that answer holds for every event.
        var members = (await IdentityResolver.FindManyAsync(dialect, c, t,
                events.Where(e => e.Event.Identity is not null && claimed.Contains(e.Event.EventId)).Select(e => e.Event.Identity!)))
            .Where(r => r.Value.Outcome == LookupOutcome.Found).ToDictionary(r => r.Key, r => r.Value.MemberId!.Value);
        await using var history = dialect.BulkWriter(c).Join(t);
        await using var pending = dialect.PendingWrites(c, t);
        foreach (var (index, e) in events)
        {
            // Seen before, or earlier in this very batch.
            if (!claimed.Remove(e.EventId))
            {
                duplicates++;
                continue;
            }
            try
            {
                var applied = await ApplyAsync(c, t, sender, e, members, history, pending);
                if (applied.CheckIn is { } checkIn) recorded.Add(checkIn);
                if (applied.Held is { } merge) held.Add(new PendingLink(index, e.EventId, merge.MergeId, merge.Risks));
                catalogueChanged |= e.Data is StoreUpserted or ProductUpserted or ProductDiscontinued;
                if (e.Data is MemberUpserted or IdentityLinked or IdentityUnlinked) members.Clear(); // identities may now resolve elsewhere
                refused.Remove(e.EventId);
                accepted++;
            }
            catch (EventRefused refusal)
            {
                // Handlers refuse before their first write, so nothing of this event is in the transaction; its id is
                // given back, for a later copy in this batch or a corrected re-send.
                claimed.Add(e.EventId);
                refused.Add(e.EventId);
                rejected.Add(new Rejection(index, e.EventId, refusal.Title, refusal.Message));
            }
        }
        await pending.FlushAsync();
        await history.FlushAsync();
        if (refused.Count > 0)
            await c.ExecuteAsync($"DELETE FROM ingested_events WHERE sender = @sender AND event_id {dialect.InArray("@refused")}",
                new { sender, refused = dialect.Array(refused) }, t);
        if (catalogueChanged) await DataVersions.ChangedAsync(c, t, DataVersions.Dataset);
        return new Written(accepted, duplicates, rejected, held, recorded, catalogueChanged);
    }

    private async Task<Applied> ApplyAsync(DbConnection c, DbTransaction t, string sender, IncomingEvent e, Dictionary<MemberCode, long> members,
        BulkWriter history, PendingWrites pending)
    {
        // What follows may read carts, wishlists or stock levels (or moves rows by member, a merge): the writes still
        // waiting, which touch only those, go first. The events listed here read none of them, so a busy batch's
        // check-ins, or a count file's lines, do not each cost a flush.
        if (e.Data is not (ProductViewed or PageViewed or CartChanged or WishlistChanged or TriedOn or CheckedIn or StockCounted)) await pending.FlushAsync();
        // A merge moves history by member id: rows still buffered must be written before it.
        if (e.Data is MemberUpserted or IdentityLinked) await history.FlushAsync();
        await RequireCreatedAsync(c, t, e);
        if (e.Data is MemberUpserted upsert)
        {
            await UpsertMemberAsync(c, t, e, upsert);
            return default;
        }
        if (e.Identity is null)
        {
            await MasterData.ApplyAsync(database.Dialect, c, t, pending, e);
            return default;
        }
        if (!members.TryGetValue(e.Identity!, out var memberId)) members[e.Identity!] = memberId = await MemberAsync(c, t, e.Identity!, "identity");
        var at = e.OccurredAt.ToUnixTimeMilliseconds();
        switch (e.Data)
        {
            case IdentityLinked link:
                return new Applied(Held: await LinkAsync(c, t, memberId, e.Identity!, link.Identity, e.OccurredAt, new MergeCause(sender, e.EventId, link.Identity.StoredKind, link.Identity.Value)));
            case IdentityUnlinked unlink:
                await UnlinkAsync(c, t, memberId, unlink.Identity, e.OccurredAt);
                break;
            case ProductViewed v:
                history.Add("product_views", "member_id, occurred_at, sku, channel, seconds", memberId, at, v.Sku, v.Channel, v.Seconds);
                break;
            case PageViewed v:
                history.Add("page_views", "member_id, occurred_at, page, channel", memberId, at, v.Page, v.Channel);
                break;
            case CartChanged cart when cart.Added:
                await pending.AddAsync("""
                    INSERT INTO cart_lines (member_id, sku, quantity, added_at) VALUES (@memberId, @sku, @quantity, @at)
                    ON CONFLICT (member_id, sku) DO UPDATE SET quantity = cart_lines.quantity + excluded.quantity
                    """, ("memberId", memberId), ("sku", cart.Sku), ("quantity", cart.Quantity), ("at", at));
                history.Add("cart_events", "member_id, occurred_at, sku, quantity, action", memberId, at, cart.Sku, cart.Quantity, "added");
                break;
            case CartChanged cart:
                await pending.AddAsync("UPDATE cart_lines SET quantity = quantity - @quantity WHERE member_id = @memberId AND sku = @sku",
                    ("quantity", cart.Quantity), ("memberId", memberId), ("sku", cart.Sku));
                await pending.AddAsync("DELETE FROM cart_lines WHERE member_id = @memberId AND sku = @sku AND quantity <= 0", ("memberId", memberId), ("sku", cart.Sku));
                history.Add("cart_events", "member_id, occurred_at, sku, quantity, action", memberId, at, cart.Sku, cart.Quantity, "removed");
                break;
            case WishlistChanged wish when wish.Added:
                await pending.AddAsync("INSERT INTO wishlist_items (member_id, sku, added_at) VALUES (@memberId, @sku, @at) ON CONFLICT DO NOTHING",
                    ("memberId", memberId), ("sku", wish.Sku), ("at", at));
                break;
            case WishlistChanged wish:
                await pending.AddAsync("DELETE FROM wishlist_items WHERE member_id = @memberId AND sku = @sku", ("memberId", memberId), ("sku", wish.Sku));
                break;
            case OrderPlaced order:
                await PlaceOrderAsync(c, t, memberId, e.OccurredAt, order);
                break;
            case OrderProgressed progress:
                await ProgressOrderAsync(c, t, memberId, e.OccurredAt, progress);
                break;
            case PosReceipt receipt:
                await WriteReceiptAsync(database.Dialect, c, t, memberId, e.StoreId!, e.OccurredAt, receipt);
                break;
            case HoldRequested hold:
                await HoldLedger.RequestAsync(database.Dialect, c, t, memberId, e.StoreId!, e.OccurredAt, holds.Value.ClosesAt(e.StoreId!, hold.HoldUntil), hold);
                break;
            case HoldCancelled cancel:
                await HoldLedger.CancelAsync(c, t, memberId, e.OccurredAt, cancel.HoldId);
                break;
            case AppointmentBooked booking:
                await HoldLedger.BookAsync(c, t, memberId, e.StoreId!, e.OccurredAt, booking);
                break;
            case AppointmentCancelled cancel:
                await HoldLedger.CancelAppointmentAsync(c, t, memberId, e.OccurredAt, cancel.AppointmentId);
                break;
            case TriedOn tried:
                history.Add("try_ons", "member_id, occurred_at, store_id, sku", memberId, at, e.StoreId, tried.Sku);
                break;
            case CheckedIn checkedIn:
                return new Applied(CheckIn: await checkIns.RecordAsync(c, t, memberId, e.StoreId!, checkedIn.Source, e.OccurredAt));
            default:
                throw new InvalidOperationException($"No handler for {e.Data.GetType().Name}.");
        }
        return default;
    }

    /// <summary>The member an identity names. Unknown identities create nobody: only member_upserted creates members.</summary>
    private static async Task<long> MemberAsync(DbConnection c, DbTransaction t, MemberCode identity, string field)
    {
        var found = await IdentityResolver.FindAsync(c, t, identity);
        return found.Outcome switch
        {
            LookupOutcome.Found => found.MemberId!.Value,
            LookupOutcome.Erased => throw new EventRefused("Erased member", $"{field} {identity.StoredKind} '{identity.Value}' belongs to a member who was erased; nothing is recorded for them."),
            LookupOutcome.Revoked => throw new EventRefused("Revoked identifier", $"{field} {identity.StoredKind} '{identity.Value}' was revoked (lost or replaced card)."),
            _ => throw new EventRefused("Unknown member", $"No member has {field} {identity.StoredKind} '{identity.Value}'. Send member_upserted first."),
        };
    }

    private static async Task UpsertMemberAsync(DbConnection c, DbTransaction t, IncomingEvent e, MemberUpserted m)
    {
        var target = await IdentityResolver.FindAsync(c, t, new MemberCode(IdentifierKind.MemberNumber, MemberNumber.Format(m.MemberId)));
        if (target.Outcome == LookupOutcome.Erased) throw new EventRefused("Erased member", $"Member {MemberNumber.Format(m.MemberId)} was erased and is not re-created.");
        // A merged member number is updated on its survivor.
        var memberId = target.MemberId ?? m.MemberId;
        var identities = m.Identities.Where(i => i.Kind != IdentifierKind.MemberNumber).ToList();
        if (e.Identity is { Kind: not IdentifierKind.MemberNumber } envelope) identities.Add(envelope);
        foreach (var identity in identities)
        {
            var owner = await IdentityResolver.FindAsync(c, t, identity);
            if (owner.OwnerId is { } other && other != memberId)
                throw new EventRefused("Identity belongs to another member",
                    $"{identity.StoredKind} '{identity.Value}' belongs to member {MemberNumber.Format(other)}; send identity_linked to merge the two.");
        }
        await c.ExecuteAsync("""
            INSERT INTO members (member_id, family_name, given_name, family_name_kana, given_name_kana, birth_month, tier, home_store_id,
                                 email, phone, language, consent_online_behaviour, consent_marketing, created_at, updated_at)
            VALUES (@memberId, @FamilyName, @GivenName, @FamilyNameKana, @GivenNameKana, @BirthMonth, COALESCE(@Tier, 'regular'), @HomeStoreId,
                    @Email, @Phone, @Language, COALESCE(@online, FALSE), COALESCE(@marketing, FALSE), @at, @at)
            ON CONFLICT (member_id) DO UPDATE SET
                family_name = COALESCE(excluded.family_name, members.family_name), given_name = COALESCE(excluded.given_name, members.given_name),
                family_name_kana = COALESCE(excluded.family_name_kana, members.family_name_kana),
                given_name_kana = COALESCE(excluded.given_name_kana, members.given_name_kana),
                birth_month = COALESCE(excluded.birth_month, members.birth_month), tier = COALESCE(@Tier, members.tier),
                home_store_id = COALESCE(excluded.home_store_id, members.home_store_id), email = COALESCE(excluded.email, members.email),
                phone = COALESCE(excluded.phone, members.phone), language = COALESCE(excluded.language, members.language),
                consent_online_behaviour = COALESCE(@online, members.consent_online_behaviour),
                consent_marketing = COALESCE(@marketing, members.consent_marketing),
                updated_at = excluded.updated_at
            """, new
        {
            memberId, m.FamilyName, m.GivenName, m.FamilyNameKana, m.GivenNameKana, m.BirthMonth, m.Tier, m.HomeStoreId, m.Email, m.Phone, m.Language,
            online = m.Consent?.OnlineBehaviour, marketing = m.Consent?.Marketing, at = e.OccurredAt,
        }, t);
        await c.ExecuteAsync("""
            INSERT INTO member_identifiers (kind, value, member_id, status, linked_at) VALUES (@kind, @Value, @memberId, 'active', @at)
            ON CONFLICT DO NOTHING
            """, identities.Select(identity => new { kind = identity.StoredKind, identity.Value, memberId, at = e.OccurredAt }), t);
    }

    /// <summary>
    /// Links an identifier to the member. If it already names another member, the two are one person: merged at once, or,
    /// when the merge looks risky (MergeRules), held for a manager and answered as pending. A link that changes nothing
    /// (the identifier is already this member's, directly or through an earlier merge) is refused, so a sender that got
    /// its records mixed up hears about it.
    /// </summary>
    private async Task<(long, IReadOnlyList<MergeRisk>)?> LinkAsync(DbConnection c, DbTransaction t, long memberId, MemberCode envelope, MemberCode identity,
        DateTimeOffset at, MergeCause cause)
    {
        var owner = await IdentityResolver.FindAsync(c, t, identity);
        switch (owner.Outcome)
        {
            case LookupOutcome.Unknown when identity.Kind == IdentifierKind.MemberNumber:
                throw new EventRefused("Unknown member", $"data.identity member number '{identity.Value}' does not exist.");
            case LookupOutcome.Unknown:
                await c.ExecuteAsync("INSERT INTO member_identifiers (kind, value, member_id, status, linked_at) VALUES (@kind, @Value, @memberId, 'active', @at)",
                    new { kind = identity.StoredKind, identity.Value, memberId, at }, t);
                return null;
            case LookupOutcome.Erased:
                throw new EventRefused("Erased member", $"data.identity {identity.StoredKind} '{identity.Value}' belongs to an erased member.");
            case LookupOutcome.Revoked:
                throw new EventRefused("Revoked identifier", $"data.identity {identity.StoredKind} '{identity.Value}' was revoked and cannot be linked.");
        }
        var other = owner.MemberId!.Value;
        if (other == memberId)
        {
            var viaMerge = owner.ViaMerge || (await IdentityResolver.FindAsync(c, t, envelope)).ViaMerge;
            throw viaMerge
                ? new EventRefused("Link would make a cycle",
                    $"data.identity {identity.StoredKind} '{identity.Value}' and the event's identity already lead to member {MemberNumber.Format(memberId)} through an earlier merge; linking them again would merge the member with itself.")
                : new EventRefused("Already linked", $"data.identity {identity.StoredKind} '{identity.Value}' already belongs to member {MemberNumber.Format(memberId)}; nothing to link.");
        }
        var waiting = await c.ExecuteScalarAsync<long?>("""
            SELECT merge_id FROM merge_journal
            WHERE status = @pending AND ((survivor_member_id = @memberId AND merged_member_id = @other) OR (survivor_member_id = @other AND merged_member_id = @memberId))
            """, new { pending = MergeStatus.Pending, memberId, other }, t);
        if (waiting is { } mergeId)
            throw new EventRefused("Merge awaiting approval",
                $"Members {MemberNumber.Format(memberId)} and {MemberNumber.Format(other)} are already waiting to be merged (merge {mergeId}); a manager decides on /members/merges.");
        var risks = await MergeRules.AssessAsync(c, t, memberId, other, at, merges.Value);
        if (risks.Count > 0) return (await MemberMerger.HoldAsync(database.Dialect, c, t, memberId, other, at, cause, risks), risks);
        await MemberMerger.MergeKeepingOlderAsync(database.Dialect, c, t, memberId, other, at, cause);
        return null;
    }

    /// <summary>
    /// Takes an identifier off its member: later scans of it find nobody. The member keeps at least one identifier (a
    /// member nobody can scan or name would be lost), and the change is in the audit log.
    /// </summary>
    private static async Task UnlinkAsync(DbConnection c, DbTransaction t, long memberId, MemberCode identity, DateTimeOffset at)
    {
        if (identity.Kind == IdentifierKind.MemberNumber)
            throw new EventRefused("Member number cannot be unlinked", "data.identity is the member's own number; it always names them.");
        var owner = await IdentityResolver.FindAsync(c, t, identity);
        if (owner.OwnerId is null)
            throw new EventRefused("Unknown identifier", $"data.identity {identity.StoredKind} '{identity.Value}' belongs to nobody.");
        if (owner.OwnerId != memberId)
            throw new EventRefused("Identifier of another member", $"data.identity {identity.StoredKind} '{identity.Value}' does not belong to this identity's member.");
        var others = await c.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM member_identifiers WHERE member_id = @memberId AND status = 'active' AND NOT (kind = @kind AND value = @Value)
            """, new { memberId, kind = identity.StoredKind, identity.Value }, t);
        if (others == 0)
            throw new EventRefused("Last identifier", $"{identity.StoredKind} '{identity.Value}' is the member's last identifier; link another before unlinking it.");
        await c.ExecuteAsync("DELETE FROM member_identifiers WHERE kind = @kind AND value = @Value",
            new { kind = identity.StoredKind, identity.Value }, t);
        await AuditLog.RecordAsync(c, t, at, AuditActions.IdentityUnlinked, null, null, memberId, identity.StoredKind);
    }

    private static async Task PlaceOrderAsync(DbConnection c, DbTransaction t, long memberId, DateTimeOffset at, OrderPlaced order)
    {
        if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM orders WHERE order_id = @OrderId", order, t) > 0)
            throw new EventRefused("Order already exists", $"Order '{order.OrderId}' was placed before (with another eventId).");
        await c.ExecuteAsync("""
            INSERT INTO orders (order_id, member_id, channel, fulfilment, pickup_store_id, status, placed_at, total)
            VALUES (@OrderId, @memberId, @Channel, @Fulfilment, @PickupStoreId, 'placed', @at, @total)
            """, new { order.OrderId, memberId, order.Channel, order.Fulfilment, order.PickupStoreId, at, total = Total(order.Lines) }, t);
        await WriteLinesAsync(c, t, "order_lines", "order_id", order.OrderId, order.Lines);
    }

    private static async Task ProgressOrderAsync(DbConnection c, DbTransaction t, long memberId, DateTimeOffset at, OrderProgressed progress)
    {
        var row = await c.QuerySingleOrDefaultAsync<(long MemberId, string Fulfilment, string Status)?>(
            "SELECT member_id, fulfilment, status FROM orders WHERE order_id = @OrderId", new { progress.OrderId }, t);
        if (row is not { } r) throw new EventRefused("Unknown order", $"Order '{progress.OrderId}' has not been placed.");
        if (r.MemberId != memberId) throw new EventRefused("Order of another member", $"Order '{progress.OrderId}' does not belong to this identity's member.");
        var (fulfilment, status) = (ShopWord.Parse<Fulfilment>(r.Fulfilment), ShopWord.Parse<OrderStatus>(r.Status));
        if (status == progress.Status) return;
        var allowed = progress.Status == OrderStatus.ReadyForPickup
            ? fulfilment == Fulfilment.ClickAndCollect && status == OrderStatus.Placed
            : status == OrderStatus.Placed || status == OrderStatus.ReadyForPickup;
        if (!allowed) throw new EventRefused("Order cannot move", $"Order '{progress.OrderId}' is {status} ({fulfilment}) and cannot become {progress.Status}.");
        await c.ExecuteAsync(progress.Status == OrderStatus.ReadyForPickup
            ? "UPDATE orders SET status = 'ready_for_pickup', ready_at = @at WHERE order_id = @OrderId"
            : "UPDATE orders SET status = 'collected', collected_at = @at WHERE order_id = @OrderId",
            new { progress.OrderId, at }, t);
        // A click-and-collect order leaves its pickup shop's stock when the customer takes it.
        if (progress.Status == OrderStatus.Collected && fulfilment == Fulfilment.ClickAndCollect)
        {
            var lines = await c.QueryAsync<(string Sku, int Quantity, string StoreId)>("""
                SELECT l.sku, l.quantity, o.pickup_store_id FROM order_lines l JOIN orders o ON o.order_id = l.order_id WHERE l.order_id = @OrderId
                """, new { progress.OrderId }, t);
            await StockLedger.MoveAsync(c, t, at, lines.Select(l => new StockMove(l.Sku, l.StoreId, -l.Quantity, StockMoveReason.Collection, progress.OrderId)));
        }
    }

    private static async Task WriteReceiptAsync(SqlDialect dialect, DbConnection c, DbTransaction t, long memberId, string storeId, DateTimeOffset at, PosReceipt receipt)
    {
        if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM receipts WHERE receipt_id = @ReceiptId", receipt, t) > 0)
            throw new EventRefused("Receipt already exists", $"Receipt '{receipt.ReceiptId}' was recorded before (with another eventId).");
        // Returns carry a negative total, as the tills print them.
        var total = Total(receipt.Lines) * (receipt.Kind == ReceiptKind.Return ? -1 : 1);
        await c.ExecuteAsync("INSERT INTO receipts (receipt_id, member_id, store_id, kind, occurred_at, total) VALUES (@ReceiptId, @memberId, @storeId, @Kind, @at, @total)",
            new { receipt.ReceiptId, memberId, storeId, receipt.Kind, at, total }, t);
        await WriteLinesAsync(c, t, "receipt_lines", "receipt_id", receipt.ReceiptId, receipt.Lines);
        var (sign, reason) = receipt.Kind == ReceiptKind.Return ? (1, StockMoveReason.Return) : (-1, StockMoveReason.Sale);
        await StockLedger.MoveAsync(c, t, at, receipt.Lines.Select(l => new StockMove(l.Sku, storeId, sign * l.Quantity, reason, receipt.ReceiptId)));
        if (receipt.Kind == ReceiptKind.Sale)
            await HoldLedger.CompleteBySaleAsync(dialect, c, t, memberId, storeId, at, receipt.ReceiptId, receipt.Lines.Select(l => l.Sku));
    }

    /// <summary>
    /// The stores and SKUs an event names exist: the reader also accepts those an earlier event of the same batch
    /// creates, and that event may have been refused here. Only what the cached lists do not know is looked up.
    /// </summary>
    private async Task RequireCreatedAsync(DbConnection c, DbTransaction t, IncomingEvent e)
    {
        var newSkus = e.Data.Skus.Where(s => !catalogue.Exists(s)).Distinct().ToList();
        if (newSkus.Count > 0)
        {
            var found = (await c.QueryAsync<string>($"SELECT sku FROM skus WHERE sku {database.Dialect.InArray("@newSkus")}",
                new { newSkus = database.Dialect.Array(newSkus) }, t)).ToHashSet(StringComparer.Ordinal);
            if (newSkus.FirstOrDefault(s => !found.Contains(s)) is { } missing)
                throw new EventRefused("Unknown SKU", $"SKU '{missing}' is not in the catalogue (the product_upserted that would add it was refused).");
        }
        if (e.Data is not StoreUpserted && e.StoreId is { } storeId && stores.Find(storeId) is null
            && await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM stores WHERE store_id = @storeId", new { storeId }, t) == 0)
            throw new EventRefused("Unknown store", $"storeId '{storeId}' is not one of our stores (the store_upserted that would add it was refused).");
    }

    private static long Total(IEnumerable<Line> lines) => lines.Sum(l => l.Quantity * l.UnitPrice);

    private static Task WriteLinesAsync(DbConnection c, DbTransaction t, string table, string key, string id, IReadOnlyList<Line> lines) =>
        c.ExecuteAsync($"INSERT INTO {table} ({key}, line_no, sku, quantity, unit_price) VALUES (@id, @lineNo, @Sku, @Quantity, @UnitPrice)",
            lines.Select((l, i) => new { id, lineNo = i + 1, l.Sku, l.Quantity, l.UnitPrice }), t);


}

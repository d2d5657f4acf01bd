namespace Omo.Clienteling.Members;

/// <summary>Interleaves online and in-store moments, newest first, so a cross-channel story reads as one journey.</summary>
public static class Timeline
{
    public const int MaxEntries = 100;

    public static IReadOnlyList<TimelineEntry> Build(
        UnifiedProfile profile,
        IEnumerable<(string Sku, SalesChannel Channel, DateTimeOffset At)> views,
        IEnumerable<(string Sku, string Action, DateTimeOffset At)> cartEvents,
        IEnumerable<(string OrderId, DateTimeOffset? ReadyAt, DateTimeOffset? CollectedAt, string? PickupStoreId)> orderMilestones,
        Func<string, ProductInfo> product)
    {
        var entries = new List<TimelineEntry>();
        entries.AddRange(views.Select(v => new TimelineEntry(v.At, TimelineKind.ProductViewed, v.Channel, null, product(v.Sku), null)));
        entries.AddRange(profile.PageViews.Select(p => new TimelineEntry(p.At, TimelineKind.PageViewed, p.Channel, null, null, p.Page)));
        entries.AddRange(cartEvents.Select(c => new TimelineEntry(c.At, c.Action == "added" ? TimelineKind.CartAdded : TimelineKind.CartRemoved, SalesChannel.Ec, null, product(c.Sku), null)));
        entries.AddRange(profile.Wishlist.Select(w => new TimelineEntry(w.AddedAt, TimelineKind.WishlistAdded, SalesChannel.Ec, null, w.Item.Product, null)));
        foreach (var p in profile.Purchases)
        {
            var first = p.Lines.FirstOrDefault()?.Product;
            var detail = p.Lines.Count > 1 ? $"+{p.Lines.Count - 1}" : null;
            entries.Add(p.Channel == SalesChannel.Store
                ? new TimelineEntry(p.At, p.IsReturn ? TimelineKind.Returned : TimelineKind.Purchased, SalesChannel.Store, p.StoreId, first, detail)
                : new TimelineEntry(p.At, TimelineKind.OrderPlaced, p.Channel, p.Fulfilment == Fulfilment.ClickAndCollect ? p.StoreId : null, first, p.Fulfilment?.Wire));
        }
        foreach (var o in orderMilestones)
        {
            if (o.ReadyAt is { } ready && o.PickupStoreId is not null)
                entries.Add(new TimelineEntry(ready, TimelineKind.ReadyForPickup, SalesChannel.Store, o.PickupStoreId, null, o.OrderId));
            if (o.CollectedAt is { } collected && o.PickupStoreId is not null)
                entries.Add(new TimelineEntry(collected, TimelineKind.Collected, SalesChannel.Store, o.PickupStoreId, null, o.OrderId));
        }
        entries.AddRange(profile.TryOns.Select(t => new TimelineEntry(t.At, TimelineKind.TriedOn, SalesChannel.Store, t.StoreId, t.Item.Product, null)));
        entries.AddRange(profile.Visits.Select(v => new TimelineEntry(v.At, TimelineKind.CheckedIn, SalesChannel.Store, v.StoreId, null, v.Source.Wire)));
        entries.AddRange(profile.Holds.Select(h => new TimelineEntry(h.RequestedAt, TimelineKind.HoldRequested, SalesChannel.Store, h.StoreId,
            h.Lines.FirstOrDefault()?.Item.Product, h.Lines.Count > 1 ? $"+{h.Lines.Count - 1}" : null)));
        entries.AddRange(profile.Appointments.Select(a => new TimelineEntry(a.BookedAt, TimelineKind.AppointmentBooked, SalesChannel.Store, a.StoreId, null,
            a.Purpose.Wire)));
        entries.AddRange(profile.FollowUps.Select(f => new TimelineEntry(f.CreatedAt, TimelineKind.FollowUp, SalesChannel.App, f.StoreId, null, f.Message)));
        entries.AddRange(profile.Notes.Select(n => new TimelineEntry(n.CreatedAt, TimelineKind.Note, SalesChannel.Store, n.StoreId, null, n.Body)));
        return entries.OrderByDescending(e => e.At).ThenBy(e => e.Kind).Take(MaxEntries).ToList();
    }

    /// <summary>The timeline with a moment that has just happened on top (a note, a check-in at the door).</summary>
    public static IReadOnlyList<TimelineEntry> WithNewest(IReadOnlyList<TimelineEntry> timeline, TimelineEntry entry) =>
        [entry, .. timeline.Take(MaxEntries - 1)];
}

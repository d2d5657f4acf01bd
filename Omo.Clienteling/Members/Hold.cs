namespace Omo.Clienteling.Members;

/// <summary>One SKU kept for the customer: how many, and whether another shop has to send it (none here when asked).</summary>
public sealed record HeldItem(ProfileItem Item, int Quantity, bool ToTransfer);

/// <summary>
/// Items a customer asked one shop to keep (取り置き) until closing time on <see cref="HoldUntil"/>; the shop picks them
/// (prepared, perhaps into a fitting room) and a sale to the customer completes the hold.
/// </summary>
public sealed record Hold(
    string HoldId, string StoreId, HoldPurpose Purpose, HoldStatus Status, DateTimeOffset RequestedAt, DateOnly HoldUntil, DateTimeOffset ExpiresAt,
    DateTimeOffset? PreparedAt, string? Location, IReadOnlyList<HeldItem> Lines)
{
    /// <summary>Still waiting for the customer at <paramref name="now"/> (the sweep may not have marked it expired yet).</summary>
    public bool IsOpenAt(DateTimeOffset now) => Status.IsOpen && ExpiresAt > now;

    public int ItemCount => Lines.Sum(l => l.Quantity);

    public bool Prepared => Status == HoldStatus.Prepared;
}

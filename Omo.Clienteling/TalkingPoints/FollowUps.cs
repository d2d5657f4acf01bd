using System.Globalization;
using Dapper;
using Microsoft.Extensions.Options;
using Omo.Clienteling.Catalog;
using Omo.Clienteling.Data;
using Omo.Clienteling.Members;
using Omo.Clienteling.Scanning;
using Omo.Clienteling.Staff;
using Omo.Clienteling.Webhooks;

namespace Omo.Clienteling.TalkingPoints;

/// <summary>What the tablet suggests sending: the message in the customer's language and the items it is about.</summary>
public sealed record FollowUpDraft(string? RuleId, string Language, string Message, IReadOnlyList<ProductInfo> Items);

/// <summary>A follow-up that may not be sent (no marketing consent, text refused).</summary>
public sealed class FollowUpRefused(string message) : Exception(message);

/// <summary>
/// Follow-ups after a visit (docs/webhooks.md, <c>followup.requested</c>): the tablet suggests a message from the talking
/// point the assistant used — the piece that goes with what they tried on, in their size, on the shelf here — in the
/// customer's own language; the assistant edits and sends it; the retailer's app or marketing tool delivers it. Only
/// for members who accept marketing, checked again in the transaction that writes it.
/// </summary>
public sealed class FollowUps(OmoDatabase database, WebhookOutbox outbox, StoreStockCache stock, StoreDirectory stores,
    IOptions<TalkingPointOptions> options, TimeProvider clock)
{
    public const int MaxMessageLength = 500, MaxItems = 5;
    private static readonly System.Resources.ResourceManager Resources = new("Omo.Clienteling.Resources.SharedResource", typeof(SharedResource).Assembly);

    public async Task<FollowUpDraft> SuggestAsync(UnifiedProfile profile, TalkingPoint? used)
    {
        var now = clock.GetUtcNow();
        var language = profile.Member.Language == "en" ? "en" : "ja";
        var culture = CultureInfo.GetCultureInfo(language == "en" ? "en-US" : "ja-JP");
        var japanese = language == "ja";
        var anchor = used?.Products.FirstOrDefault()?.Product;
        var facts = new TalkingPointEngine.Facts(profile, await stock.ForAsync(profile.StoreId), now, options.Value);
        var complement = anchor is null ? null : facts.Complement(anchor)?.Product;
        var store = stores.Find(profile.StoreId)?.Name(japanese) ?? profile.StoreId;
        var name = japanese ? profile.Member.FamilyName ?? "" : profile.Member.GivenName ?? profile.Member.FamilyName ?? "";
        var (key, items) = (anchor, complement) switch
        {
            ({ } a, { } c) => ("FollowUp.WithComplement", new List<ProductInfo> { c, a }),
            ({ } a, null) => ("FollowUp.WithProduct", [a]),
            _ => ("FollowUp.Thanks", new List<ProductInfo>()),
        };
        var text = string.Format(culture, Resources.GetString(key, culture)!, name, complement?.Name(japanese) ?? "", anchor?.Name(japanese) ?? "",
            ShopTime.DayOf(now).ToDateTime(TimeOnly.MinValue), store);
        return new FollowUpDraft(used?.RuleId, language, text, items);
    }

    /// <summary>Writes the follow-up, its audit row and its message to the outbox in one transaction; returns its id.</summary>
    public async Task<FollowUp> SendAsync(long memberId, string storeId, string staffCode, FollowUpDraft draft, string message)
    {
        message = message.Trim();
        if (message.Length == 0) throw new FollowUpRefused("Write a message first.");
        if (SafeText.Check(message, MaxMessageLength, multiline: true) is { } problem) throw new TextRefusedException("message", problem);
        var skus = draft.Items.Select(i => i.Sku).Distinct().Take(MaxItems).ToList();
        var now = clock.GetUtcNow();
        var followUp = new FollowUp("fu_" + Guid.CreateVersion7(now).ToString("N"), storeId, staffCode, draft.RuleId, message, skus, now);
        await database.InTransactionAsync(async (c, t) =>
        {
            var marketing = await c.QuerySingleOrDefaultAsync<bool?>(
                $"SELECT consent_marketing FROM members WHERE member_id = @memberId AND erased_at IS NULL{database.Dialect.ForUpdate}", new { memberId }, t);
            if (marketing != true) throw new FollowUpRefused("This customer does not accept marketing messages: nothing is sent.");
            await c.ExecuteAsync("""
                INSERT INTO follow_ups (follow_up_id, member_id, store_id, staff_code, rule_id, language, message, skus, created_at)
                VALUES (@FollowUpId, @memberId, @StoreId, @StaffCode, @RuleId, @language, @Message, @skus, @CreatedAt)
                """, new { followUp.FollowUpId, memberId, followUp.StoreId, followUp.StaffCode, followUp.RuleId, language = draft.Language, followUp.Message,
                skus = string.Join(' ', skus), followUp.CreatedAt }, t);
            await AuditLog.RecordAsync(c, t, now, AuditActions.FollowUpRequested, staffCode, storeId, memberId, followUp.FollowUpId);
            await WebhookOutbox.EnqueueAsync(c, t, WebhookTopics.FollowUpRequested, storeId, memberId, new
            {
                followUpId = followUp.FollowUpId, memberNo = MemberNumber.Format(memberId), storeId, staffCode, message, skus, language = draft.Language,
                rule = draft.RuleId,
            }, now);
        });
        outbox.Committed();
        return followUp;
    }
}

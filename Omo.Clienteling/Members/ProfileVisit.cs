using Microsoft.Extensions.Options;
using Omo.Clienteling.Catalog;
using Omo.Clienteling.Data;
using Omo.Clienteling.CheckIns;
using Omo.Clienteling.Scanning;
using Omo.Clienteling.Staff;
using Omo.Clienteling.TalkingPoints;

namespace Omo.Clienteling.Members;

/// <summary>
/// One tablet's view of one customer, from the scan to the last note: the code is resolved once, the profile assembled
/// once, the talking points suggested once, and the view audited and its points recorded as shown once. A note, a
/// check-in at the door or a talking point marked used change the profile on screen in place, without assembling it
/// again. Pages only lay out what this holds.
/// </summary>
public sealed class ProfileVisit(
    MemberLookupService lookups, IdentityResolver resolver, ProfileService profiles, TalkingPointService talkingPoints, TalkingPointFeedback feedback,
    StaffNotes notes, DoorCheckIn door, AuditLog audit, ShopContext shop, ProductShelf shelf, FollowUps followUps, IOptions<CheckInOptions> checkIns,
    SqlDialect dialect, TimeProvider clock)
{
    private readonly Dictionary<string, string> _marked = [];

    // A profile being assembled for the member just scanned, and how the open one was reached (for its audit row).
    private (string MemberNo, Task<Loaded> Task)? _prefetched;
    private string _via = VisitSources.Link;

    /// <summary>The customer on screen, once opened.</summary>
    public UnifiedProfile? Profile { get; private set; }

    /// <summary>The reasons to approach them, best first.</summary>
    public IReadOnlyList<TalkingPoint> Points { get; private set; } = [];

    /// <summary>What the assistant has marked on this view, by rule.</summary>
    public IReadOnlyDictionary<string, string> Marked => _marked;

    /// <summary>Why nothing is shown: the outcome of a lookup that found nobody.</summary>
    public MemberLookup? Problem { get; private set; }

    /// <summary>The identifier that found them, when they were scanned or searched for on this tablet.</summary>
    public IdentifierKind? FoundBy { get; private set; }

    /// <summary>Found through a record merged into this member.</summary>
    public bool ViaMerge { get; private set; }

    /// <summary>
    /// A scan or typed search: the code is resolved here, and the address to open comes back (the member's profile,
    /// saying how they were found), or null with <see cref="Problem"/> set. The profile page then opens that address
    /// without resolving again. A product's tag (a JAN in the catalogue) opens that product in this shop instead, with
    /// the customer on screen kept in context.
    /// </summary>
    public async Task<string?> FindAsync(string? input, string via)
    {
        var lookup = await lookups.LookupAsync(input);
        if (lookup is { Outcome: LookupOutcome.Malformed, Reason: MalformedReason.NotAMemberCard } && await shelf.FindByJanAsync(lookup.Input.Trim()) is { } product)
        {
            Problem = null;
            return $"/products/{Uri.EscapeDataString(product.StyleCode)}?sku={Uri.EscapeDataString(product.Sku)}"
                + (Profile is { } customer ? $"&for={customer.Member.MemberNo}" : "");
        }
        if (lookup.Outcome != LookupOutcome.Found)
        {
            Problem = lookup;
            return null;
        }
        Problem = null;
        // The profile is assembled while the tablet goes to its address (a round trip to the browser and back), and
        // the page takes it from here when it opens.
        _prefetched = (lookup.MemberNo!, LoadAsync(lookup));
        var how = $"?via={via}&by={lookup.MatchedBy!.Kind.Name()}" + (lookup.ViaMerge ? "&merged=true" : "");
        return $"/members/{lookup.MemberNo}{how}";
    }

    /// <summary>What opening a profile reads: the lookup, and for a member still there, their profile and talking points.</summary>
    private sealed record Loaded(MemberLookup Lookup, UnifiedProfile? Profile, IReadOnlyList<TalkingPoint> Points);

    private async Task<Loaded> LoadAsync(MemberLookup lookup)
    {
        if (lookup.Outcome != LookupOutcome.Found) return new(lookup, null, []);
        var profile = await profiles.AssembleAsync(lookup.MemberId!.Value, shop.StoreId);
        return new(lookup, profile, profile is null ? [] : await talkingPoints.ForAsync(profile));
    }

    /// <summary>
    /// Opens the profile at <paramref name="memberNo"/> (then <see cref="RecordViewAsync"/> once it is shown). Returns the
    /// address to go to instead when that number was merged into another member (the survivor under its own number).
    /// </summary>
    public async Task<string?> OpenAsync(string memberNo, string? via, string? by, bool viaMerge)
    {
        Profile = null;
        Points = [];
        _marked.Clear();
        Problem = null;
        // Scanned on this tablet a moment ago: resolved and being assembled already. Otherwise (a link, a reload) the
        // number is resolved here.
        var loaded = _prefetched is { } prefetched && prefetched.MemberNo == memberNo ? await prefetched.Task : null;
        _prefetched = null;
        var lookup = loaded?.Lookup ?? await resolver.ResolveAsync(MemberNumber.TryParse(memberNo, out _)
            ? ParsedMemberCode.Recognised(memberNo, IdentifierKind.MemberNumber, memberNo)
            : ParsedMemberCode.Malformed(memberNo, MalformedReason.WrongLength));
        if (lookup.Outcome != LookupOutcome.Found)
        {
            Problem = lookup;
            return null;
        }
        if (lookup.MemberNo != memberNo) return $"/members/{lookup.MemberNo}?via={VisitSources.Link}&merged=true";
        loaded ??= await LoadAsync(lookup);

        via = via is not null && VisitSources.All.Contains(via) ? via : VisitSources.Link;
        FoundBy = via == VisitSources.Link ? null : IdentifierKinds.FromName(by);
        ViaMerge = viaMerge;
        if (loaded.Profile is null)
        {
            Problem = lookup with { Outcome = LookupOutcome.Erased };
            return null;
        }
        Profile = loaded.Profile;
        Points = loaded.Points;
        _via = via;
        return null;
    }

    /// <summary>
    /// Writes the view down: the audit row, and the points shown (the report's denominator). Called once the customer
    /// is on screen, so the assistant does not wait for two writes; if the database refuses the audit row it waits on
    /// disk (<see cref="AuditLog"/>), and the customer is still shown: the assistant in front of them comes first.
    /// </summary>
    public async Task RecordViewAsync()
    {
        if (Profile is not { } profile) return;
        var member = profile.Member.MemberId;
        await audit.RecordAsync(AuditActions.ProfileViewed, shop.StaffCode, shop.StoreId, member, FoundBy is { } kind ? $"{_via}:{kind.Name()}" : _via);
        await feedback.RecordAsync(member, shop.StoreId, shop.StaffCode, Points.Take(talkingPoints.Prominent).Select(p => p.RuleId), FeedbackActions.Shown);
    }

    /// <summary>
    /// Adds a note and shows it at once (refused text throws <see cref="TextRefusedException"/>). False when the database
    /// is not taking changes: nothing was saved, and the assistant keeps what they typed.
    /// </summary>
    public async Task<bool> AddNoteAsync(string text)
    {
        var profile = Profile ?? throw new InvalidOperationException("No profile is open.");
        long id;
        try
        {
            id = await notes.AddAsync(profile.Member.MemberId, shop.StaffCode, shop.StoreId, text);
        }
        catch (Exception e) when (dialect.IsUnavailable(e))
        {
            return false;
        }
        await audit.RecordAsync(AuditActions.NoteAdded, shop.StaffCode, shop.StoreId, profile.Member.MemberId, null);
        var note = new StaffNote(id, shop.StaffCode, shop.Staff.Name, shop.StoreId, text.Trim(), clock.GetUtcNow());
        Profile = profile with
        {
            Notes = [note, .. profile.Notes],
            Timeline = Timeline.WithNewest(profile.Timeline, new TimelineEntry(note.CreatedAt, TimelineKind.Note, SalesChannel.Store, note.StoreId, null, note.Body)),
        };
        return true;
    }

    /// <summary>This member's visit to this store that is still open (the window that makes repeated check-ins one visit).</summary>
    public StoreVisit? CurrentVisit =>
        Profile?.Visits.FirstOrDefault(v => v.StoreId == shop.StoreId && clock.GetUtcNow() - v.At < checkIns.Value.VisitWindow);

    /// <summary>The assistant checks the customer in at the door: the board hears of it, the profile shows the visit.</summary>
    public async Task CheckInAsync()
    {
        var profile = Profile ?? throw new InvalidOperationException("No profile is open.");
        if (await door.RecordAsync(profile.Member.MemberId, shop.StoreId) is not { } recorded) return;
        var visit = new StoreVisit(recorded.CheckInId, recorded.StoreId, recorded.Source, recorded.OccurredAt);
        Profile = profile with
        {
            Visits = [visit, .. profile.Visits],
            Timeline = Timeline.WithNewest(profile.Timeline, new TimelineEntry(visit.At, TimelineKind.CheckedIn, SalesChannel.Store, visit.StoreId, null, visit.Source.Wire)),
        };
        // A visit can answer a reason (a booking page they did not finish) or end one (a first visit): the points follow.
        Points = await talkingPoints.ForAsync(Profile);
    }

    /// <summary>What to send after the visit: from the point used on this view (else the first), in the customer's language.</summary>
    public Task<FollowUpDraft> SuggestFollowUpAsync()
    {
        var profile = Profile ?? throw new InvalidOperationException("No profile is open.");
        var used = Points.FirstOrDefault(p => _marked.GetValueOrDefault(p.RuleId) == FeedbackActions.Used) ?? Points.FirstOrDefault();
        return followUps.SuggestAsync(profile, used);
    }

    /// <summary>
    /// Sends the follow-up (refused without marketing consent or with text that hides what it says: <see cref="FollowUpRefused"/>,
    /// <see cref="TextRefusedException"/>) and shows it on the timeline at once.
    /// </summary>
    public async Task SendFollowUpAsync(FollowUpDraft draft, string message)
    {
        var profile = Profile ?? throw new InvalidOperationException("No profile is open.");
        var sent = await followUps.SendAsync(profile.Member.MemberId, shop.StoreId, shop.StaffCode, draft, message);
        Profile = profile with
        {
            FollowUps = [sent, .. profile.FollowUps],
            Timeline = Timeline.WithNewest(profile.Timeline, new TimelineEntry(sent.CreatedAt, TimelineKind.FollowUp, SalesChannel.App, sent.StoreId, null, sent.Message)),
        };
    }

    /// <summary>The assistant used or dismissed a talking point.</summary>
    public async Task MarkAsync(TalkingPoint point, string action)
    {
        var profile = Profile ?? throw new InvalidOperationException("No profile is open.");
        var recorded = action == FeedbackActions.Used
            ? await feedback.RecordUsedAsync(profile.Member.MemberId, shop.StoreId, shop.StaffCode, point.RuleId,
                point.Products.Select(p => p.Product.Sku).Distinct().ToList(), profile.Member.ConsentMarketing)
            : await feedback.RecordAsync(profile.Member.MemberId, shop.StoreId, shop.StaffCode, point.RuleId, action);
        if (recorded) _marked[point.RuleId] = action;
    }
}

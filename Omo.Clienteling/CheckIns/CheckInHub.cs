using System.Security.Claims;
using System.Threading.Channels;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Omo.Clienteling.Demo;
using Omo.Clienteling.Ingestion;
using Omo.Clienteling.Staff;

namespace Omo.Clienteling.CheckIns;

/// <summary>What the hub calls on its clients (docs/hub.md).</summary>
public interface ICheckInClient
{
    Task CheckedIn(CheckInAlert alert);
    Task Claimed(ClaimNotice claim);
}

/// <summary>
/// <c>/hubs/checkins</c>. A connection joins the group of the stores its credential allows — a staff member's own
/// store, an API key's named stores — and nothing else: there is no method to join another group.
/// </summary>
[Authorize(Policy = CheckInAudience.Policy)]
public sealed class CheckInHub(CheckInAlerts alerts, CheckInClaims claims) : Hub<ICheckInClient>
{
    public const string Path = "/hubs/checkins";

    public override async Task OnConnectedAsync()
    {
        foreach (var store in CheckInAudience.StoresOf(Context.User!))
            await Groups.AddToGroupAsync(Context.ConnectionId, CheckInAudience.Group(store));
        await base.OnConnectedAsync();
    }

    /// <summary>The check-ins of the caller's stores from <paramref name="since"/> on, newest first: what a reconnecting client missed.</summary>
    public Task<IReadOnlyList<CheckInAlert>> GetRecent(DateTimeOffset since) => alerts.RecentAsync(CheckInAudience.StoresOf(Context.User!), since);

    /// <summary>"I'll go". Only staff of the check-in's store claim; everyone there is told who.</summary>
    public async Task<ClaimNotice> Claim(long checkInId)
    {
        var staff = StaffMember.From(Context.User) ?? throw new HubException("Only signed-in staff can claim a check-in.");
        var (outcome, notice) = await claims.ClaimAsync(checkInId, staff);
        return outcome switch
        {
            CheckInClaims.Outcome.Claimed or CheckInClaims.Outcome.AlreadyClaimed => notice!,
            CheckInClaims.Outcome.OtherStore => throw new HubException("That check-in is in another store."),
            _ => throw new HubException($"There is no check-in {checkInId}."),
        };
    }
}

/// <summary>Who may listen to check-ins, and for which stores.</summary>
public static class CheckInAudience
{
    public const string Policy = "checkins:subscribe";
    public const string AllStores = "*";

    public static string Group(string store) => "store:" + store;

    /// <summary>
    /// Staff: associates and managers their own store, trainers and admins every store (they choose one in the app).
    /// API keys: the stores they name. The server's own feed connection: every store.
    /// </summary>
    public static IReadOnlyList<string> StoresOf(ClaimsPrincipal user)
    {
        if (StaffMember.From(user) is { } staff) return staff.ChoosesStore ? [AllStores] : [staff.StoreId];
        if (user.HasClaim(InternalHubToken.Claim, "1")) return [AllStores];
        if (user.HasClaim(ApiKeyClaims.Permission, ApiPermissions.CheckInsRead))
        {
            var stores = user.FindAll(ApiKeyClaims.Store).Select(c => c.Value).ToList();
            return stores.Contains(ApiKeyClaims.AllStores) ? [AllStores] : stores;
        }
        return [];
    }

    public static AuthorizationBuilder AddCheckInPolicy(this AuthorizationBuilder builder) => builder.AddPolicy(Policy, p => p
        .AddAuthenticationSchemes(StaffAuthentication.Scheme, ApiKeyClaims.Scheme, InternalHubToken.Scheme)
        .RequireAuthenticatedUser()
        .AddRequirements(new CheckInReaderRequirement()));
}

public sealed class CheckInReaderRequirement : IAuthorizationRequirement;

/// <summary>Staff of the shop floor (trainers only on demo data), keys with <c>checkins:read</c>, the server's own feed.</summary>
public sealed class CheckInReaderHandler(DemoDataset dataset) : AuthorizationHandler<CheckInReaderRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, CheckInReaderRequirement requirement)
    {
        var staff = StaffMember.From(context.User);
        var allowed = staff is not null
            ? staff.Role != StaffRoles.Trainer || dataset.IsDemo
            : CheckInAudience.StoresOf(context.User).Count > 0;
        if (allowed) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}

/// <summary>Sends alerts and claims to the groups of the store and of every store (through the Redis backplane when configured).</summary>
public sealed class CheckInBroadcaster(IHubContext<CheckInHub, ICheckInClient> hub)
{
    public Task CheckedInAsync(CheckInAlert alert) => Task.WhenAll(
        hub.Clients.Group(CheckInAudience.Group(alert.StoreId)).CheckedIn(alert),
        hub.Clients.Group(CheckInAudience.Group(CheckInAudience.AllStores)).CheckedIn(alert));

    public Task ClaimedAsync(ClaimNotice claim) => Task.WhenAll(
        hub.Clients.Group(CheckInAudience.Group(claim.StoreId)).Claimed(claim),
        hub.Clients.Group(CheckInAudience.Group(CheckInAudience.AllStores)).Claimed(claim));
}

/// <summary>
/// Turns committed check-ins into alerts off the writer's path: the events API answers without waiting for profiles to
/// be assembled, and alerts go out in order.
/// </summary>
public sealed class CheckInNotifier(CheckInRecorder recorder, CheckInAlerts alerts, CheckInBroadcaster broadcaster, ILogger<CheckInNotifier> logger)
    : BackgroundService
{
    private static readonly int Builders = Math.Max(1, Environment.ProcessorCount / 2);

    private readonly Channel<RecordedCheckIn> _queue = Channel.CreateUnbounded<RecordedCheckIn>(new UnboundedChannelOptions { SingleReader = true });

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        recorder.Recorded += Enqueue;
        return base.StartAsync(cancellationToken);
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        recorder.Recorded -= Enqueue;
        return base.StopAsync(cancellationToken);
    }

    private void Enqueue(IReadOnlyList<RecordedCheckIn> checkIns)
    {
        foreach (var checkIn in checkIns) _queue.Writer.TryWrite(checkIn);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        var batch = new List<RecordedCheckIn>();
        while (await reader.WaitToReadAsync(stoppingToken))
        {
            // A rush arrives in batches: build their alerts (a profile each) side by side, then send them in order. Alerts
            // are background work: they take at most half the cores, and the events API and the tablets keep the rest.
            batch.Clear();
            while (batch.Count < 64 && reader.TryRead(out var checkIn)) batch.Add(checkIn);
            var built = new CheckInAlert?[batch.Count];
            await Parallel.ForAsync(0, batch.Count, new ParallelOptions { MaxDegreeOfParallelism = Builders, CancellationToken = stoppingToken },
                async (i, _) => built[i] = await TryBuildAsync(batch[i]));
            foreach (var alert in built)
                if (alert is not null) await broadcaster.CheckedInAsync(alert);
        }
    }

    private async Task<CheckInAlert?> TryBuildAsync(RecordedCheckIn checkIn)
    {
        try { return await alerts.ForAsync(checkIn); }
        catch (Exception e)
        {
            // The check-in is stored: clients catch up through GetRecent. Keep announcing the others.
            logger.LogError(e, "Could not announce check-in {CheckInId}", checkIn.CheckInId);
            return null;
        }
    }
}

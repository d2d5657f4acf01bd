using Omo.Clienteling.Data;

namespace Omo.Clienteling.CheckIns;

/// <summary>The assistant's "checked in" button at the door: the same recorder as the app's and the beacons' check-ins.</summary>
public sealed class DoorCheckIn(OmoDatabase database, CheckInRecorder recorder, TimeProvider clock)
{
    /// <summary>Records the check-in; null when the member is already in the middle of a visit here.</summary>
    public async Task<RecordedCheckIn?> RecordAsync(long memberId, string storeId)
    {
        var recorded = await database.InTransactionAsync((c, t) => recorder.RecordAsync(c, t, memberId, storeId, CheckInSource.Staff, clock.GetUtcNow()));
        if (recorded is not null) recorder.Announce([recorded]);
        return recorded;
    }
}

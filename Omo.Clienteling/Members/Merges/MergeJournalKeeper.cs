using Dapper;
using Microsoft.Extensions.Options;
using Omo.Clienteling.Data;

namespace Omo.Clienteling.Members;

/// <summary>
/// Makes merges final once <see cref="MergeOptions.SplitWithinDays"/> have passed (docs/merges.md): their journal entries
/// forget the merged record's personal data, identifiers and rows, and the database's old copies of them are scrubbed as
/// for an erasure. Each server sweeps; an entry already forgotten is not read again, so two servers sweeping at once agree.
/// </summary>
public sealed class MergeJournalKeeper(OmoDatabase database, IOptions<MergeOptions> options, TimeProvider clock, ILogger<MergeJournalKeeper> logger)
    : PeriodicSweep(clock, logger)
{
    // Entries per transaction: a first sweep over years of merges does not hold one long transaction.
    private const int Chunk = 200;

    protected override TimeSpan Every => TimeSpan.FromHours(1);

    protected override string Failure => "Making old merges final failed";

    protected override Task SweepOnceAsync(CancellationToken cancellationToken) => SweepAsync(cancellationToken);

    /// <summary>
    /// Forgets the journal of every merge that can no longer be split. Returns how many entries it forgot. The status is
    /// written out, not a parameter, so that both databases can use the partial index of migration 010.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var finalBefore = Clock.GetUtcNow() - options.Value.SplitWindow;
        var forgotten = 0;
        int done;
        do
        {
            done = await database.InTransactionAsync(async (c, t) =>
            {
                var due = (await c.QueryAsync<(long MergeId, string Moved)>(new CommandDefinition($"""
                    SELECT merge_id, moved FROM merge_journal
                    WHERE status = '{MergeStatus.Applied.Wire}' AND moved IS NOT NULL AND merged_at < @finalBefore
                    ORDER BY merged_at LIMIT {Chunk}{database.Dialect.ForUpdateSkipLocked}
                    """, new { finalBefore }, t, cancellationToken: cancellationToken))).ToList();
                foreach (var (mergeId, moved) in due)
                    await MergeJournal.FromJson(moved).ForgetAsync(c, t, mergeId);
                return due.Count;
            }, cancellationToken);
            forgotten += done;
        }
        while (done == Chunk);
        if (forgotten > 0) await database.Dialect.ScrubAsync(["merge_journal"], cancellationToken);
        return forgotten;
    }
}

using Dapper;
using Microsoft.Extensions.Options;
using Omo.Clienteling.Data;
using Omo.Clienteling.Staff;

namespace Omo.Clienteling.Demo;

/// <summary>Loads the demo dataset into the member store, on first start and when a trainer resets it.</summary>
public sealed class DemoDataService(
    OmoDatabase database, DemoDataset dataset, DataVersions versions, StaffSessions sessions, IOptions<DemoOptions> options, TimeProvider clock,
    ILogger<DemoDataService> logger)
{
    /// <summary>
    /// Kept across a reset: the schema's own record, the audit log (which nothing deletes), the key ring, the cache
    /// versions, the sessions of the people signed in, the sign-in limits and the webhook subscriptions (which belong to
    /// the running servers and the people and systems using them, not to the dataset; messages about the old demo
    /// members go with them).
    /// </summary>
    private static readonly HashSet<string> Kept =
        ["schema_version", "audit_log", "data_versions", "data_protection_keys", "staff_sessions", "sign_in_throttle", "webhook_subscriptions"];

    public async Task<bool> IsEmptyAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM stores") == 0;
    }

    public async Task<DemoDataGenerator.Result> LoadAsync(CancellationToken cancellationToken = default)
    {
        var result = await LoadAsync(database, Generator(), cancellationToken);
        await versions.ReloadAsync(DataVersions.Dataset, cancellationToken);
        logger.LogInformation("Demo dataset loaded: {Members} members, {Rows} rows in {Elapsed}", result.Members, result.Rows, result.Elapsed);
        return result;
    }

    /// <summary>
    /// Puts the demo data back to its generated state for today, in one transaction while the app runs: tablets (on
    /// every server) keep reading the old data until the new is complete. Refused on real customers' data.
    /// </summary>
    public async Task<DemoDataGenerator.Result> ResetAsync(StaffMember by, CancellationToken cancellationToken = default)
    {
        if (!dataset.IsDemo) throw new InvalidOperationException("This database holds real customers' data, not the demo dataset: it cannot be reset.");
        DemoDataGenerator.Result result;
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var writer = database.Dialect.BulkWriter(connection))
        {
            await writer.BeginAsync(cancellationToken);
            // Foreign keys are checked at commit, when parents and children are back.
            foreach (var table in (await database.Dialect.TablesAsync(connection, writer.Transaction)).Where(t => !Kept.Contains(t)))
                await connection.ExecuteAsync($"DELETE FROM {table}", transaction: writer.Transaction);
            result = await Generator().WriteAsync(writer, cancellationToken: cancellationToken);
            await DataVersions.ChangedAsync(connection, writer.Transaction, DataVersions.Dataset);
            await AuditLog.RecordAsync(connection, writer.Transaction, clock.GetUtcNow(), AuditActions.DemoReset, by.Code, by.StoreId, null,
                $"{result.Members} members, {result.Rows} rows");
            await writer.CompleteAsync(cancellationToken);
        }
        // Staff added since the demo began are gone with it, and so are their sign-ins.
        await sessions.EndWithoutStaffAsync();
        await versions.ReloadAsync(DataVersions.Dataset, cancellationToken);
        logger.LogInformation("Demo dataset reset by {Staff}: {Rows} rows in {Elapsed}", by.Code, result.Rows, result.Elapsed);
        return result;
    }

    /// <summary>Writes a generated dataset into an empty, migrated database (also how the tests and the benchmark load one).</summary>
    public static async Task<DemoDataGenerator.Result> LoadAsync(OmoDatabase database, DemoDataGenerator generator, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var writer = database.Dialect.BulkWriter(connection);
        await writer.BeginLoadAsync(cancellationToken);
        var result = await generator.WriteAsync(writer, cancellationToken: cancellationToken);
        await DataVersions.ChangedAsync(writer.Connection, writer.Transaction, DataVersions.Dataset);
        await writer.CompleteAsync(cancellationToken);
        return result;
    }

    private DemoDataGenerator Generator() => new(options.Value.Seed, clock.Today(), options.Value.Members);
}

using System.Text.Json;
using Omo.Clienteling.Data;

namespace Omo.Clienteling.Staff;

/// <summary>
/// Audit rows the database could not take (read-only, disk full): appended to a local file, flushed to disk before the
/// assistant sees anything, and written to the database by <see cref="AuditSpillWriter"/> as soon as it accepts them.
/// One file per server, in <c>App_Data</c>.
/// </summary>
public sealed class AuditSpill(IHostEnvironment environment, Microsoft.Extensions.Options.IOptions<StaffOptions> options, ILogger<AuditSpill> logger)
{
    private readonly SemaphoreSlim _file = new(1, 1);

    public string Path { get; } = System.IO.Path.Combine(options.Value.AuditSpillFolder ?? System.IO.Path.Combine(environment.ContentRootPath, "App_Data"), "audit-spill.ndjson");

    public async Task AppendAsync(AuditRow row)
    {
        await _file.WaitAsync();
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            await using var file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
            await file.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(row));
            file.WriteByte((byte)'\n');
            file.Flush(flushToDisk: true);
            logger.LogWarning("The database refused an audit row ({Action}); kept in {Path} until it accepts writes again.", row.Action, Path);
        }
        finally
        {
            _file.Release();
        }
    }

    /// <summary>Writes what is kept into the database in one transaction, then empties the file; nothing when it fails.</summary>
    public async Task<int> ReplayAsync(OmoDatabase database)
    {
        await _file.WaitAsync();
        try
        {
            if (!File.Exists(Path)) return 0;
            var rows = (await File.ReadAllLinesAsync(Path)).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<AuditRow>(l)!).ToList();
            await database.InTransactionAsync(async (c, t) =>
            {
                foreach (var row in rows) await AuditLog.RecordAsync(c, t, row);
            });
            File.Delete(Path);
            return rows.Count;
        }
        finally
        {
            _file.Release();
        }
    }
}

/// <summary>Every few seconds, writes spilled audit rows once the database takes writes again.</summary>
public sealed class AuditSpillWriter(AuditSpill spill, OmoDatabase database, ILogger<AuditSpillWriter> logger) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every);
        do
        {
            try
            {
                if (await spill.ReplayAsync(database) is > 0 and var written) logger.LogInformation("Wrote {Rows} spilled audit rows.", written);
            }
            catch (Exception e) when (database.Dialect.IsUnavailable(e))
            {
                // Still refused: the rows stay on disk for the next try.
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

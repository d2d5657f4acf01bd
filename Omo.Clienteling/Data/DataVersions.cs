using System.Data.Common;
using Dapper;

namespace Omo.Clienteling.Data;

/// <summary>Something a server keeps in memory from the database (the store list, the SKUs, the demo marker).</summary>
public interface ICachedData
{
    /// <summary>Which <see cref="DataVersions"/> entry this cache follows.</summary>
    string Version { get; }

    Task ReloadAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// Keeps every server's caches in step when another server changes what they hold. A change bumps a named version
/// in <c>data_versions</c> in the same transaction; each server reads the versions every <see cref="PollEvery"/>
/// (one tiny query) and reloads the caches that follow a version that moved. The server that made the change
/// reloads at once, after its commit.
/// </summary>
public sealed class DataVersions(OmoDatabase database, IEnumerable<ICachedData> caches, ILogger<DataVersions> logger) : BackgroundService
{
    /// <summary>The whole dataset was replaced: the demo was seeded or reset.</summary>
    public const string Dataset = "dataset";

    public static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, long> _seen = [];
    private bool _baseline;

    /// <summary>Records, inside the caller's transaction, that what <paramref name="version"/> covers has changed.</summary>
    public static Task ChangedAsync(DbConnection connection, DbTransaction transaction, string version) => connection.ExecuteAsync("""
        INSERT INTO data_versions (name, version) VALUES (@version, 1)
        ON CONFLICT (name) DO UPDATE SET version = data_versions.version + 1
        """, new { version }, transaction);

    /// <summary>Loads every cache: at start-up, before the first request.</summary>
    public async Task LoadAllAsync(CancellationToken cancellationToken = default)
    {
        await ReadAsync(cancellationToken);
        foreach (var cache in caches) await cache.ReloadAsync(cancellationToken);
    }

    /// <summary>This server changed <paramref name="version"/> and committed: reload now rather than at the next poll.</summary>
    public async Task ReloadAsync(string version, CancellationToken cancellationToken = default)
    {
        await ReadAsync(cancellationToken);
        foreach (var cache in caches.Where(c => c.Version == version)) await cache.ReloadAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PollEvery);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                foreach (var version in await ReadAsync(stoppingToken))
                foreach (var cache in caches.Where(c => c.Version == version))
                    await cache.ReloadAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not check whether another server changed cached data; trying again shortly.");
            }
        }
    }

    /// <summary>Reads the versions; returns those that moved since the last read.</summary>
    private async Task<List<string>> ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var current = await connection.QueryAsync<(string Name, long Version)>("SELECT name, version FROM data_versions");
        var moved = new List<string>();
        lock (_seen)
        {
            foreach (var (name, version) in current)
            {
                if (_seen.TryGetValue(name, out var seen) && seen == version) continue;
                // The first read is the baseline (everything is loaded then); after it, a new name has moved too.
                if (_baseline) moved.Add(name);
                _seen[name] = version;
            }
            _baseline = true;
        }
        return moved;
    }
}

public static class CachedDataRegistration
{
    /// <summary>Registers a singleton cache and lets <see cref="DataVersions"/> reload it.</summary>
    public static IServiceCollection AddCached<T>(this IServiceCollection services) where T : class, ICachedData
    {
        services.AddSingleton<T>();
        services.AddSingleton<ICachedData>(sp => sp.GetRequiredService<T>());
        return services;
    }
}

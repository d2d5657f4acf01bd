using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Omo.Clienteling.Data;

/// <summary>Ready when the database answers and its schema is the one this build expects.</summary>
public sealed class DatabaseHealthCheck(OmoDatabase database, Migrator migrator) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            var version = await connection.ExecuteScalarAsync<int?>("SELECT MAX(version) FROM schema_version");
            return version >= migrator.LatestVersion
                ? HealthCheckResult.Healthy($"{database.Provider}, schema {version}")
                : HealthCheckResult.Unhealthy($"{database.Provider}: schema {version?.ToString() ?? "none"}, this build needs {migrator.LatestVersion}");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"{database.Provider} does not answer", e);
        }
    }
}

using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Omo.Clienteling;

/// <summary>
/// For the load balancer: <c>/health/live</c> answers while the process runs; <c>/health/ready</c> also checks the
/// database (and Redis, when the check-ins use it), so a server whose database is gone is taken out of rotation.
/// </summary>
public static class HealthEndpoints
{
    public const string Ready = "ready";

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready) }).AllowAnonymous();
        return endpoints;
    }
}

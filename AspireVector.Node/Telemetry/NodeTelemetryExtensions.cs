using AspireVector.Node.Configuration;
using AspireVector.ServiceDefaults.Metrics;

namespace AspireVector.Node.Telemetry;

/// <summary>Wires the node's metrics into the host built by <c>AddServiceDefaults()</c>.</summary>
public static class NodeTelemetryExtensions
{
    /// <summary>
    /// Registers <see cref="NodeMetrics"/> and applies <c>service.metrics_prefix</c> from the registered
    /// <see cref="NodeOptions"/> to <c>/metrics</c>.
    /// </summary>
    public static WebApplicationBuilder AddNodeTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<NodeMetrics>();
        builder.Services.AddSingleton<IMeterOwner>(sp => sp.GetRequiredService<NodeMetrics>());
        builder.Services.AddOptions<MetricsExpositionOptions>()
            .Configure<IServiceProvider>((options, services) =>
                options.Prefix ??= services.GetService<NodeOptions>()?.Service.MetricsPrefix);
        return builder;
    }
}

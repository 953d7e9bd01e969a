using System.Diagnostics.Metrics;
using System.Reflection;
using AspireVector.ServiceDefaults.Http;
using AspireVector.ServiceDefaults.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AspireVector.ServiceDefaults;

/// <summary>
/// Builds the SDK's <see cref="MeterProvider"/> and <see cref="TracerProvider"/> as container singletons
/// (OpenTelemetry.Extensions.Hosting is not in the feed), so the container disposes them, flushing
/// exporters, when the host stops.
/// </summary>
public static class TelemetryProviders
{
    /// <summary>Meters and activity sources of every AspireVector project share this prefix.</summary>
    public const string SourcePrefix = "AspireVector.";

    /// <summary>Registers providers, the Prometheus reader and the built-in meter owners.</summary>
    public static void Register(IServiceCollection services, string serviceName, string version, bool otlpEnabled)
    {
        services.AddMetrics();
        services.AddOptions<MetricsExpositionOptions>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptionsMonitor<MetricsExpositionOptions>>();
            return new PrometheusMetricReader(() => options.CurrentValue.Prefix);
        });
        services.AddSingleton(sp => new ProcessMetrics(sp.GetRequiredService<IMeterFactory>(), serviceName, version));
        services.AddSingleton<IMeterOwner>(sp => sp.GetRequiredService<ProcessMetrics>());
        services.AddSingleton<HttpMetrics>();
        services.AddSingleton<IMeterOwner>(sp => sp.GetRequiredService<HttpMetrics>());

        services.AddSingleton(sp =>
        {
            var meterFactory = sp.GetRequiredService<IMeterFactory>();
            var builder = Sdk.CreateMeterProviderBuilder()
                .ConfigureResource(resource => resource.AddService(serviceName, serviceVersion: version))
                .AddMeter(SourcePrefix + "*")
                // The SDK listens to meters process-wide; several hosts in one process (tests) must each
                // export only the meters their own container created.
                .AddView(instrument => ReferenceEquals(instrument.Meter.Scope, meterFactory) ? null : MetricStreamConfiguration.Drop)
                .AddReader(sp.GetRequiredService<PrometheusMetricReader>());
            if (otlpEnabled)
            {
                builder.AddOtlpExporter();
            }

            return builder.Build();
        });

        services.AddSingleton(_ =>
        {
            var builder = Sdk.CreateTracerProviderBuilder()
                .ConfigureResource(resource => resource.AddService(serviceName, serviceVersion: version))
                .AddSource(SourcePrefix + "*", "Microsoft.AspNetCore")
                .SetSampler(new ParentBasedSampler(new AlwaysOnSampler()));
            if (otlpEnabled)
            {
                builder.AddOtlpExporter();
            }

            return builder.Build();
        });

        services.AddHostedService<TelemetryStartup>();
    }

    /// <summary>The informational version of the application's assembly, without the source hash.</summary>
    public static string VersionOf(string applicationName)
    {
        Assembly? assembly;
        try
        {
            assembly = Assembly.Load(new AssemblyName(applicationName));
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            assembly = Assembly.GetEntryAssembly();
        }

        var version = assembly?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly?.GetName().Version?.ToString()
            ?? "0.0.0";
        var plus = version.IndexOf('+');
        return plus < 0 ? version : version[..plus];
    }

    /// <summary>Creates the providers and every meter owner when the host starts.</summary>
    private sealed class TelemetryStartup(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = services.GetRequiredService<MeterProvider>();
            _ = services.GetRequiredService<TracerProvider>();
            foreach (var owner in services.GetServices<IMeterOwner>())
            {
                _ = owner.MeterName;
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

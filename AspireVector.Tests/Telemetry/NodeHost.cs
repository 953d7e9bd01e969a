using AspireVector.Node.Configuration;
using AspireVector.Node.Telemetry;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AspireVector.Tests.Telemetry;

/// <summary>Builds in-process nodes with chosen telemetry sources.</summary>
internal static class NodeHost
{
    public static WebApplicationFactory<AspireVector.Node.Program> Create(
        ICollectionsTelemetrySource? collections = null,
        IClusterTelemetrySource? cluster = null,
        Action<IServiceCollection>? configure = null,
        bool grpc = false)
    {
        return new WebApplicationFactory<AspireVector.Node.Program>().WithWebHostBuilder(web =>
            web.ConfigureTestServices(services =>
            {
                if (collections is not null)
                {
                    services.AddSingleton(collections);
                }

                if (cluster is not null)
                {
                    services.AddSingleton(cluster);
                }

                configure?.Invoke(services);
                if (!grpc)
                {
                    WithoutGrpcListener(services);
                }
            }));
    }

    /// <summary>
    /// Switches the public gRPC listener off (<c>service.grpc_port: null</c>) in every registered
    /// <see cref="NodeOptions"/>: it binds a real port even on a test server, and tests run in parallel.
    /// </summary>
    public static void WithoutGrpcListener(IServiceCollection services)
    {
        foreach (var descriptor in services)
        {
            if (descriptor.ImplementationInstance is NodeOptions options)
            {
                options.Service.GrpcPort = null;
            }
        }
    }

    public static async Task<string> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return await response.Content.ReadAsStringAsync();
    }

    public static List<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
}

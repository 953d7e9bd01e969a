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
        Action<IServiceCollection>? configure = null)
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
            }));
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

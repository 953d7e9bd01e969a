using System.Net;
using AspireVector.ServiceDefaults.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AspireVector.Tests.Telemetry;

public sealed class HealthEndpointTests
{
    [Theory]
    [InlineData("/healthz", "healthz check passed")]
    [InlineData("/livez", "livez check passed")]
    [InlineData("/readyz", "all shards are ready")]
    public async Task Health_endpoints_answer_like_qdrant(string path, string body)
    {
        await using var factory = NodeHost.Create();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_failing_readiness_check_fails_readyz_but_not_livez()
    {
        await using var factory = NodeHost.Create(configure: services => services.AddHealthChecks()
            .AddCheck("shards", () => HealthCheckResult.Unhealthy("some shards are not ready"), [HealthTags.Ready]));
        using var client = factory.CreateClient();

        using var ready = await client.GetAsync("/readyz");
        using var live = await client.GetAsync("/livez");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("some shards are not ready", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }
}

using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace AspireVector.Tests.Telemetry;

[Collection(AspireVector.Tests.Cluster.ClusterProcesses.Name)]
public sealed class PrometheusScrapeTests
{
    [Fact]
    [Trait("Category", "Process")]
    public async Task Real_prometheus_scrapes_collections_total_from_a_single_node()
    {
        var source = new FixedCollectionsSource(
            FixedCollectionsSource.Collection("first", 1), FixedCollectionsSource.Collection("second", 2));
        await using var factory = NodeHost.Create(collections: source);
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var nodeAddress = new Uri(factory.Services.GetRequiredService<IServer>().Features
            .GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());

        await using var prometheus = PrometheusServer.Start([$"127.0.0.1:{nodeAddress.Port}"]);

        string? lastAnswer = null, value = null, instance = null;
        var found = await Poll.UntilAsync(async () =>
        {
            Assert.False(prometheus.HasExited, "prometheus exited:\n" + prometheus.Log);
            lastAnswer = await prometheus.QueryAsync("collections_total");
            value = lastAnswer is null ? null : ValueOf(lastAnswer, out instance);
            return value is not null;
        }, TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(250));

        Assert.True(found, $"collections_total never appeared in Prometheus; last answer: {lastAnswer}\n{prometheus.Log}");
        Assert.Equal("2", value);
        Assert.Equal($"127.0.0.1:{nodeAddress.Port}", instance);
    }

    private static string? ValueOf(string answer, out string? instance)
    {
        using var json = JsonDocument.Parse(answer);
        var result = json.RootElement.GetProperty("data").GetProperty("result");
        instance = null;
        if (result.GetArrayLength() == 0)
        {
            return null;
        }

        var sample = result[0];
        instance = sample.GetProperty("metric").GetProperty("instance").GetString();
        return sample.GetProperty("value")[1].GetString();
    }
}

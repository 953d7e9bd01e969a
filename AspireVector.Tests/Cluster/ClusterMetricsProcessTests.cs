using System.Text.Json;
using AspireVector.Tests.Telemetry;

namespace AspireVector.Tests.Cluster;

/// <summary>Three real node processes scraped by a real Prometheus; their cluster-mode exposition passes promtool.</summary>
[Trait("Category", "Process")]
[Collection(ClusterProcesses.Name)]
public sealed class ClusterMetricsProcessTests
{
    [Fact]
    public async Task Prometheus_sees_three_peers_on_every_node_and_promtool_accepts_a_cluster_node_exposition()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        // Collection gauges with real placement in the exposition too.
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/scraped", new { vectors = new { size = 2, distance = "Dot" }, shard_number = 3, replication_factor = 2 });
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/scraped/points?wait=true",
            new { points = new[] { new { id = 1, vector = new[] { 1f, 0f } }, new { id = 2, vector = new[] { 0f, 1f } } } });

        var targets = cluster.Nodes.Select(n => $"127.0.0.1:{n.HttpPort}").ToList();
        await using var prometheus = PrometheusServer.Start(targets);
        string? lastAnswer = null;
        var seen = await Poll.UntilAsync(async () =>
        {
            Assert.False(prometheus.HasExited, "prometheus exited:\n" + prometheus.Log);
            lastAnswer = await prometheus.QueryAsync("cluster_peers_total");
            return lastAnswer is not null && PeersByInstance(lastAnswer) is var peers
                && targets.All(t => peers.TryGetValue(t, out var v) && v == "3");
        }, TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(250));
        Assert.True(seen, $"cluster_peers_total is not 3 for every node in Prometheus; last answer: {lastAnswer}\n{prometheus.Log}");

        using var response = await cluster[1].Http.GetAsync("/metrics");
        var exposition = await response.Content.ReadAsStringAsync();
        Assert.Contains("cluster_enabled 1", exposition, StringComparison.Ordinal);
        Assert.Contains("collection_active_replicas_min 2", exposition, StringComparison.Ordinal);
        await PromtoolCheckTests.AssertCleanAsync(exposition);
    }

    private static Dictionary<string, string> PeersByInstance(string answer)
    {
        using var json = JsonDocument.Parse(answer);
        var peers = new Dictionary<string, string>();
        foreach (var sample in json.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            peers[sample.GetProperty("metric").GetProperty("instance").GetString()!] = sample.GetProperty("value")[1].GetString()!;
        }

        return peers;
    }
}

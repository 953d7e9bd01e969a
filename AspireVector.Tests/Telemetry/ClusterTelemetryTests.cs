using System.Diagnostics;
using System.Globalization;
using AspireVector.Node.P2P.Grpc;
using AspireVector.Node.Telemetry;
using AspireVector.ServiceDefaults.Tracing;
using AspireVector.Tests.Api.Rest;
using AspireVector.Tests.Cluster;

namespace AspireVector.Tests.Telemetry;

/// <summary>
/// Cluster-mode nodes in this process (real P2P sockets): collection gauges follow the agreed placement, P2P and
/// Raft counters see real events, and a coordinated request is one trace across the peers.
/// </summary>
[Trait("Category", "Process")]
[Collection(ClusterProcesses.Name)]
public sealed class ClusterTelemetryTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    [Fact]
    public async Task Search_and_upsert_coordinated_by_one_peer_are_one_trace_with_shard_calls_and_the_remote_handling()
    {
        await using var first = await InProcessClusterNode.StartAsync();
        await using var second = await InProcessClusterNode.StartAsync(bootstrap: first.P2PUri);
        await WaitReadyAsync(first, second);
        var rest = new RestClient(first.Http);
        await rest.CreateCollectionAsync("traced", extra: """, "shard_number": 4""");
        var placement = (await rest.GetAsync("/collections/traced/cluster")).Result;
        Assert.NotEmpty(placement.GetProperty("local_shards").EnumerateArray());
        Assert.NotEmpty(placement.GetProperty("remote_shards").EnumerateArray());

        using var collector = new ActivityCollector("Microsoft.AspNetCore", NodeActivities.SourceName, GrpcRequestDispatcher.ActivitySource.Name);
        var points = string.Join(",", Enumerable.Range(1, 40).Select(i => $$"""{"id": {{i}}, "vector": [{{i}}, 1, 0, 0]}"""));
        await AssertOneTraceAsync(collector, rest, HttpMethod.Put, "/collections/traced/points?wait=true", $$"""{"points": [{{points}}]}""", "upsert");
        await AssertOneTraceAsync(collector, rest, HttpMethod.Post, "/collections/traced/points/search", """{"vector": [1, 1, 0, 0], "limit": 3}""", "search");
    }

    [Fact]
    public async Task Collection_and_cluster_metrics_follow_the_placement_and_real_failures()
    {
        await using var first = await InProcessClusterNode.StartAsync();
        await using var second = await InProcessClusterNode.StartAsync(bootstrap: first.P2PUri);
        var third = await InProcessClusterNode.StartAsync(bootstrap: first.P2PUri);
        try
        {
            await WaitReadyAsync(first, second, third);
            var rest = new RestClient(first.Http);
            await rest.CreateCollectionAsync("placed", extra: """, "shard_number": 2, "replication_factor": 3""");
            await rest.UpsertAsync("placed", """[{"id": 1, "vector": [1, 0, 0, 0]}, {"id": 2, "vector": [0, 1, 0, 0]}, {"id": 3, "vector": [0, 0, 1, 0]}]""");

            foreach (var node in new[] { first, second, third })
            {
                // A peer may apply the create a moment after the one that took the request: wait for it, bounded.
                var lines = await ScrapeAsync(node);
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
                while (!lines.Contains("collection_points{id=\"placed\"} 3") && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(50);
                    lines = await ScrapeAsync(node);
                }

                Assert.Contains("collection_active_replicas_min 3", lines);
                Assert.Contains("collection_active_replicas_max 3", lines);
                Assert.Contains("collection_dead_replicas 0", lines);
                Assert.Contains("collection_points{id=\"placed\"} 3", lines);
                Assert.Contains("collection_shard_transfer_incoming{id=\"placed\"} 0", lines);
                Assert.True(Value(lines, "raft_leader_changes_total") >= 1, "no leader change seen");
            }
        }
        finally
        {
            await third.DisposeAsync();
        }

        // The third peer is gone: writes fail on its replicas, which the others mark dead; sends to it fail.
        // Marking dead goes through consensus, which may be electing a new leader right now: keep writing, as clients do.
        var survivor = new RestClient(first.Http);
        var more = $$"""{"points": [{{string.Join(",", Enumerable.Range(4, 17).Select(i => $$"""{"id": {{i}}, "vector": [{{i}}, 0, 0, 1]}"""))}}]}""";
        List<string> after = [];
        Assert.True(await Poll.UntilAsync(async () =>
        {
            await survivor.PutAsync("/collections/placed/points?wait=true", more);
            after = await ScrapeAsync(first);
            return Value(after, "collection_dead_replicas") == 2 && Value(after, $"p2p_message_send_failures_total{{peer_uri=\"{third.P2PUri}\"}}") > 0;
        }, Deadline, Interval), string.Join("\n", after.Where(l => !l.StartsWith('#'))));
        Assert.Contains("collection_active_replicas_min 2", after);
        Assert.Contains("collection_active_replicas_max 2", after);
        Assert.Contains("collection_points{id=\"placed\"} 20", after);
    }

    private static async Task AssertOneTraceAsync(ActivityCollector collector, RestClient rest, HttpMethod method, string path, string body, string operation)
    {
        var traceId = ActivityTraceId.CreateRandom();
        var clientSpan = ActivitySpanId.CreateRandom();
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add(TraceContext.TraceParentHeader, $"00-{traceId.ToHexString()}-{clientSpan.ToHexString()}-01");
        _ = (await rest.SendAsync(request)).Result;

        IReadOnlyList<Activity> spans = [];
        Assert.True(await Poll.UntilAsync(() =>
        {
            spans = collector.InTrace(traceId);
            return Task.FromResult(spans.Any(s => s.Source.Name == "Microsoft.AspNetCore" && s.ParentSpanId == clientSpan)
                && spans.Count(s => s.Source.Name == NodeActivities.SourceName) == 4
                && spans.Any(s => s.Source.Name == GrpcRequestDispatcher.ActivitySource.Name));
        }, Deadline, Interval), $"{operation}: spans in the trace: {string.Join(", ", collector.InTrace(traceId).Select(s => $"{s.Source.Name}:{s.DisplayName}"))}");

        var rootRequest = Assert.Single(spans, s => s.Source.Name == "Microsoft.AspNetCore" && s.ParentSpanId == clientSpan);
        var shardCalls = spans.Where(s => s.Source.Name == NodeActivities.SourceName).ToList();
        Assert.All(shardCalls, s =>
        {
            Assert.Equal(rootRequest.SpanId, s.ParentSpanId);
            Assert.Equal("shard " + operation, s.DisplayName);
            Assert.Equal("traced", s.GetTagItem("qdrant.collection"));
        });
        Assert.Equal(4, shardCalls.Select(s => s.GetTagItem("qdrant.shard_id")).Distinct().Count());
        var remoteCalls = shardCalls.Where(s => s.Kind == ActivityKind.Client).ToList();
        Assert.NotEmpty(remoteCalls);
        Assert.Contains(shardCalls, s => s.Kind == ActivityKind.Internal);
        foreach (var call in remoteCalls)
        {
            var handling = Assert.Single(spans, s => s.Source.Name == GrpcRequestDispatcher.ActivitySource.Name && s.ParentSpanId == call.SpanId);
            Assert.Equal(ActivityKind.Server, handling.Kind);
            Assert.Equal(0, handling.GetTagItem("rpc.grpc.status_code"));
        }
    }

    private static async Task WaitReadyAsync(params InProcessClusterNode[] nodes)
    {
        Assert.True(await Poll.UntilAsync(async () =>
        {
            foreach (var node in nodes)
            {
                if ((await node.Http.GetAsync("/readyz")).StatusCode != System.Net.HttpStatusCode.OK) return false;
                if (Value(await ScrapeAsync(node), "cluster_peers_total") != nodes.Length) return false;
            }

            return true;
        }, Deadline, Interval), "the in-process peers never formed a cluster");
    }

    private static async Task<List<string>> ScrapeAsync(InProcessClusterNode node) => NodeHost.Lines(await NodeHost.ScrapeAsync(node.Http));

    /// <summary>The value of the series named exactly <paramref name="series"/> (name and labels), or -1.</summary>
    private static double Value(List<string> lines, string series)
    {
        foreach (var line in lines)
        {
            if (line.Length > series.Length && line.StartsWith(series, StringComparison.Ordinal) && line[series.Length] == ' ')
                return double.Parse(line.AsSpan(series.Length + 1), CultureInfo.InvariantCulture);
        }

        return -1;
    }
}

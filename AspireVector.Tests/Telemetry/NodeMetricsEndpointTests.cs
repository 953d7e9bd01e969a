using AspireVector.Node.Telemetry;
using AspireVector.ServiceDefaults.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace AspireVector.Tests.Telemetry;

public sealed class NodeMetricsEndpointTests
{
    [Fact]
    public async Task Single_node_reports_qdrant_defaults_without_sources()
    {
        await using var factory = NodeHost.Create();
        using var client = factory.CreateClient();

        var lines = NodeHost.Lines(await NodeHost.ScrapeAsync(client));

        Assert.Contains("collections_total 0", lines);
        Assert.Contains("collections_vector_total 0", lines);
        Assert.Contains("cluster_enabled 0", lines);
        Assert.Contains("collection_dead_replicas 0", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("cluster_peers_total", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("app_info{name=\"AspireVector.Node\",version=\"", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("process_resident_memory_bytes ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("process_cpu_seconds_total ", StringComparison.Ordinal));
        Assert.Contains("# TYPE process_cpu_seconds_total counter", lines);
    }

    [Fact]
    public async Task Collection_gauges_read_the_registered_source()
    {
        var source = new FixedCollectionsSource(
            FixedCollectionsSource.Collection("alpha", 10),
            new CollectionTelemetry("beta", 5, new Dictionary<string, long> { ["image"] = 5, ["text"] = 4 }, 1, 3, 2, 1, 0));
        await using var factory = NodeHost.Create(collections: source);
        using var client = factory.CreateClient();

        var lines = NodeHost.Lines(await NodeHost.ScrapeAsync(client));

        Assert.Contains("collections_total 2", lines);
        Assert.Contains("collections_vector_total 19", lines);
        Assert.Contains("collection_points{id=\"alpha\"} 10", lines);
        Assert.Contains("collection_points{id=\"beta\"} 5", lines);
        Assert.Contains("collection_vectors{collection=\"beta\",vector=\"text\"} 4", lines);
        Assert.Contains("collection_active_replicas_min 1", lines);
        Assert.Contains("collection_active_replicas_max 3", lines);
        Assert.Contains("collection_dead_replicas 2", lines);
        Assert.Contains("collection_shard_transfer_incoming{id=\"beta\"} 1", lines);
        Assert.Contains("collection_shard_transfer_outgoing{id=\"alpha\"} 0", lines);
    }

    [Fact]
    public async Task Cluster_gauges_read_the_registered_source()
    {
        var cluster = new ClusterTelemetry
        {
            Enabled = true, PeerId = 42, PeersTotal = 3, Term = 7, Commit = 120, PendingOperations = 2, IsVoter = true,
            LastUpdate = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), WorkingState = ClusterWorkingStates.Working,
            Role = RaftRoles.Leader,
        };
        await using var factory = NodeHost.Create(cluster: new FixedClusterSource(cluster));
        using var client = factory.CreateClient();

        var lines = NodeHost.Lines(await NodeHost.ScrapeAsync(client));

        Assert.Contains("cluster_enabled 1", lines);
        Assert.Contains("cluster_peers_total 3", lines);
        Assert.Contains("cluster_term 7", lines);
        Assert.Contains("cluster_commit{peer_id=\"42\"} 120", lines);
        Assert.Contains("cluster_pending_operations_total 2", lines);
        Assert.Contains("cluster_voter 1", lines);
        Assert.Contains("cluster_last_update_timestamp_seconds 1700000000", lines);
        Assert.Contains("cluster_working_state{state=\"working\"} 1", lines);
        Assert.Contains("cluster_working_state{state=\"stopped\"} 0", lines);
        Assert.Contains("raft_role{role=\"leader\"} 1", lines);
        Assert.Contains("raft_role{role=\"follower\"} 0", lines);
    }

    [Fact]
    public async Task Rest_responses_are_labelled_by_route_template_not_path()
    {
        await using var factory = NodeHost.Create();
        using var client = factory.CreateClient();
        (await client.GetAsync("/livez")).EnsureSuccessStatusCode();
        (await client.GetAsync("/livez")).EnsureSuccessStatusCode();
        await client.GetAsync("/no/such/route/12345");

        var text = await NodeHost.ScrapeAsync(client);
        var lines = NodeHost.Lines(text);

        Assert.Contains("rest_responses_total{endpoint=\"/livez\",method=\"GET\",status=\"200\"} 2", lines);
        Assert.Contains("rest_responses_total{endpoint=\"unmatched\",method=\"GET\",status=\"404\"} 1", lines);
        Assert.Contains("rest_responses_fail_total{endpoint=\"unmatched\",method=\"GET\",status=\"404\"} 1", lines);
        Assert.Contains("rest_responses_duration_seconds_count{endpoint=\"/livez\",method=\"GET\",status=\"200\"} 2", lines);
        Assert.Contains("rest_responses_duration_seconds_bucket{endpoint=\"/livez\",method=\"GET\",status=\"200\",le=\"+Inf\"} 2", lines);
        Assert.DoesNotContain("12345", text);
    }

    [Fact]
    public async Task Node_instruments_record_into_the_exposition()
    {
        await using var factory = NodeHost.Create();
        using var client = factory.CreateClient();
        var metrics = factory.Services.GetRequiredService<NodeMetrics>();
        metrics.RecordP2pSendFailure("http://node-2:6335");
        metrics.RecordP2pSendFailure("http://node-2:6335");
        metrics.RecordRaftLeaderChange();
        metrics.RecordWalFlush(TimeSpan.FromMilliseconds(3));
        metrics.RecordHnswSearch(TimeSpan.FromMilliseconds(0.2));
        metrics.RecordGrpcResponse("/qdrant.Points/Search", 0, TimeSpan.FromMilliseconds(1));

        var lines = NodeHost.Lines(await NodeHost.ScrapeAsync(client));

        Assert.Contains("p2p_message_send_failures_total{peer_uri=\"http://node-2:6335\"} 2", lines);
        Assert.Contains("raft_leader_changes_total 1", lines);
        Assert.Contains("wal_flush_duration_seconds_bucket{le=\"0.005\"} 1", lines);
        Assert.Contains("wal_flush_duration_seconds_bucket{le=\"0.001\"} 0", lines);
        Assert.Contains("hnsw_search_duration_seconds_count 1", lines);
        Assert.Contains("grpc_responses_total{endpoint=\"/qdrant.Points/Search\",status=\"0\"} 1", lines);
    }

    [Fact]
    public async Task Acknowledged_writes_and_searches_fill_the_wal_and_hnsw_histograms()
    {
        using var node = new Api.Rest.RestNode();
        await node.CreateCollectionAsync("timed", size: 2, distance: "Dot");
        await node.UpsertAsync("timed", """[{"id": 1, "vector": [1, 0]}]""");
        await node.UpsertAsync("timed", """[{"id": 2, "vector": [0, 1]}]""");
        await node.PostAsync("/collections/timed/points/search", """{"vector": [1, 0], "limit": 1}""");

        var lines = NodeHost.Lines((await node.GetAsync("/metrics")).Raw);

        // Each wait=true upsert waits for its WAL commit; the search ran on the collection's one shard.
        Assert.Contains("wal_flush_duration_seconds_count 2", lines);
        Assert.Contains("hnsw_search_duration_seconds_count 1", lines);
    }

    [Fact]
    public async Task Metrics_prefix_renames_every_family()
    {
        await using var factory = NodeHost.Create(configure: services =>
            services.Configure<MetricsExpositionOptions>(options => options.Prefix = "qdrant_"));
        using var client = factory.CreateClient();

        var lines = NodeHost.Lines(await NodeHost.ScrapeAsync(client));

        Assert.Contains("qdrant_collections_total 0", lines);
        Assert.Contains(lines, l => l.StartsWith("qdrant_app_info{", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("collections_total", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Hosts_in_one_process_do_not_see_each_others_series()
    {
        await using var first = NodeHost.Create(collections: new FixedCollectionsSource(FixedCollectionsSource.Collection("a", 1)));
        await using var second = NodeHost.Create();
        using var firstClient = first.CreateClient();
        using var secondClient = second.CreateClient();
        await NodeHost.ScrapeAsync(firstClient);

        var lines = NodeHost.Lines(await NodeHost.ScrapeAsync(secondClient));

        Assert.Single(lines, l => l.StartsWith("collections_total ", StringComparison.Ordinal));
        Assert.Contains("collections_total 0", lines);
    }
}

using AspireVector.Tests.Api.Rest;

namespace AspireVector.Tests.Cluster;

/// <summary>
/// Multivectors on three real nodes: the config replicated through consensus, replicated writes (upsert, vector
/// update), max_sim queries through any node merged across shards as brute force ranks them, and a stream_records
/// transfer carrying each point's rows to the new replica.
/// </summary>
[Trait("Category", "Process")]
[Collection(ClusterProcesses.Name)]
public sealed class MultivectorsClusterTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Multivectors_go_through_replicated_writes_sharded_queries_and_a_transfer()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/late",
            """{"vectors": {"colbert": {"size": 4, "distance": "Dot", "multivector_config": {"comparator": "max_sim"}}}, "shard_number": 2, "replication_factor": 2}""");
        for (int i = 0; i < 3; i++)
        {
            var info = await LocalCluster.GetAsync(cluster[i], "/collections/late");
            Assert.Equal("""{"comparator":"max_sim"}""",
                JsonText.Canonical(info.GetProperty("config").GetProperty("params").GetProperty("vectors").GetProperty("colbert").GetProperty("multivector_config")));
        }

        var set = new MultivectorSet(80, seed: 13);
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/late/points?wait=true", $$$"""{"points": {{{set.PointsJson("colbert")}}} }""");
        await LocalCluster.OkAsync(cluster[2], HttpMethod.Put, "/collections/late/points/vectors?wait=true",
            """{"points": [{"id": 1, "vector": {"colbert": [[1, 0, 0, 0], [0, 0, 0, 1]]}}]}""");
        set.Vectors[1] = [[1, 0, 0, 0], [0, 0, 0, 1]];

        var query = MultivectorSet.Random(new Random(23), 3);
        var expected = set.Ranked("Dot", query);
        for (int i = 0; i < 3; i++)
        {
            var hits = await LocalCluster.OkAsync(cluster[i], HttpMethod.Post, "/collections/late/points/query",
                $$$"""{"query": {{{MultivectorSet.Json(query)}}}, "using": "colbert", "limit": 1000}""");
            MultivectorSet.AssertRanked(expected, MultivectorSet.Hits(hits.GetProperty("points")));
        }

        // Each shard has two replicas on three peers: stream shard 0 to its missing peer.
        var peers = await Task.WhenAll(Enumerable.Range(0, 3).Select(cluster.PeerIdAsync));
        var placement = await ActiveReplicas.OfAsync(cluster, "late");
        ulong missing = peers.Except(placement[0]).Single();
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Post, "/collections/late/cluster",
            new { replicate_shard = new { shard_id = 0, from_peer_id = placement[0].First(), to_peer_id = missing, method = "stream_records" } });
        await cluster.WaitUntilAsync(async () => (await ActiveReplicas.OfAsync(cluster, "late"))[0].Count == 3, "shard 0 on every peer", Deadline);

        // Every node (reading its own replicas first) holds every point with exactly its rows.
        for (int i = 0; i < 3; i++)
        {
            var page = await LocalCluster.OkAsync(cluster[i], HttpMethod.Post, "/collections/late/points/scroll", new { limit = 1000, with_vector = true });
            var points = page.GetProperty("points").EnumerateArray().ToList();
            Assert.Equal(set.Vectors.Count, points.Count);
            foreach (var p in points)
            {
                int id = p.GetProperty("id").GetInt32();
                Assert.Equal(JsonText.Canonical(MultivectorSet.Json(set.Vectors[id])), JsonText.Canonical(p.GetProperty("vector").GetProperty("colbert")));
            }
        }
    }
}

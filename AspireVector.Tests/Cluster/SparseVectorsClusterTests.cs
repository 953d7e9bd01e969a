using System.Text.Json;
using AspireVector.Tests.Api.Rest;

namespace AspireVector.Tests.Cluster;

/// <summary>
/// Sparse vectors on three real nodes: the config replicated through consensus, replicated writes (upsert, vector
/// update, vector deletion), sparse and hybrid queries through any node merged by score across shards as a single
/// node answers, and a stream_records transfer carrying the sparse vectors to the new replica.
/// </summary>
[Trait("Category", "Process")]
[Collection(ClusterProcesses.Name)]
public sealed class SparseVectorsClusterTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Sparse_vectors_go_through_replicated_writes_sharded_queries_and_a_transfer()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/hybrid",
            """{"vectors": {"dense": {"size": 4, "distance": "Dot"}}, "sparse_vectors": {"text": {"index": {"on_disk": false}}}, "shard_number": 2, "replication_factor": 2}""");
        for (int i = 0; i < 3; i++)
        {
            var info = await LocalCluster.GetAsync(cluster[i], "/collections/hybrid");
            Assert.Equal("""{"text":{"index":{"on_disk":false}}}""", JsonText.Canonical(info.GetProperty("config").GetProperty("params").GetProperty("sparse_vectors")));
        }

        var set = new SparseVectorSet(80, seed: 31);
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/hybrid/points?wait=true", $$$"""{"points": {{{set.PointsJson()}}} }""");
        await LocalCluster.OkAsync(cluster[2], HttpMethod.Put, "/collections/hybrid/points/vectors?wait=true",
            """{"points": [{"id": 1, "vector": {"text": {"indices": [39, 0], "values": [1.5, 0.5]}}}]}""");
        set.Sparse[1] = new SortedDictionary<uint, float> { [0] = 0.5f, [39] = 1.5f };
        await LocalCluster.OkAsync(cluster[1], HttpMethod.Post, "/collections/hybrid/points/vectors/delete?wait=true", """{"points": [2, 3], "vector": ["text"]}""");
        set.Sparse.Remove(2);
        set.Sparse.Remove(3);

        var random = new Random(41);
        var query = SparseVectorSet.RandomSparse(random);
        var dense = NamedVectorSet.Random(random, 4);
        var expected = set.Ranked(query);
        string hybrid = $$$"""
            {"prefetch": [{"query": {{{SparseVectorSet.Json(query)}}}, "using": "text", "limit": 15}, {"query": {{{NamedVectorSet.Json(dense)}}}, "using": "dense", "limit": 15}],
             "query": {"fusion": "rrf"}, "limit": 8}
            """;
        string? fusedOnNode0 = null;
        for (int i = 0; i < 3; i++)
        {
            var hits = await LocalCluster.OkAsync(cluster[i], HttpMethod.Post, "/collections/hybrid/points/query",
                $$$"""{"query": {{{SparseVectorSet.Json(query)}}}, "using": "text", "limit": 1000}""");
            SparseVectorSet.AssertRanked(expected, SparseVectorSet.Hits(hits.GetProperty("points")));
            var searched = await LocalCluster.OkAsync(cluster[i], HttpMethod.Post, "/collections/hybrid/points/search",
                $$$"""{"vector": {"name": "text", "vector": {{{SparseVectorSet.Json(query)}}} }, "limit": 5, "offset": 2}""");
            SparseVectorSet.AssertRanked(expected.Skip(2).Take(5).ToList(), SparseVectorSet.Hits(searched));

            var fused = await LocalCluster.OkAsync(cluster[i], HttpMethod.Post, "/collections/hybrid/points/query", hybrid);
            Assert.Equal(8, fused.GetProperty("points").GetArrayLength());
            string ids = string.Join(",", NamedVectorSet.IdsOf(fused.GetProperty("points")));
            fusedOnNode0 ??= ids;
            Assert.Equal(fusedOnNode0, ids);
        }

        // Each shard has two replicas on three peers: stream shard 0 to its missing peer.
        var peers = await Task.WhenAll(Enumerable.Range(0, 3).Select(cluster.PeerIdAsync));
        var placement = await ActiveReplicas.OfAsync(cluster, "hybrid");
        ulong missing = peers.Except(placement[0]).Single();
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Post, "/collections/hybrid/cluster",
            new { replicate_shard = new { shard_id = 0, from_peer_id = placement[0].First(), to_peer_id = missing, method = "stream_records" } });
        await cluster.WaitUntilAsync(async () => (await ActiveReplicas.OfAsync(cluster, "hybrid"))[0].Count == 3, "shard 0 on every peer", Deadline);

        // Every node (reading its own replicas first) holds every point with exactly its sparse vector.
        for (int i = 0; i < 3; i++)
        {
            var page = await LocalCluster.OkAsync(cluster[i], HttpMethod.Post, "/collections/hybrid/points/scroll", new { limit = 1000, with_vector = new[] { "text" } });
            var points = page.GetProperty("points").EnumerateArray().ToList();
            Assert.Equal(set.Count, points.Count);
            foreach (var p in points)
            {
                int id = p.GetProperty("id").GetInt32();
                Assert.Equal(set.Sparse.ContainsKey(id), p.GetProperty("vector").TryGetProperty("text", out var text));
                if (set.Sparse.TryGetValue(id, out var v)) Assert.Equal(JsonText.Canonical(SparseVectorSet.Json(v)), JsonText.Canonical(text));
            }

            var count = await LocalCluster.OkAsync(cluster[i], HttpMethod.Post, "/collections/hybrid/points/count?consistency=all",
                new { exact = true, filter = new { must = new[] { new { has_vector = "text" } } } });
            Assert.Equal(set.Sparse.Count, count.GetProperty("count").GetInt32());
        }
    }
}

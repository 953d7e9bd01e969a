using System.Text.Json;

namespace AspireVector.Tests.Cluster;

/// <summary>
/// Adding and deleting a named vector on three real nodes: the change is agreed through consensus, every node's config
/// shows it, and every replica's data follows (each node holds every shard here, and reads its own replica first).
/// </summary>
[Trait("Category", "Process")]
[Collection(ClusterProcesses.Name)]
public sealed class VectorNamesClusterTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_named_vector_added_then_deleted_reaches_every_node_and_replica()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/vn",
            """{"vectors": {"a": {"size": 2, "distance": "Dot"}}, "shard_number": 2, "replication_factor": 3}""");
        var points = Enumerable.Range(1, 10).Select(i => new { id = i, vector = new Dictionary<string, float[]> { ["a"] = [i, 1] } }).ToArray();
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/vn/points?wait=true", new { points });

        var added = await LocalCluster.OkAsync(cluster[1], HttpMethod.Put, "/collections/vn/vectors/b?wait=true", """{"dense": {"size": 3, "distance": "Cosine"}}""");
        Assert.Equal("completed", added.GetProperty("status").GetString());
        await cluster.WaitUntilAsync(async () => (await VectorsOnEveryNodeAsync(cluster)).All(v => v.TryGetProperty("b", out var b) && b.GetProperty("size").GetInt32() == 3),
            "vector b configured on every node", Deadline);

        var update = Enumerable.Range(1, 5).Select(i => new { id = i, vector = new Dictionary<string, float[]> { ["b"] = [i, 0, 1] } }).ToArray();
        await LocalCluster.OkAsync(cluster[2], HttpMethod.Put, "/collections/vn/points/vectors?wait=true", new { points = update });
        for (int i = 0; i < 3; i++)
        {
            var count = await LocalCluster.OkAsync(cluster[i], HttpMethod.Post, "/collections/vn/points/count?consistency=all",
                new { exact = true, filter = new { must = new[] { new { has_vector = "b" } } } });
            Assert.Equal(5, count.GetProperty("count").GetInt32());
        }

        var deleted = await LocalCluster.OkAsync(cluster[0], HttpMethod.Delete, "/collections/vn/vectors/b?wait=true");
        Assert.Equal("completed", deleted.GetProperty("status").GetString());
        await cluster.WaitUntilAsync(async () => (await VectorsOnEveryNodeAsync(cluster)).All(v => !v.TryGetProperty("b", out _)),
            "vector b gone from every node's config", Deadline);
        for (int i = 0; i < 3; i++)
        {
            var page = await LocalCluster.OkAsync(cluster[i], HttpMethod.Post, "/collections/vn/points/scroll", new { limit = 100, with_vector = true, with_payload = false });
            var all = page.GetProperty("points").EnumerateArray().ToList();
            Assert.Equal(10, all.Count);
            Assert.All(all, p =>
            {
                Assert.False(p.GetProperty("vector").TryGetProperty("b", out _));
                Assert.True(p.GetProperty("vector").TryGetProperty("a", out _));
            });
        }

        // A vector of the same name comes back empty on every replica.
        await LocalCluster.OkAsync(cluster[2], HttpMethod.Put, "/collections/vn/vectors/b?wait=true", """{"dense": {"size": 3, "distance": "Cosine"}}""");
        await cluster.WaitUntilAsync(async () => (await VectorsOnEveryNodeAsync(cluster)).All(v => v.TryGetProperty("b", out _)), "vector b back on every node", Deadline);
        for (int i = 0; i < 3; i++)
        {
            var count = await LocalCluster.OkAsync(cluster[i], HttpMethod.Post, "/collections/vn/points/count?consistency=all",
                new { exact = true, filter = new { must = new[] { new { has_vector = "b" } } } });
            Assert.Equal(0, count.GetProperty("count").GetInt32());
        }
    }

    private static async Task<JsonElement[]> VectorsOnEveryNodeAsync(LocalCluster cluster) =>
        await Task.WhenAll(Enumerable.Range(0, 3).Select(async i =>
            (await LocalCluster.GetAsync(cluster[i], "/collections/vn")).GetProperty("config").GetProperty("params").GetProperty("vectors")));
}

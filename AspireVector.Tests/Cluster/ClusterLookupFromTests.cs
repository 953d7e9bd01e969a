using System.Text.Json;

namespace AspireVector.Tests.Cluster;

/// <summary>
/// <c>lookup_from</c>, <c>sample</c>, <c>mmr</c> and <c>formula</c> on three real nodes: examples given by id are read
/// from another collection whose shards live on other nodes, through the coordinator's retrieve path; samples, MMR
/// candidates and a formula's condition matches come from every shard.
/// </summary>
[Trait("Category", "Process")]
[Collection(ClusterProcesses.Name)]
public sealed class ClusterLookupFromTests
{
    private static float[] ItemOf(int id) => [MathF.Cos(id * 0.8f), MathF.Sin(id * 0.5f), id % 4 - 1.5f, 0.3f];

    private static float[] TasteOf(int id) => [MathF.Sin(id * 1.9f), 0.4f, MathF.Cos(id * 0.7f), id % 3 - 1];

    private static float Dot(float[] a, float[] b) => a.Zip(b, (x, y) => x * y).Sum();

    private static int[] Ids(JsonElement points) => [.. points.EnumerateArray().Select(p => p.GetProperty("id").GetInt32())];

    [Fact]
    public async Task LookupFromReadsAnotherShardedCollectionThroughAnyNode()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/items", new
        {
            vectors = new { size = 4, distance = "Dot" }, shard_number = 3, replication_factor = 1,
        });
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/users", new
        {
            vectors = new { taste = new { size = 4, distance = "Dot" } }, shard_number = 3, replication_factor = 1,
        });
        var items = Enumerable.Range(1, 45).Select(id => new { id, vector = ItemOf(id), payload = new { n = id, odd = id % 2 == 1 } }).ToArray();
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/items/points?wait=true", new { points = items });
        var users = Enumerable.Range(1, 12).Select(id => new { id, vector = new { taste = TasteOf(id) } }).ToArray();
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/users/points?wait=true", new { points = users });
        Assert.Equal(2, (await LocalCluster.GetAsync(cluster[1], "/collections/users/cluster")).GetProperty("remote_shards").GetArrayLength());
        var lookup = new { collection = "users", vector = "taste" };
        var exact = new { exact = true };

        // Nearest to user 7's taste, through node 2: nothing left out (an id of another collection).
        var nearest = await LocalCluster.OkAsync(cluster[2], HttpMethod.Post, "/collections/items/points/query",
            new { query = 7, lookup_from = lookup, limit = 8, @params = exact });
        var expected = Enumerable.Range(1, 45).OrderByDescending(id => Dot(ItemOf(id), TasteOf(7))).ThenBy(id => id).Take(8).ToList();
        Assert.Equal(expected, Ids(nearest.GetProperty("points")));
        foreach (var (id, p) in expected.Zip(nearest.GetProperty("points").EnumerateArray()))
            Assert.Equal(Dot(ItemOf(id), TasteOf(7)), p.GetProperty("score").GetSingle(), 3);

        // The recommend endpoint, through node 1: every user example on some shard, the average of the positives
        // searched, and the example ids left out.
        var recommended = await LocalCluster.OkAsync(cluster[1], HttpMethod.Post, "/collections/items/points/recommend",
            new { positive = new[] { 2, 5, 11 }, lookup_from = lookup, limit = 6, @params = exact });
        float[] average = [.. Enumerable.Range(0, 4).Select(i => (TasteOf(2)[i] + TasteOf(5)[i] + TasteOf(11)[i]) / 3)];
        Assert.Equal(Enumerable.Range(1, 45).Where(id => id is not (2 or 5 or 11)).OrderByDescending(id => Dot(ItemOf(id), average)).ThenBy(id => id).Take(6),
            Ids(recommended));

        // A missing user is a 404 whichever node holds (or would hold) it.
        var (status, body) = await LocalCluster.SendAsync(cluster[1], HttpMethod.Post, "/collections/items/points/query", new { query = 404, lookup_from = lookup });
        Assert.Equal(404, status);
        Assert.Contains("404", body.GetProperty("status").GetProperty("error").GetString());

        // A sample larger than the collection holds every point of every shard; MMR with diversity 0 is the nearest list.
        var sample = await LocalCluster.OkAsync(cluster[2], HttpMethod.Post, "/collections/items/points/query",
            new { query = new { sample = "random" }, limit = 100 });
        Assert.Equal(Enumerable.Range(1, 45), Ids(sample.GetProperty("points")).Order());
        var mmr = await LocalCluster.OkAsync(cluster[1], HttpMethod.Post, "/collections/items/points/query",
            new { query = new { nearest = TasteOf(7), mmr = new { diversity = 0, candidates_limit = 20 } }, limit = 8, @params = exact });
        Assert.Equal(expected, Ids(mmr.GetProperty("points")));

        // A formula's condition is read from every shard holding a candidate: odd items get +10.
        var boosted = await LocalCluster.OkAsync(cluster[2], HttpMethod.Post, "/collections/items/points/query", new
        {
            prefetch = new { query = TasteOf(7), limit = 12, @params = exact },
            query = new { formula = new { sum = new object[] { "$score", new { mult = new object[] { 10, new { key = "odd", match = new { value = true } } } } } } },
            limit = 12,
        });
        var candidates = Enumerable.Range(1, 45).OrderByDescending(id => Dot(ItemOf(id), TasteOf(7))).ThenBy(id => id).Take(12);
        Assert.Equal(candidates.OrderByDescending(id => Dot(ItemOf(id), TasteOf(7)) + (id % 2 == 1 ? 10 : 0)).ThenBy(id => id), Ids(boosted.GetProperty("points")));
    }
}

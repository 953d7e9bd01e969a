using System.Text.Json;

namespace AspireVector.Tests.Cluster;

/// <summary>
/// Aliases as cluster metadata (created on one node, used on the others) and recommend/facet coordinated by a node
/// that holds no replica of some shards, on three real nodes.
/// </summary>
[Trait("Category", "Process")]
[Collection(ClusterProcesses.Name)]
public sealed class ClusterAliasRecommendTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(40);

    private static float[] VectorOf(int id) => [MathF.Cos(id), MathF.Sin(id), id % 3 - 1, 0.5f];

    private static Dictionary<string, string> Aliases(JsonElement result) =>
        result.GetProperty("aliases").EnumerateArray().ToDictionary(a => a.GetProperty("alias_name").GetString()!, a => a.GetProperty("collection_name").GetString()!);

    private static int[] Ids(JsonElement points) => [.. points.EnumerateArray().Select(p => p.GetProperty("id").GetInt32())];

    [Fact]
    public async Task AliasCreatedOnOneNodeServesTheOthersAndRecommendCrossesShardsHeldElsewhere()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/reco",
            new { vectors = new { size = 4, distance = "Dot" }, shard_number = 3, replication_factor = 1 });
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Post, "/collections/aliases",
            new { actions = new object[] { new { create_alias = new { collection_name = "reco", alias_name = "reco_live" } } } });

        // Node 2 writes through the alias node 0 created, once it applied the change.
        await cluster.WaitUntilAsync(async () => Aliases(await LocalCluster.GetAsync(cluster[2], "/aliases")).GetValueOrDefault("reco_live") == "reco",
            "the alias on node 2", Deadline);
        var points = Enumerable.Range(1, 40).Select(id => new { id, vector = VectorOf(id), payload = new { color = (id % 4) switch { 0 => "red", 1 => "green", _ => "blue" } } }).ToArray();
        await LocalCluster.OkAsync(cluster[2], HttpMethod.Put, "/collections/reco_live/points?wait=true", new { points });
        await LocalCluster.OkAsync(cluster[2], HttpMethod.Put, "/collections/reco_live/index?wait=true", new { field_name = "color", field_schema = "keyword" });

        // Node 1 holds one of the three shards: the others are read from their peers.
        var placement = await LocalCluster.GetAsync(cluster[1], "/collections/reco/cluster");
        Assert.Equal(1, placement.GetProperty("local_shards").GetArrayLength());
        Assert.Equal(2, placement.GetProperty("remote_shards").GetArrayLength());
        await cluster.WaitUntilAsync(async () => (await LocalCluster.GetAsync(cluster[1], "/aliases")).GetProperty("aliases").GetArrayLength() == 1, "the alias on node 1", Deadline);

        // best_score: each point scores by its closest example (dot product), squashed; examples left out.
        int[] positive = [3, 17], negative = [8];
        float Score(float[] v)
        {
            static float Dot(float[] a, float[] b) => a.Zip(b, (x, y) => x * y).Sum();
            static float Sigmoid(float x) => 0.5f * (x / (1f + MathF.Abs(x)) + 1f);
            float pos = positive.Max(p => Dot(VectorOf(p), v)), neg = negative.Max(n => Dot(VectorOf(n), v));
            return pos > neg ? Sigmoid(pos) : -Sigmoid(neg);
        }

        var expected = Enumerable.Range(1, 40).Except(positive).Except(negative)
            .Select(id => (Id: id, Score: Score(VectorOf(id)))).OrderByDescending(x => x.Score).ThenBy(x => x.Id).Take(8).ToList();
        var best = await LocalCluster.OkAsync(cluster[1], HttpMethod.Post, "/collections/reco_live/points/recommend",
            new { positive, negative, strategy = "best_score", limit = 8 });
        Assert.Equal(expected.Select(e => e.Id), Ids(best));
        foreach (var (e, hit) in expected.Zip(best.EnumerateArray())) Assert.Equal(e.Score, hit.GetProperty("score").GetSingle(), 3);

        // average_vector: the same as a search for 2 * avg(positive) - avg(negative) without the examples.
        var query = Enumerable.Range(0, 4).Select(i => (VectorOf(3)[i] + VectorOf(17)[i]) - VectorOf(8)[i]).ToArray();
        var average = await LocalCluster.OkAsync(cluster[1], HttpMethod.Post, "/collections/reco_live/points/recommend",
            new { positive, negative, limit = 8, @params = new { exact = true } });
        var search = await LocalCluster.OkAsync(cluster[0], HttpMethod.Post, "/collections/reco/points/search",
            new { vector = query, limit = 8, @params = new { exact = true }, filter = new { must_not = new[] { new { has_id = new[] { 3, 17, 8 } } } } });
        Assert.Equal(Ids(search), Ids(average));

        // Facet counts from every shard through node 1.
        var facet = await LocalCluster.OkAsync(cluster[1], HttpMethod.Post, "/collections/reco_live/facet", new { key = "color" });
        var counts = facet.GetProperty("hits").EnumerateArray().ToDictionary(h => h.GetProperty("value").GetString()!, h => h.GetProperty("count").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["blue"] = 20, ["red"] = 10, ["green"] = 10 }, counts);

        // Renaming on node 2 and deleting the collection on node 1 reach every node.
        await LocalCluster.OkAsync(cluster[2], HttpMethod.Post, "/collections/aliases",
            new { actions = new object[] { new { rename_alias = new { old_alias_name = "reco_live", new_alias_name = "reco_next" } } } });
        await cluster.WaitUntilAsync(async () => Aliases(await LocalCluster.GetAsync(cluster[0], "/aliases")).ContainsKey("reco_next"), "the rename on node 0", Deadline);
        var (status, _) = await LocalCluster.SendAsync(cluster[0], HttpMethod.Post, "/collections/reco_live/points/count", new { exact = true });
        Assert.Equal(404, status);
        Assert.Equal(40, (await LocalCluster.OkAsync(cluster[0], HttpMethod.Post, "/collections/reco_next/points/count", new { exact = true })).GetProperty("count").GetInt32());

        var (refused, body) = await LocalCluster.SendAsync(cluster[1], HttpMethod.Post, "/collections/aliases",
            new { actions = new object[] { new { create_alias = new { collection_name = "missing", alias_name = "x" } } } });
        Assert.True(refused == 404, body.ToString());

        await LocalCluster.OkAsync(cluster[1], HttpMethod.Delete, "/collections/reco");
        foreach (var n in cluster.Nodes)
            await cluster.WaitUntilAsync(async () => (await LocalCluster.GetAsync(n, "/aliases")).GetProperty("aliases").GetArrayLength() == 0, $"no aliases on {n.Name}", Deadline);
    }
}

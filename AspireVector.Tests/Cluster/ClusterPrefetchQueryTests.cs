using System.Text.Json;

namespace AspireVector.Tests.Cluster;

/// <summary>
/// The query API's prefetch on three real nodes: fusion and re-scoring coordinated by a node that holds one of the
/// three shards, checked against brute force.
/// </summary>
[Trait("Category", "Process")]
[Collection(ClusterProcesses.Name)]
public sealed class ClusterPrefetchQueryTests
{
    private static float[] ImageOf(int id) => [MathF.Cos(id), MathF.Sin(id), id % 3 - 1, 0.5f];

    private static float[] TextOf(int id) => [MathF.Sin(id * 0.7f), id % 5 - 2, MathF.Cos(id * 1.3f)];

    private static float Dot(float[] a, float[] b) => a.Zip(b, (x, y) => x * y).Sum();

    private static List<int> Ranked(Func<int, float[]> vectorOf, float[] query, int limit, Func<int, bool>? keep = null) =>
        [.. Enumerable.Range(1, 45).Where(id => keep?.Invoke(id) ?? true).OrderByDescending(id => Dot(vectorOf(id), query)).ThenBy(id => id).Take(limit)];

    private static int[] Ids(JsonElement points) => [.. points.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("id").GetInt32())];

    [Fact]
    public async Task PrefetchFusionAndRescoringCrossShardsHeldElsewhere()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/hybrid", new
        {
            vectors = new { image = new { size = 4, distance = "Dot" }, text = new { size = 3, distance = "Dot" } },
            shard_number = 3, replication_factor = 1,
        });
        var points = Enumerable.Range(1, 45).Select(id => new { id, vector = new { image = ImageOf(id), text = TextOf(id) }, payload = new { n = id } }).ToArray();
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/hybrid/points?wait=true", new { points });
        var placement = await LocalCluster.GetAsync(cluster[1], "/collections/hybrid/cluster");
        Assert.Equal(2, placement.GetProperty("remote_shards").GetArrayLength());

        float[] image = [0.3f, -1, 0.5f, 0.2f], text = [1, -0.5f, 0.25f];
        var exact = new { exact = true };

        // RRF (k = 2) of the two prefetches.
        var imageList = Ranked(ImageOf, image, 10);
        var textList = Ranked(TextOf, text, 10);
        var rrf = new Dictionary<int, double>();
        foreach (var list in new[] { imageList, textList })
        {
            for (int pos = 0; pos < list.Count; pos++) rrf[list[pos]] = rrf.GetValueOrDefault(list[pos]) + 1.0 / (pos + 2);
        }

        var fused = await LocalCluster.OkAsync(cluster[1], HttpMethod.Post, "/collections/hybrid/points/query", new
        {
            prefetch = new object[] { new { query = image, @using = "image", limit = 10, @params = exact }, new { query = text, @using = "text", limit = 10, @params = exact } },
            query = new { fusion = "rrf" }, limit = 6, with_payload = true,
        });
        Assert.Equal(rrf.OrderByDescending(p => p.Value).ThenBy(p => p.Key).Take(6).Select(p => p.Key), Ids(fused));
        foreach (var p in fused.GetProperty("points").EnumerateArray())
        {
            Assert.Equal(rrf[p.GetProperty("id").GetInt32()], p.GetProperty("score").GetDouble(), 5);
            Assert.Equal(p.GetProperty("id").GetInt32(), p.GetProperty("payload").GetProperty("n").GetInt32());
        }

        // Re-scoring: the image prefetch's 15 candidates ranked by the text vector, read through node 2.
        var candidates = Ranked(ImageOf, image, 15).ToHashSet();
        var rescored = await LocalCluster.OkAsync(cluster[2], HttpMethod.Post, "/collections/hybrid/points/query", new
        {
            prefetch = new { query = image, @using = "image", limit = 15, @params = exact },
            query = text, @using = "text", limit = 5,
        });
        var expected = Ranked(TextOf, text, 5, candidates.Contains);
        Assert.Equal(expected, Ids(rescored));
        foreach (var (id, p) in expected.Zip(rescored.GetProperty("points").EnumerateArray()))
            Assert.Equal(Dot(TextOf(id), text), p.GetProperty("score").GetSingle(), 3);

        // order_by merges every shard's points: scroll through node 1, query through node 2.
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/hybrid/index?wait=true", new { field_name = "n", field_schema = "integer" });
        await cluster.WaitUntilAsync(async () =>
            (await LocalCluster.SendAsync(cluster[1], HttpMethod.Post, "/collections/hybrid/points/scroll", new { order_by = "n" })).Item1 == 200 &&
            (await LocalCluster.SendAsync(cluster[2], HttpMethod.Post, "/collections/hybrid/points/scroll", new { order_by = "n" })).Item1 == 200,
            "the index on nodes 1 and 2", TimeSpan.FromSeconds(40));
        var ordered = await LocalCluster.OkAsync(cluster[1], HttpMethod.Post, "/collections/hybrid/points/scroll",
            new { order_by = new { key = "n", direction = "desc", start_from = 30 }, limit = 12 });
        Assert.Equal(Enumerable.Range(19, 12).Reverse(), Ids(ordered));
        Assert.Equal(JsonValueKind.Null, ordered.GetProperty("next_page_offset").ValueKind);
        var query = await LocalCluster.OkAsync(cluster[2], HttpMethod.Post, "/collections/hybrid/points/query",
            new { query = new { order_by = new { key = "n", start_from = 40 } }, limit = 10 });
        Assert.Equal(Enumerable.Range(40, 6), Ids(query));
    }
}

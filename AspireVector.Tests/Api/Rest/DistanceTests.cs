using System.Text.Json;

namespace AspireVector.Tests.Api.Rest;

/// <summary>Scores and order for each distance, as Qdrant computes them.</summary>
public sealed class DistanceTests(RestNode node) : IClassFixture<RestNode>
{
    private const string Points = """
        [{"id": 1, "vector": [3, 4]}, {"id": 2, "vector": [1, 0]}, {"id": 3, "vector": [-2, 2]}, {"id": 4, "vector": [0, 10]}]
        """;

    private async Task<(int[] Ids, double[] Scores)> SearchAsync(string distance, string extra = "")
    {
        string name = "distance-" + distance.ToLowerInvariant() + (extra.Length == 0 ? "" : "-t");
        await node.CreateCollectionAsync(name, size: 2, distance: distance);
        await node.UpsertAsync(name, Points);
        var hits = (await node.PostAsync($"/collections/{name}/points/search", $$"""{"vector": [1, 2], "limit": 4{{extra}}}""")).Result;
        return ([.. hits.EnumerateArray().Select(h => h.GetProperty("id").GetInt32())],
                [.. hits.EnumerateArray().Select(h => Math.Round(h.GetProperty("score").GetDouble(), 4))]);
    }

    [Fact]
    public async Task Cosine_scores_are_cosine_similarity_and_stored_vectors_are_normalised()
    {
        var (ids, scores) = await SearchAsync("Cosine");
        Assert.Equal([1, 4, 2, 3], ids);
        Assert.Equal([Math.Round(11 / (5 * Math.Sqrt(5)), 4), Math.Round(2 / Math.Sqrt(5), 4), Math.Round(1 / Math.Sqrt(5), 4), Math.Round(1 / Math.Sqrt(10), 4)], scores);

        var stored = (await node.GetAsync("/collections/distance-cosine/points/1")).Result.GetProperty("vector");
        Assert.Equal([0.6, 0.8], stored.EnumerateArray().Select(v => Math.Round(v.GetDouble(), 5)));
        var upright = (await node.PostAsync("/collections/distance-cosine/points", """{"ids": [4], "with_vector": true}""")).Result[0].GetProperty("vector");
        Assert.Equal([0.0, 1.0], upright.EnumerateArray().Select(v => Math.Round(v.GetDouble(), 5)));
    }

    [Fact]
    public async Task Dot_scores_are_raw_dot_products_highest_first()
    {
        var (ids, scores) = await SearchAsync("Dot");
        Assert.Equal([4, 1, 3, 2], ids);
        Assert.Equal([20.0, 11, 2, 1], scores);
        var stored = (await node.GetAsync("/collections/distance-dot/points/1")).Result.GetProperty("vector");
        Assert.Equal([3.0, 4.0], stored.EnumerateArray().Select(v => v.GetDouble()));
    }

    [Fact]
    public async Task Euclid_scores_are_distances_smallest_first_and_threshold_is_a_ceiling()
    {
        var (ids, scores) = await SearchAsync("Euclid");
        Assert.Equal([2, 1, 3, 4], ids);
        Assert.Equal([2.0, Math.Round(Math.Sqrt(8), 4), 3.0, Math.Round(Math.Sqrt(65), 4)], scores);

        var (within, _) = await SearchAsync("Euclid", """, "score_threshold": 2.9""");
        Assert.Equal([2, 1], within);
    }

    [Fact]
    public async Task Manhattan_scores_are_l1_distances_smallest_first()
    {
        var (ids, scores) = await SearchAsync("Manhattan");
        Assert.Equal([2, 3, 1, 4], ids);
        Assert.Equal([2.0, 3, 4, 9], scores);
    }
}

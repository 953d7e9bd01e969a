using System.Globalization;
using System.Net;
using System.Text.Json;

namespace AspireVector.Tests.Api.Rest;

/// <summary>
/// The query API's <c>{"sample": "random"}</c> (random points passing the filter) and <c>nearest</c> with <c>mmr</c>
/// (maximal marginal relevance, checked against a brute-force greedy selection).
/// </summary>
public sealed class SampleAndMmrQueryApiTests(RestNode node) : IClassFixture<RestNode>
{
    private const string Name = "sample_mmr";

    private static float[] VectorOf(int id) => [MathF.Cos(id * 0.45f), MathF.Sin(id * 0.45f), (id % 4) * 0.15f, MathF.Sin(id * 2.1f) * 0.2f];

    private static string Json(float[] v) => "[" + string.Join(",", v.Select(x => x.ToString("R", CultureInfo.InvariantCulture))) + "]";

    private static float Dot(float[] a, float[] b) => a.Zip(b, (x, y) => x * y).Sum();

    private async Task SeedAsync()
    {
        if ((await node.GetAsync($"/collections/{Name}/exists")).Result.GetProperty("exists").GetBoolean()) return;
        await node.CreateCollectionAsync(Name, 4, "Dot", """, "shard_number": 2""");
        await node.UpsertAsync(Name, "[" + string.Join(",", Enumerable.Range(1, 30).Select(id => $$$"""{"id": {{{id}}}, "vector": {{{Json(VectorOf(id))}}}, "payload": {"n": {{{id}}}}}""")) + "]");
    }

    private async Task<JsonElement> QueryAsync(string body) => (await node.PostAsync($"/collections/{Name}/points/query", body)).Result.GetProperty("points");

    private static int[] Ids(JsonElement points) => [.. points.EnumerateArray().Select(p => p.GetProperty("id").GetInt32())];

    [Fact]
    public async Task A_query_without_query_pages_in_id_order_and_scores_every_point_1_as_sample_does()
    {
        await SeedAsync();
        var page = await QueryAsync("""{"filter": {"must": [{"key": "n", "range": {"gte": 10}}]}, "limit": 4, "offset": 2}""");
        Assert.Equal([12, 13, 14, 15], Ids(page));
        Assert.All(page.EnumerateArray(), p => Assert.Equal(1f, p.GetProperty("score").GetSingle()));
        var sampled = await QueryAsync("""{"query": {"sample": "random"}, "limit": 3}""");
        Assert.All(sampled.EnumerateArray(), p => Assert.Equal(1f, p.GetProperty("score").GetSingle()));
    }

    [Fact]
    public async Task Sample_returns_distinct_random_points_passing_the_filter()
    {
        await SeedAsync();
        var seen = new HashSet<int>();
        for (int i = 0; i < 20; i++)
        {
            var points = await QueryAsync("""{"query": {"sample": "random"}, "filter": {"must": [{"key": "n", "range": {"lte": 20}}]}, "limit": 5, "with_payload": true}""");
            var ids = Ids(points);
            Assert.Equal(5, ids.Length);
            Assert.Equal(5, ids.Distinct().Count());
            Assert.All(ids, id => Assert.InRange(id, 1, 20));
            Assert.All(points.EnumerateArray(), p => Assert.Equal(1f, p.GetProperty("score").GetSingle()));
            Assert.All(points.EnumerateArray(), p => Assert.Equal(p.GetProperty("id").GetInt32(), p.GetProperty("payload").GetProperty("n").GetInt32()));
            seen.UnionWith(ids);
        }

        // 20 draws of 5 among 20 points: the same 5 every time would mean no sampling at all.
        Assert.True(seen.Count > 5, $"only {seen.Count} distinct points in 20 samples");

        // More than the filter lets through: all of them, whatever the (ignored) offset.
        var all = await QueryAsync("""{"query": {"sample": "random"}, "filter": {"must": [{"key": "n", "range": {"gt": 18}}]}, "limit": 50, "offset": 3}""");
        Assert.Equal(Enumerable.Range(19, 12), Ids(all).Order());
    }

    [Fact]
    public async Task Sample_over_a_prefetch_draws_from_its_candidates()
    {
        await SeedAsync();
        var query = VectorOf(11);
        var candidates = Enumerable.Range(1, 30).OrderByDescending(id => Dot(VectorOf(id), query)).ThenBy(id => id).Take(6).ToHashSet();
        var points = await QueryAsync($$$"""{"prefetch": {"query": {{{Json(query)}}}, "limit": 6, "params": {"exact": true}}, "query": {"sample": "random"}, "limit": 4}""");
        var ids = Ids(points);
        Assert.Equal(4, ids.Length);
        Assert.Equal(4, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Contains(id, candidates));
    }

    /// <summary>Brute-force MMR: candidates by dot product, then the greedy choice with λ = 1 − diversity.</summary>
    private static List<int> Mmr(float[] query, float diversity, int candidatesLimit, int limit)
    {
        var candidates = Enumerable.Range(1, 30).OrderByDescending(id => Dot(VectorOf(id), query)).ThenBy(id => id).Take(candidatesLimit).ToList();
        float lambda = 1 - diversity;
        var chosen = new List<int>();
        var left = new List<int>(candidates);
        while (chosen.Count < limit && left.Count > 0)
        {
            int best = left.OrderByDescending(c => chosen.Count == 0
                ? Dot(VectorOf(c), query)
                : lambda * Dot(VectorOf(c), query) - (1 - lambda) * chosen.Max(s => Dot(VectorOf(c), VectorOf(s)))).First();
            chosen.Add(best);
            left.Remove(best);
        }

        return chosen;
    }

    [Theory]
    [InlineData(0.5f, 20, 6)]
    [InlineData(0.9f, 30, 5)]
    [InlineData(0f, 10, 4)]
    [InlineData(0.5f, 3, 6)]
    public async Task Mmr_chooses_as_the_greedy_brute_force_and_keeps_search_scores(float diversity, int candidatesLimit, int limit)
    {
        await SeedAsync();
        float[] query = [0.8f, 0.3f, 0.2f, -0.1f];
        var points = await QueryAsync($$$"""
            {"query": {"nearest": {{{Json(query)}}}, "mmr": {"diversity": {{{diversity.ToString(CultureInfo.InvariantCulture)}}}, "candidates_limit": {{{candidatesLimit}}}}},
             "limit": {{{limit}}}, "params": {"exact": true}, "with_vector": true}
            """);
        var expected = Mmr(query, diversity, candidatesLimit, limit);
        Assert.Equal(expected, Ids(points));
        foreach (var p in points.EnumerateArray())
        {
            int id = p.GetProperty("id").GetInt32();
            Assert.Equal(Dot(VectorOf(id), query), p.GetProperty("score").GetSingle(), 4);
            Assert.Equal(4, p.GetProperty("vector").GetArrayLength());
        }

        if (diversity == 0f) Assert.Equal(Ids(await QueryAsync($$$"""{"query": {{{Json(query)}}}, "limit": {{{limit}}}, "params": {"exact": true}}""")), Ids(points));
    }

    [Fact]
    public async Task Mmr_candidates_default_to_the_limit_and_diversify_a_prefetch()
    {
        await SeedAsync();
        float[] query = [0.1f, 0.9f, 0.3f, 0.2f];
        var points = await QueryAsync($$$"""{"query": {"nearest": {{{Json(query)}}}, "mmr": {}}, "limit": 7, "params": {"exact": true}}""");
        Assert.Equal(Mmr(query, 0.5f, 7, 7), Ids(points));

        // An MMR prefetch fused with a plain one: the MMR list's order is what RRF ranks.
        var fused = await QueryAsync($$$"""
            {"prefetch": [{"query": {"nearest": {{{Json(query)}}}, "mmr": {"diversity": 0.8, "candidates_limit": 15}}, "limit": 5, "params": {"exact": true}}],
             "query": {"fusion": "rrf"}, "limit": 5}
            """);
        Assert.Equal(Mmr(query, 0.8f, 15, 5), Ids(fused));
    }

    [Theory]
    [InlineData("""{"query": {"sample": "first"}}""", "unknown variant `first`, expected `random`")]
    [InlineData("""{"query": {"sample": "random"}, "prefetch": {"query": {"fusion": "rrf"}}}""", "Fusion")]
    [InlineData("""{"query": {"nearest": [1, 0, 0, 0], "mmr": {"diversity": 1.5}}}""", "query.mmr.diversity")]
    [InlineData("""{"query": {"nearest": [1, 0, 0, 0], "mmr": {"candidates_limit": 100000}}}""", "query.mmr.candidates_limit")]
    [InlineData("""{"query": {"nearest": [1, 0, 0, 0], "mmr": 3}}""", "query.mmr")]
    public async Task Bad_samples_and_mmr_are_refused(string body, string mentions)
    {
        await SeedAsync();
        Assert.Contains(mentions, (await node.PostAsync($"/collections/{Name}/points/query", body)).Error(HttpStatusCode.BadRequest));
    }
}

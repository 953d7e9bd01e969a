using System.Globalization;
using System.Net;
using System.Text.Json;

namespace AspireVector.Tests.Api.Rest;

/// <summary><c>points/recommend</c> (+batch, and query's <c>recommend</c>) checked against brute force.</summary>
public sealed class RecommendApiTests(RestNode node) : IClassFixture<RestNode>
{
    private const int Dimension = 6;

    /// <summary>Seeded points with a <c>group</c> payload; returns id to vector.</summary>
    private async Task<Dictionary<int, float[]>> SeedAsync(string name, string distance)
    {
        var random = new Random(name.Length * 7919);
        var vectors = new Dictionary<int, float[]>();
        if (!(await node.GetAsync($"/collections/{name}/exists")).Result.GetProperty("exists").GetBoolean())
        {
            await node.CreateCollectionAsync(name, Dimension, distance, """, "shard_number": 3""");
            var points = new List<string>();
            for (int id = 1; id <= 90; id++)
            {
                var v = Enumerable.Range(0, Dimension).Select(_ => (float)Math.Round(random.NextDouble() * 2 - 1, 3)).ToArray();
                points.Add($$$"""{"id": {{{id}}}, "vector": [{{{string.Join(",", v.Select(x => x.ToString(CultureInfo.InvariantCulture)))}}}], "payload": {"group": {{{id % 3}}}}}""");
            }

            await node.UpsertAsync(name, "[" + string.Join(",", points) + "]");
        }

        foreach (var p in await node.ScrollAllAsync(name))
            vectors[p.GetProperty("id").GetInt32()] = [.. p.GetProperty("vector").EnumerateArray().Select(x => x.GetSingle())];
        return vectors;
    }

    private static int[] Ids(JsonElement points) => [.. points.EnumerateArray().Select(p => p.GetProperty("id").GetInt32())];

    private static float[] Scores(JsonElement points) => [.. points.EnumerateArray().Select(p => p.GetProperty("score").GetSingle())];

    private static string Json(float[] v) => "[" + string.Join(",", v.Select(x => x.ToString("R", CultureInfo.InvariantCulture))) + "]";

    /// <summary>Qdrant's similarity: dot product, or the negated squared distance for Euclid.</summary>
    private static float Similarity(string distance, float[] a, float[] b) => distance == "Dot"
        ? a.Zip(b, (x, y) => x * y).Sum()
        : -a.Zip(b, (x, y) => (x - y) * (x - y)).Sum();

    private static float Sigmoid(float x) => 0.5f * (x / (1f + MathF.Abs(x)) + 1f);

    private static List<(int Id, float Score)> BruteForce(Dictionary<int, float[]> points, IEnumerable<int> exclude, Func<float[], float> score, int limit, int offset = 0) =>
        [.. points.Where(p => !exclude.Contains(p.Key)).Select(p => (p.Key, score(p.Value)))
            .OrderByDescending(x => x.Item2).ThenBy(x => x.Key).Skip(offset).Take(limit)];

    private static void AssertMatches(List<(int Id, float Score)> expected, JsonElement actual)
    {
        Assert.Equal(expected.Select(e => e.Id), Ids(actual));
        foreach (var (e, a) in expected.Select(e => e.Score).Zip(Scores(actual))) Assert.Equal(e, a, 3);
    }

    [Fact]
    public async Task Average_vector_equals_a_search_for_the_averaged_vector_without_the_examples()
    {
        var points = await SeedAsync("reco_dot", "Dot");
        var raw = new float[] { 0.3f, -0.2f, 0.1f, 0.9f, 0f, -0.5f };
        var hits = (await node.PostAsync("/collections/reco_dot/points/recommend", $$"""
            {"positive": [1, 2, {{Json(raw)}}], "negative": [3], "limit": 7, "offset": 1, "params": {"exact": true}, "with_payload": true}
            """)).Result;

        var avgPos = Enumerable.Range(0, Dimension).Select(i => (points[1][i] + points[2][i] + raw[i]) / 3f).ToArray();
        var query = avgPos.Select((p, i) => p + p - points[3][i]).ToArray();
        var search = (await node.PostAsync("/collections/reco_dot/points/search", $$$"""
            {"vector": {{{Json(query)}}}, "limit": 7, "offset": 1, "params": {"exact": true}, "filter": {"must_not": [{"has_id": [1, 2, 3]}]}}
            """)).Result;
        Assert.Equal(Ids(search), Ids(hits));
        Assert.Equal(Scores(search), Scores(hits));
        Assert.DoesNotContain(Ids(hits), id => id is 1 or 2 or 3);
        Assert.True(hits[0].GetProperty("payload").TryGetProperty("group", out _));
        AssertMatches(BruteForce(points, [1, 2, 3], v => Similarity("Dot", query, v), 7, 1), hits);

        // The default strategy is average_vector, and query's recommend answers the same.
        var viaQuery = (await node.PostAsync("/collections/reco_dot/points/query", $$$"""
            {"query": {"recommend": {"positive": [1, 2, {{{Json(raw)}}}], "negative": [3], "strategy": "average_vector"}}, "limit": 7, "offset": 1, "params": {"exact": true}}
            """)).Result.GetProperty("points");
        Assert.Equal(Ids(hits), Ids(viaQuery));
    }

    [Theory]
    [InlineData("Dot")]
    [InlineData("Euclid")]
    public async Task Best_score_ranks_by_the_closest_example_as_brute_force_does(string distance)
    {
        string name = "reco_best_" + distance.ToLowerInvariant();
        var points = await SeedAsync(name, distance);
        var negative = new float[] { 0.5f, 0.5f, 0.5f, -0.5f, -0.5f, 0.1f };
        var hits = (await node.PostAsync($"/collections/{name}/points/recommend", $$$"""
            {"positive": [4, 5], "negative": [6, {{{Json(negative)}}}], "strategy": "best_score", "limit": 10, "filter": {"must_not": [{"key": "group", "match": {"value": 0}}]}}
            """)).Result;

        float Score(float[] v)
        {
            float pos = MathF.Max(Similarity(distance, points[4], v), Similarity(distance, points[5], v));
            float neg = MathF.Max(Similarity(distance, points[6], v), Similarity(distance, negative, v));
            return pos > neg ? Sigmoid(pos) : -Sigmoid(neg);
        }

        var candidates = points.Where(p => p.Key % 3 != 0).ToDictionary();
        AssertMatches(BruteForce(candidates, [4, 5, 6], Score, 10), hits);

        // Negatives only are allowed with best_score: every score is then negative.
        var onlyNegative = (await node.PostAsync($"/collections/{name}/points/recommend", """{"negative": [6], "strategy": "best_score", "limit": 3, "score_threshold": -0.9}""")).Result;
        AssertMatches(BruteForce(points, [6], v => -Sigmoid(Similarity(distance, points[6], v)), 3).Where(x => x.Score >= -0.9f).ToList(), onlyNegative);
    }

    [Fact]
    public async Task Sum_scores_batch_and_query_agree_with_brute_force()
    {
        var points = await SeedAsync("reco_dot", "Dot");
        float Sum(float[] v) => Similarity("Dot", points[7], v) + Similarity("Dot", points[8], v) - Similarity("Dot", points[9], v);
        var batch = (await node.PostAsync("/collections/reco_dot/points/recommend/batch", """
            {"searches": [{"positive": [7, 8], "negative": [9], "strategy": "sum_scores", "limit": 5, "with_vector": true},
                          {"positive": [7], "limit": 2}]}
            """)).Result;
        Assert.Equal(2, batch.GetArrayLength());
        AssertMatches(BruteForce(points, [7, 8, 9], Sum, 5), batch[0]);
        Assert.Equal(Dimension, batch[0][0].GetProperty("vector").GetArrayLength());
        AssertMatches(BruteForce(points, [7], v => Similarity("Dot", points[7], v), 2), batch[1]);

        var viaQuery = (await node.PostAsync("/collections/reco_dot/points/query", """
            {"query": {"recommend": {"positive": [7, 8], "negative": [9], "strategy": "sum_scores"}}, "limit": 5}
            """)).Result.GetProperty("points");
        AssertMatches(BruteForce(points, [7, 8, 9], Sum, 5), viaQuery);
    }

    [Theory]
    [InlineData("""{"positive": [1]}""", HttpStatusCode.BadRequest, "limit")]
    [InlineData("""{"negative": [1], "limit": 3}""", HttpStatusCode.BadRequest, "At least one positive vector ID required")]
    [InlineData("""{"strategy": "best_score", "limit": 3}""", HttpStatusCode.BadRequest, "At least one positive or negative")]
    [InlineData("""{"positive": [1], "strategy": "closest", "limit": 3}""", HttpStatusCode.BadRequest, "closest")]
    [InlineData("""{"positive": [4040], "limit": 3}""", HttpStatusCode.NotFound, "4040")]
    [InlineData("""{"positive": [[1, 2]], "limit": 3}""", HttpStatusCode.BadRequest, "dimension")]
    [InlineData("""{"positive": [{"indices": [1], "values": [0.5]}], "limit": 3}""", HttpStatusCode.BadRequest, "sparse")]
    [InlineData("""{"positive": [1], "limit": 3, "using": "image"}""", HttpStatusCode.BadRequest, "Not existing vector name error: image")]
    [InlineData("""{"positive": [1], "limit": 3, "lookup_from": {"vector": "image"}}""", HttpStatusCode.BadRequest, "missing field `collection` at `lookup_from`")]
    [InlineData("""{"positive": 1, "limit": 3}""", HttpStatusCode.BadRequest, "positive")]
    [InlineData("""{"positive": [1], "limit": 0}""", HttpStatusCode.BadRequest, "limit")]
    public async Task Bad_recommend_requests_are_refused(string body, HttpStatusCode status, string mentions)
    {
        await SeedAsync("reco_dot", "Dot");
        Assert.Contains(mentions, (await node.PostAsync("/collections/reco_dot/points/recommend", body)).Error(status));
    }
}

using System.Globalization;
using System.Net;
using System.Text.Json;

namespace AspireVector.Tests.Api.Rest;

/// <summary>
/// <c>points/discover</c> (+batch) and query's <c>discover</c>/<c>context</c>, scores checked against a brute-force
/// computation of Qdrant's formulas (<c>discovery_query.rs</c>, <c>context_query.rs</c>).
/// </summary>
public sealed class DiscoverApiTests(RestNode node) : IClassFixture<RestNode>
{
    private const int Dimension = 5;
    private const float RustEpsilon = 1.1920929e-7f;

    /// <summary>Seeded points (3 shards) with a <c>group</c> payload; returns id to stored vector (normalised for Cosine).</summary>
    private async Task<Dictionary<int, float[]>> SeedAsync(string name, string distance)
    {
        var random = new Random(name.Length * 31 + distance.Length);
        if (!(await node.GetAsync($"/collections/{name}/exists")).Result.GetProperty("exists").GetBoolean())
        {
            await node.CreateCollectionAsync(name, Dimension, distance, """, "shard_number": 3""");
            var points = new List<string>();
            for (int id = 1; id <= 80; id++)
            {
                var v = Enumerable.Range(0, Dimension).Select(_ => (float)Math.Round(random.NextDouble() * 2 - 1, 3)).ToArray();
                points.Add($$$"""{"id": {{{id}}}, "vector": {{{Json(v)}}}, "payload": {"group": {{{id % 4}}}}}""");
            }

            await node.UpsertAsync(name, "[" + string.Join(",", points) + "]");
        }

        var vectors = new Dictionary<int, float[]>();
        foreach (var p in await node.ScrollAllAsync(name))
            vectors[p.GetProperty("id").GetInt32()] = [.. p.GetProperty("vector").EnumerateArray().Select(x => x.GetSingle())];
        return vectors;
    }

    private static string Json(float[] v) => "[" + string.Join(",", v.Select(x => x.ToString("R", CultureInfo.InvariantCulture))) + "]";

    private static int[] Ids(JsonElement points) => [.. points.EnumerateArray().Select(p => p.GetProperty("id").GetInt32())];

    /// <summary>Qdrant's raw similarity: dot product (Cosine on normalised vectors), or the negated squared distance for Euclid.</summary>
    private static float Similarity(string distance, float[] a, float[] b) => distance == "Euclid"
        ? -a.Zip(b, (x, y) => (x - y) * (x - y)).Sum()
        : a.Zip(b, (x, y) => x * y).Sum();

    private static float[] AsQuery(string distance, float[] v)
    {
        if (distance != "Cosine") return v;
        float norm = MathF.Sqrt(v.Sum(x => x * x));
        return [.. v.Select(x => x / norm)];
    }

    private static float FastSigmoid(float x) => x / (1f + MathF.Abs(x));

    private static float DiscoveryScore(string distance, float[] target, (float[] Pos, float[] Neg)[] pairs, float[] v) =>
        pairs.Sum(p => Math.Sign(Similarity(distance, p.Pos, v).CompareTo(Similarity(distance, p.Neg, v))))
        + 0.5f * (FastSigmoid(Similarity(distance, target, v)) + 1f);

    private static float ContextScore(string distance, (float[] Pos, float[] Neg)[] pairs, float[] v) =>
        pairs.Sum(p => FastSigmoid(MathF.Min(Similarity(distance, p.Pos, v) - Similarity(distance, p.Neg, v) - RustEpsilon, 0f)));

    private static List<(int Id, float Score)> BruteForce(Dictionary<int, float[]> points, int[] exclude, Func<float[], float> score, int limit, int offset = 0) =>
        [.. points.Where(p => !exclude.Contains(p.Key)).Select(p => (p.Key, score(p.Value)))
            .OrderByDescending(x => x.Item2).ThenBy(x => x.Key).Skip(offset).Take(limit)];

    private static void AssertMatches(List<(int Id, float Score)> expected, JsonElement actual)
    {
        Assert.Equal(expected.Select(e => e.Id), Ids(actual));
        foreach (var (e, a) in expected.Select(e => e.Score).Zip(actual.EnumerateArray().Select(p => p.GetProperty("score").GetSingle()))) Assert.Equal(e, a, 4);
    }

    [Theory]
    [InlineData("Dot")]
    [InlineData("Euclid")]
    [InlineData("Cosine")]
    public async Task Discovery_ranks_by_context_pairs_then_target_as_brute_force_does(string distance)
    {
        string name = "disco_" + distance.ToLowerInvariant();
        var points = await SeedAsync(name, distance);
        var rawTarget = new float[] { 0.4f, -0.3f, 0.2f, 0.9f, -0.1f };
        var rawNegative = new float[] { -0.5f, 0.5f, 0.1f, -0.2f, 0.3f };
        var answer = (await node.PostAsync($"/collections/{name}/points/discover", $$$"""
            {"target": {{{Json(rawTarget)}}}, "context": [{"positive": 1, "negative": 2}, {"positive": 3, "negative": {{{Json(rawNegative)}}}}, {"positive": 4, "negative": 5}],
             "limit": 40, "offset": 2, "filter": {"must_not": [{"key": "group", "match": {"value": 0}}]}, "with_payload": true, "with_vector": true}
            """)).Result;

        var pairs = new[] { (points[1], points[2]), (points[3], AsQuery(distance, rawNegative)), (points[4], points[5]) };
        var candidates = points.Where(p => p.Key % 4 != 0).ToDictionary();
        var expected = BruteForce(candidates, [1, 2, 3, 4, 5], v => DiscoveryScore(distance, AsQuery(distance, rawTarget), pairs, v), 40, 2);
        AssertMatches(expected, answer);
        Assert.True(answer[0].GetProperty("payload").TryGetProperty("group", out _));
        Assert.Equal(Dimension, answer[0].GetProperty("vector").GetArrayLength());
        // The integer part is the context rank (-3..3 with three pairs), the fraction the squashed target similarity.
        Assert.All(Scores(answer), s => Assert.InRange(s, -3f, 4f));
        Assert.True(Scores(answer).Select(MathF.Floor).Distinct().Count() > 1, "the page should span several context ranks");
    }

    [Theory]
    [InlineData("Dot")]
    [InlineData("Euclid")]
    public async Task Context_search_without_a_target_scores_by_the_pair_loss(string distance)
    {
        string name = "disco_" + distance.ToLowerInvariant();
        var points = await SeedAsync(name, distance);
        var answer = (await node.PostAsync($"/collections/{name}/points/discover", """
            {"context": [{"positive": 10, "negative": 11}, {"positive": 12, "negative": 13}], "limit": 30}
            """)).Result;

        var pairs = new[] { (points[10], points[11]), (points[12], points[13]) };
        var expected = BruteForce(points, [10, 11, 12, 13], v => ContextScore(distance, pairs, v), 30);
        AssertMatches(expected, answer);
        Assert.Equal(0f, answer[0].GetProperty("score").GetSingle());
        Assert.All(Scores(answer), s => Assert.InRange(s, -2f, 0f));
        Assert.Contains(Scores(answer), s => s < 0f);
    }

    private static float[] Scores(JsonElement points) => [.. points.EnumerateArray().Select(p => p.GetProperty("score").GetSingle())];

    [Fact]
    public async Task Batch_and_query_api_answer_as_the_discover_endpoint()
    {
        var points = await SeedAsync("disco_dot", "Dot");
        var batch = (await node.PostAsync("/collections/disco_dot/points/discover/batch", """
            {"searches": [{"target": 20, "context": [{"positive": 21, "negative": 22}], "limit": 6},
                          {"context": [{"positive": 23, "negative": 24}], "limit": 4, "offset": 1},
                          {"target": 25, "limit": 3}]}
            """)).Result;
        Assert.Equal(3, batch.GetArrayLength());
        var discovery = BruteForce(points, [20, 21, 22], v => DiscoveryScore("Dot", points[20], [(points[21], points[22])], v), 6);
        AssertMatches(discovery, batch[0]);
        AssertMatches(BruteForce(points, [23, 24], v => ContextScore("Dot", [(points[23], points[24])], v), 4, 1), batch[1]);
        // A target without context ranks like a search for it, squashed into (0, 1).
        AssertMatches(BruteForce(points, [25], v => 0.5f * (FastSigmoid(Similarity("Dot", points[25], v)) + 1f), 3), batch[2]);
        var search = (await node.PostAsync("/collections/disco_dot/points/query", """{"query": 25, "limit": 3, "params": {"exact": true}}""")).Result.GetProperty("points");
        Assert.Equal(Ids(search), Ids(batch[2]));

        // query: discover takes one pair or a list; context likewise; score_threshold applies there.
        var viaQuery = (await node.PostAsync("/collections/disco_dot/points/query", """
            {"query": {"discover": {"target": 20, "context": {"positive": 21, "negative": 22}}}, "limit": 6}
            """)).Result.GetProperty("points");
        AssertMatches(discovery, viaQuery);
        var context = (await node.PostAsync("/collections/disco_dot/points/query/batch", """
            {"searches": [{"query": {"context": [{"positive": 23, "negative": 24}]}, "limit": 4, "offset": 1},
                          {"query": {"discover": {"target": 20, "context": [{"positive": 21, "negative": 22}]}}, "limit": 50, "score_threshold": 1.0}]}
            """)).Result;
        AssertMatches(BruteForce(points, [23, 24], v => ContextScore("Dot", [(points[23], points[24])], v), 4, 1), context[0].GetProperty("points"));
        var aboveOne = BruteForce(points, [20, 21, 22], v => DiscoveryScore("Dot", points[20], [(points[21], points[22])], v), 50).Where(x => x.Score >= 1f).ToList();
        Assert.NotEmpty(aboveOne);
        AssertMatches(aboveOne, context[1].GetProperty("points"));

        // query/groups groups discovery hits by payload.
        var groups = (await node.PostAsync("/collections/disco_dot/points/query/groups", """
            {"query": {"discover": {"target": 20, "context": [{"positive": 21, "negative": 22}]}}, "group_by": "group", "limit": 2, "group_size": 2}
            """)).Result.GetProperty("groups");
        Assert.Equal(2, groups.GetArrayLength());
        Assert.Equal(discovery[0].Id, groups[0].GetProperty("hits")[0].GetProperty("id").GetInt32());
    }

    [Theory]
    [InlineData("/points/discover", """{"target": 1}""", HttpStatusCode.BadRequest, "limit")]
    [InlineData("/points/discover", """{"limit": 3}""", HttpStatusCode.BadRequest, "target and/or context_pairs must be specified")]
    [InlineData("/points/discover", """{"context": [], "limit": 3}""", HttpStatusCode.BadRequest, "target and/or context_pairs must be specified")]
    [InlineData("/points/discover", """{"target": 4040, "limit": 3}""", HttpStatusCode.NotFound, "4040")]
    [InlineData("/points/discover", """{"context": [{"positive": 1, "negative": 4041}], "limit": 3}""", HttpStatusCode.NotFound, "4041")]
    [InlineData("/points/discover", """{"target": [1, 2], "limit": 3}""", HttpStatusCode.BadRequest, "dimension")]
    [InlineData("/points/discover", """{"context": [{"positive": 1}], "limit": 3}""", HttpStatusCode.BadRequest, "negative")]
    [InlineData("/points/discover", """{"context": {"positive": 1, "negative": 2}, "limit": 3}""", HttpStatusCode.BadRequest, "context")]
    [InlineData("/points/discover", """{"context": [[1, 2]], "limit": 3}""", HttpStatusCode.BadRequest, "context[0]")]
    [InlineData("/points/discover", """{"target": {"indices": [1], "values": [0.5]}, "limit": 3}""", HttpStatusCode.BadRequest, "sparse")]
    [InlineData("/points/discover", """{"target": 1, "limit": 3, "using": "image"}""", HttpStatusCode.BadRequest, "Not existing vector name error: image")]
    [InlineData("/points/discover", """{"target": 1, "limit": 3, "lookup_from": {"collection": "disco_nope"}}""", HttpStatusCode.NotFound, "Collection `disco_nope` doesn't exist")]
    [InlineData("/points/discover", """{"target": 1, "limit": 0}""", HttpStatusCode.BadRequest, "limit")]
    [InlineData("/points/discover", """[1]""", HttpStatusCode.BadRequest, "discover request")]
    [InlineData("/points/discover/batch", """{"searches": [{"target": 1, "limit": 3}, {"limit": 3}]}""", HttpStatusCode.BadRequest, "target and/or context_pairs")]
    [InlineData("/points/query", """{"query": {"discover": {"target": 1}}}""", HttpStatusCode.BadRequest, "context")]
    [InlineData("/points/query", """{"query": {"discover": {"context": null}}}""", HttpStatusCode.BadRequest, "target")]
    [InlineData("/points/query", """{"query": {"context": []}}""", HttpStatusCode.BadRequest, "pair")]
    [InlineData("/points/query", """{"query": {"context": 7}}""", HttpStatusCode.BadRequest, "query.context")]
    [InlineData("/points/query", """{"query": {"context": {"positive": [[1, 2, 3, 4, 5]], "negative": 2}}}""", HttpStatusCode.BadRequest, "Conversion between multi and regular vectors failed")]
    public async Task Bad_discover_requests_are_refused(string path, string body, HttpStatusCode status, string mentions)
    {
        await SeedAsync("disco_dot", "Dot");
        Assert.Contains(mentions, (await node.PostAsync("/collections/disco_dot" + path, body)).Error(status));
    }

    [Fact]
    public async Task Missing_collection_is_404()
    {
        Assert.Contains("disco_missing", (await node.PostAsync("/collections/disco_missing/points/discover", """{"target": 1, "limit": 3}""")).Error(HttpStatusCode.NotFound));
    }
}

using System.Net;
using System.Text.Json;

namespace AspireVector.Tests.Api.Rest;

/// <summary>
/// The query API's <c>prefetch</c>: fusion (<c>rrf</c>, <c>dbsf</c>) and re-scoring by the outer query, checked
/// against brute force on a collection with two named vectors (<c>image</c>: Dot, <c>text</c>: Cosine); nested
/// prefetches, filter propagation, offsets, vectors of fused results, and Qdrant's errors.
/// </summary>
public sealed class PrefetchQueryApiTests(RestNode node) : IClassFixture<RestNode>
{
    private const string Exact = "\"params\": {\"exact\": true}";

    private async Task<NamedVectorSet> CreateAsync(string name)
    {
        Assert.True((await node.PutAsync($"/collections/{name}", NamedVectorSet.CreateBody)).Result.GetBoolean());
        var set = new NamedVectorSet(60, 21);
        await node.UpsertAsync(name, set.PointsJson());
        return set;
    }

    private async Task<JsonElement> QueryAsync(string collection, string body) =>
        (await node.PostAsync($"/collections/{collection}/points/query", body)).Result.GetProperty("points");

    /// <summary>The brute-force ranked list of one prefetch: (id, score), best first, ties by id.</summary>
    private static List<(int Id, double Score)> Ranked(Dictionary<int, float[]> vectors, float[] query, bool cosine, int limit, Func<int, bool>? keep = null) =>
        [.. vectors.Where(p => keep?.Invoke(p.Key) ?? true).Select(p => (p.Key, NamedVectorSet.Score(p.Value, query, cosine)))
            .OrderByDescending(p => p.Item2).ThenBy(p => p.Key).Take(limit)];

    private static List<(int Id, double Score)> Rrf(int k, params List<(int Id, double Score)>[] lists)
    {
        var fused = new Dictionary<int, double>();
        foreach (var list in lists)
        {
            for (int pos = 0; pos < list.Count; pos++) fused[list[pos].Id] = fused.GetValueOrDefault(list[pos].Id) + 1.0 / (pos + k);
        }

        return [.. fused.Select(p => (p.Key, p.Value)).OrderByDescending(p => p.Value).ThenBy(p => p.Key)];
    }

    private static List<(int Id, double Score)> Dbsf(params List<(int Id, double Score)>[] lists)
    {
        var fused = new Dictionary<int, double>();
        foreach (var list in lists)
        {
            double mean = list.Average(p => p.Score);
            double sigma = Math.Sqrt(list.Sum(p => (p.Score - mean) * (p.Score - mean)) / (list.Count - 1));
            double min = mean - 3 * sigma, max = mean + 3 * sigma;
            foreach (var (id, score) in list) fused[id] = fused.GetValueOrDefault(id) + (score - min) / (max - min);
        }

        return [.. fused.Select(p => (p.Key, p.Value)).OrderByDescending(p => p.Value).ThenBy(p => p.Key)];
    }

    private static void AssertSame(List<(int Id, double Score)> expected, JsonElement points, int precision = 4)
    {
        Assert.Equal(expected.Select(p => p.Id), NamedVectorSet.IdsOf(points));
        int i = 0;
        foreach (var p in points.EnumerateArray()) Assert.Equal(expected[i++].Score, p.GetProperty("score").GetDouble(), precision);
    }

    [Fact]
    public async Task Rrf_fuses_two_named_vector_prefetches_as_brute_force_does()
    {
        var set = await CreateAsync("prefetch_rrf");
        var random = new Random(5);
        for (int q = 0; q < 4; q++)
        {
            var image = NamedVectorSet.Random(random, 4);
            var text = NamedVectorSet.Random(random, 8);
            string prefetch = $$"""
                [{"query": {{NamedVectorSet.Json(image)}}, "using": "image", "limit": 12, {{Exact}}},
                 {"query": {{NamedVectorSet.Json(text)}}, "using": "text", "limit": 9, {{Exact}}}]
                """;
            var imageList = Ranked(set.Image, image, cosine: false, 12);
            var textList = Ranked(set.Text, text, cosine: true, 9);

            var points = await QueryAsync("prefetch_rrf", $$"""{"prefetch": {{prefetch}}, "query": {"fusion": "rrf"}, "limit": 7}""");
            AssertSame([.. Rrf(2, imageList, textList).Take(7)], points);

            points = await QueryAsync("prefetch_rrf", $$"""{"prefetch": {{prefetch}}, "query": {"rrf": {"k": 60} }, "limit": 30}""");
            AssertSame([.. Rrf(60, imageList, textList).Take(30)], points, 6);
        }
    }

    [Fact]
    public async Task Rrf_weights_favour_one_prefetch_and_must_match_the_prefetch_count()
    {
        var set = await CreateAsync("prefetch_rrf_weights");
        const string prefetch = """
            [{"query": [1, 0, 0, 0], "using": "image", "limit": 3, "params": {"exact": true}},
             {"query": [0, 1, 0, 0, 0, 0, 0, 0], "using": "text", "limit": 3, "params": {"exact": true}}]
            """;
        var points = await QueryAsync("prefetch_rrf_weights", $$"""{"prefetch": {{prefetch}}, "query": {"rrf": {"weights": [3, 1]} } }""");
        // Position p of a list with weight w earns 1 / ((p + 1) / w + k - 1), k = 2.
        var fused = new Dictionary<int, double>();
        var lists = new[] { (Ranked(set.Image, [1, 0, 0, 0], cosine: false, 3), 3.0), (Ranked(set.Text, [0, 1, 0, 0, 0, 0, 0, 0], cosine: true, 3), 1.0) };
        foreach (var (list, weight) in lists)
        {
            for (int pos = 0; pos < list.Count; pos++) fused[list[pos].Id] = fused.GetValueOrDefault(list[pos].Id) + 1.0 / ((pos + 1) / weight + 1);
        }

        AssertSame([.. fused.Select(p => (p.Key, p.Value)).OrderByDescending(p => p.Value).ThenBy(p => p.Key)], points);
        Assert.Equal(0.75, points[0].GetProperty("score").GetDouble(), 5);

        Assert.Contains("Number of weights in RRF should match number of pre-fetches: got 1, expected 2",
            (await node.PostAsync("/collections/prefetch_rrf_weights/points/query", $$"""{"prefetch": {{prefetch}}, "query": {"rrf": {"weights": [1]} } }""")).Error(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Dbsf_normalises_each_prefetch_by_mean_and_three_sigma_and_sums()
    {
        var set = await CreateAsync("prefetch_dbsf");
        var random = new Random(9);
        for (int q = 0; q < 4; q++)
        {
            var image = NamedVectorSet.Random(random, 4);
            var text = NamedVectorSet.Random(random, 8);
            var points = await QueryAsync("prefetch_dbsf", $$"""
                {"prefetch": [{"query": {{NamedVectorSet.Json(image)}}, "using": "image", "limit": 15, {{Exact}}},
                              {"query": {"nearest": {{NamedVectorSet.Json(text)}}}, "using": "text", "limit": 15, {{Exact}}}],
                 "query": {"fusion": "dbsf"}, "limit": 10}
                """);
            var expected = Dbsf(Ranked(set.Image, image, cosine: false, 15), Ranked(set.Text, text, cosine: true, 15));
            AssertSame([.. expected.Take(10)], points);
        }
    }

    [Fact]
    public async Task Outer_nearest_rescores_exactly_the_prefetched_candidates_with_another_vector()
    {
        var set = await CreateAsync("prefetch_rescore");
        var random = new Random(13);
        for (int q = 0; q < 4; q++)
        {
            var image = NamedVectorSet.Random(random, 4);
            var text = NamedVectorSet.Random(random, 8);
            var points = await QueryAsync("prefetch_rescore", $$"""
                {"prefetch": {"query": {{NamedVectorSet.Json(image)}}, "using": "image", "limit": 20, {{Exact}}},
                 "query": {{NamedVectorSet.Json(text)}}, "using": "text", "limit": 6, "with_payload": true}
                """);
            var candidates = Ranked(set.Image, image, cosine: false, 20).Select(p => p.Id).ToHashSet();
            // Only candidates holding the text vector can be scored by it.
            var expected = Ranked(set.Text, text, cosine: true, 6, candidates.Contains);
            AssertSame(expected, points);
            foreach (var p in points.EnumerateArray()) Assert.Equal(p.GetProperty("id").GetInt32(), p.GetProperty("payload").GetProperty("n").GetInt32());
        }
    }

    [Fact]
    public async Task Outer_recommend_rescores_the_prefetched_candidates()
    {
        var set = await CreateAsync("prefetch_recommend");
        var image = new float[] { 0.5f, -0.25f, 1, 0 };
        var positive = set.Text.Keys.First();
        var points = await QueryAsync("prefetch_recommend", $$"""
            {"prefetch": {"query": {{NamedVectorSet.Json(image)}}, "using": "image", "limit": 25, {{Exact}}},
             "query": {"recommend": {"positive": [{{positive}}], "strategy": "sum_scores"} }, "using": "text", "limit": 5}
            """);
        var candidates = Ranked(set.Image, image, cosine: false, 25).Select(p => p.Id).Where(id => id != positive).ToHashSet();
        var expected = Ranked(set.Text, set.Text[positive], cosine: true, 5, candidates.Contains);
        AssertSame(expected, points);
    }

    [Fact]
    public async Task Nested_prefetches_rescore_at_every_level()
    {
        var set = await CreateAsync("prefetch_nested");
        var random = new Random(17);
        var image = NamedVectorSet.Random(random, 4);
        var text = NamedVectorSet.Random(random, 8);
        var image2 = NamedVectorSet.Random(random, 4);
        var points = await QueryAsync("prefetch_nested", $$"""
            {"prefetch": {"prefetch": {"query": {{NamedVectorSet.Json(image)}}, "using": "image", "limit": 30, {{Exact}}},
                          "query": {{NamedVectorSet.Json(text)}}, "using": "text", "limit": 10},
             "query": {{NamedVectorSet.Json(image2)}}, "using": "image", "limit": 4}
            """);
        var first = Ranked(set.Image, image, cosine: false, 30).Select(p => p.Id).ToHashSet();
        var second = Ranked(set.Text, text, cosine: true, 10, first.Contains).Select(p => p.Id).ToHashSet();
        AssertSame(Ranked(set.Image, image2, cosine: false, 4, second.Contains), points);

        // A fusion of a nested re-score and a plain prefetch.
        points = await QueryAsync("prefetch_nested", $$"""
            {"prefetch": [{"prefetch": {"query": {{NamedVectorSet.Json(image)}}, "using": "image", "limit": 30, {{Exact}}},
                           "query": {{NamedVectorSet.Json(text)}}, "using": "text", "limit": 10},
                          {"query": {{NamedVectorSet.Json(image2)}}, "using": "image", "limit": 10, {{Exact}}}],
             "query": {"fusion": "rrf"}, "limit": 8}
            """);
        AssertSame([.. Rrf(2, Ranked(set.Text, text, cosine: true, 10, first.Contains), Ranked(set.Image, image2, cosine: false, 10)).Take(8)], points);
    }

    [Fact]
    public async Task The_request_filter_reaches_every_prefetch_and_offset_grows_their_limits()
    {
        var set = await CreateAsync("prefetch_filter");
        var image = new float[] { 1, -0.5f, 0.25f, 0 };
        var text = new float[] { 0, 1, 0, -1, 0.5f, 0, 0, 1 };
        var points = await QueryAsync("prefetch_filter", $$"""
            {"prefetch": [{"query": {{NamedVectorSet.Json(image)}}, "using": "image", "limit": 6, {{Exact}}},
                          {"query": {{NamedVectorSet.Json(text)}}, "using": "text", "limit": 6, {{Exact}},
                           "filter": {"must": [{"key": "n", "range": {"lt": 50} }]} }],
             "query": {"fusion": "rrf"}, "filter": {"must": [{"key": "n", "range": {"gte": 20} }]}, "offset": 3, "limit": 4}
            """);
        // Each prefetch keeps limit + offset = 9 points passing the request's filter (and its own).
        var expected = Rrf(2, Ranked(set.Image, image, cosine: false, 9, id => id >= 20), Ranked(set.Text, text, cosine: true, 9, id => id is >= 20 and < 50));
        AssertSame([.. expected.Skip(3).Take(4)], points);
    }

    [Fact]
    public async Task Fused_results_carry_the_vectors_asked_for_and_honour_score_threshold()
    {
        var set = await CreateAsync("prefetch_vectors");
        var points = await QueryAsync("prefetch_vectors", """
            {"prefetch": [{"query": [1, 0, 0, 0], "using": "image", "limit": 5}, {"query": [1, 0, 0, 0, 0, 0, 0, 0], "using": "text", "limit": 5}],
             "query": {"fusion": "rrf"}, "limit": 20, "with_vector": ["text"], "score_threshold": 0.3}
            """);
        Assert.NotEqual(0, points.GetArrayLength());
        foreach (var p in points.EnumerateArray())
        {
            Assert.True(p.GetProperty("score").GetDouble() >= 0.3);
            int id = p.GetProperty("id").GetInt32();
            if (set.Text.TryGetValue(id, out var v))
                Assert.Equal(["text"], p.GetProperty("vector").EnumerateObject().Select(x => x.Name));
            else Assert.Empty(p.GetProperty("vector").EnumerateObject());
        }
    }

    [Fact]
    public async Task Bad_prefetches_answer_Qdrants_errors()
    {
        await CreateAsync("prefetch_errors");
        const string path = "/collections/prefetch_errors/points/query";
        Assert.Contains("Not existing vector name error: audio",
            (await node.PostAsync(path, """{"prefetch": {"query": [1, 0, 0, 0], "using": "audio"}, "query": {"fusion": "rrf"}}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("cannot apply Fusion without prefetches",
            (await node.PostAsync(path, """{"query": {"fusion": "rrf"}}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("cannot apply Fusion without prefetches",
            (await node.PostAsync(path, """{"prefetch": {"query": {"fusion": "dbsf"}}, "query": {"fusion": "rrf"}}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("cannot have prefetches without a query",
            (await node.PostAsync(path, """{"prefetch": {"query": [1, 0, 0, 0], "using": "image"}}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("unknown variant `max`",
            (await node.PostAsync(path, """{"prefetch": {"query": [1, 0, 0, 0], "using": "image"}, "query": {"fusion": "max"}}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("Vector dimension error",
            (await node.PostAsync(path, """{"prefetch": {"query": [1, 0, 0], "using": "image"}, "query": {"fusion": "rrf"}}""")).Error(HttpStatusCode.BadRequest));
    }
}

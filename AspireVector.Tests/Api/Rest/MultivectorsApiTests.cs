using System.Net;
using System.Text.Json;

namespace AspireVector.Tests.Api.Rest;

/// <summary>
/// Multivectors (<c>multivector_config: {"comparator": "max_sim"}</c>) in Qdrant's shapes: config on create and in
/// info (unnamed and named), matrices in points (list and batch form) returned as rows, Qdrant's validation errors
/// that change nothing, and query/search/recommend/groups/fusion ranked as a brute-force max_sim ranks them.
/// </summary>
public sealed class MultivectorsApiTests(RestNode node) : IClassFixture<RestNode>
{
    private const string Multi = """{"comparator": "max_sim"}""";

    private async Task<MultivectorSet> CreateNamedAsync(string name, string distance, int count = 60, int seed = 3)
    {
        var created = await node.PutAsync($"/collections/{name}",
            $$$"""{"vectors": {"colbert": {"size": 4, "distance": "{{{distance}}}", "multivector_config": {"comparator": "max_sim"} }, "dense": {"size": 2, "distance": "Dot"} } }""");
        Assert.True(created.Result.GetBoolean(), created.Raw);
        var set = new MultivectorSet(count, seed);
        await node.UpsertAsync(name, set.PointsJson("colbert"));
        return set;
    }

    private static JsonElement Params(RestAnswer info) => info.Result.GetProperty("config").GetProperty("params");

    [Fact]
    public async Task Multivector_config_is_created_shown_and_checked()
    {
        Assert.True((await node.PutAsync("/collections/multi_unnamed", """{"vectors": {"size": 4, "distance": "Dot", "multivector_config": {"comparator": "max_sim"}}}""")).Result.GetBoolean());
        Assert.Equal("""{"distance":"Dot","multivector_config":{"comparator":"max_sim"},"size":4}""",
            JsonText.Canonical(Params(await node.GetAsync("/collections/multi_unnamed")).GetProperty("vectors")));
        await CreateNamedAsync("multi_named_info", "Cosine", count: 3);
        var vectors = Params(await node.GetAsync("/collections/multi_named_info")).GetProperty("vectors");
        Assert.Equal("""{"comparator":"max_sim"}""", JsonText.Canonical(vectors.GetProperty("colbert").GetProperty("multivector_config")));
        Assert.False(vectors.GetProperty("dense").TryGetProperty("multivector_config", out _));

        Assert.Contains("unknown variant `sum`, expected `max_sim`",
            (await node.PutAsync("/collections/multi_bad", """{"vectors": {"size": 4, "distance": "Dot", "multivector_config": {"comparator": "sum"}}}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("missing field `comparator`",
            (await node.PutAsync("/collections/multi_bad", """{"vectors": {"size": 4, "distance": "Dot", "multivector_config": {}}}""")).Error(HttpStatusCode.BadRequest));
        // Quantization of multivectors is refused (their own or the collection's), at create and by PATCH.
        Assert.Contains("multivector",
            (await node.PutAsync("/collections/multi_bad", """{"vectors": {"size": 4, "distance": "Dot", "multivector_config": {"comparator": "max_sim"}}, "quantization_config": {"scalar": {"type": "int8"}}}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("multivector `colbert`",
            (await node.PutAsync("/collections/multi_bad", """{"vectors": {"colbert": {"size": 4, "distance": "Dot", "multivector_config": {"comparator": "max_sim"}, "quantization_config": {"binary": {}}}}}""")).Error(HttpStatusCode.BadRequest));
        Assert.Equal(HttpStatusCode.NotFound, (await node.GetAsync("/collections/multi_bad")).Status);
        Assert.Contains("multivector `colbert`",
            (await node.PatchAsync("/collections/multi_named_info", """{"vectors": {"colbert": {"quantization_config": {"scalar": {"type": "int8"}}}}}""")).Error(HttpStatusCode.BadRequest));
        Assert.False(Params(await node.GetAsync("/collections/multi_named_info")).GetProperty("vectors").GetProperty("colbert").TryGetProperty("quantization_config", out _));
    }

    [Fact]
    public async Task Points_hold_matrices_returned_as_rows()
    {
        var set = await CreateNamedAsync("multi_points", "Dot", count: 10);
        var one = (await node.GetAsync("/collections/multi_points/points/3")).Result.GetProperty("vector").GetProperty("colbert");
        Assert.Equal(set.Vectors[3].Length, one.GetArrayLength());
        Assert.Equal(set.Vectors[3].SelectMany(r => r), one.EnumerateArray().SelectMany(r => r.EnumerateArray().Select(x => x.GetSingle())));

        // The batch form takes a column of matrices; an unnamed multivector collection takes bare matrices.
        var batch = await node.PutAsync("/collections/multi_points/points?wait=true",
            """{"batch": {"ids": [100, 101], "vectors": {"colbert": [[[1, 0, 0, 0]], [[0, 1, 0, 0], [0, 0, 1, 0]]], "dense": [[1, 0], [0, 1]]}}}""");
        Assert.Equal("completed", batch.Result.GetProperty("status").GetString());
        Assert.Equal("[[0,1,0,0],[0,0,1,0]]", JsonText.Canonical((await node.GetAsync("/collections/multi_points/points/101")).Result.GetProperty("vector").GetProperty("colbert")));

        await node.PutAsync("/collections/multi_points_unnamed", """{"vectors": {"size": 2, "distance": "Cosine", "multivector_config": {"comparator": "max_sim"}}}""");
        await node.UpsertAsync("multi_points_unnamed", """[{"id": 1, "vector": [[3, 4], [0, 2]]}]""");
        // Cosine normalises each row.
        Assert.Equal("[[0.6,0.8],[0,1]]", JsonText.Canonical((await node.GetAsync("/collections/multi_points_unnamed/points/1")).Result.GetProperty("vector")));
        var scrolled = (await node.PostAsync("/collections/multi_points_unnamed/points/scroll", """{"with_vector": true}""")).Result.GetProperty("points")[0];
        Assert.Equal("[[0.6,0.8],[0,1]]", JsonText.Canonical(scrolled.GetProperty("vector")));

        // update_vectors replaces the matrix; has_vector counts the points holding it.
        await node.PutAsync("/collections/multi_points/points/vectors?wait=true", """{"points": [{"id": 1, "vector": {"colbert": [[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3]]}}]}""");
        Assert.Equal(3, (await node.GetAsync("/collections/multi_points/points/1")).Result.GetProperty("vector").GetProperty("colbert").GetArrayLength());
        Assert.Equal(12, await node.CountAsync("multi_points", """{"exact": true, "filter": {"must": [{"has_vector": "colbert"}]}}"""));
    }

    [Theory]
    [InlineData("""{"points": [{"id": 1, "vector": {"colbert": [0.1, 0.2, 0.3, 0.4]}}]}""", "Wrong input: Conversion between multi and regular vectors failed")]
    [InlineData("""{"points": [{"id": 1, "vector": {"dense": [[0.1, 0.2]]}}]}""", "Wrong input: Conversion between multi and regular vectors failed")]
    [InlineData("""{"points": [{"id": 1, "vector": {"colbert": []}}]}""", "Wrong input: Vector dimension error: expected dim: 4, got 0")]
    [InlineData("""{"points": [{"id": 1, "vector": {"colbert": [[]]}}]}""", "Validation error in JSON body: [points[0].vector.?.data: all vectors must be non-empty]")]
    [InlineData("""{"points": [{"id": 1, "vector": {"colbert": [[0.1, 0.2, 0.3, 0.4], []]}}]}""", "Validation error in JSON body: [points[0].vector.?.data: all vectors must be non-empty]")]
    [InlineData("""{"points": [{"id": 1, "vector": {"colbert": [[0.1, 0.2, 0.3, 0.4], [0.1, 0.2, 0.3]]}}]}""", "Validation error in JSON body: [points[0].vector.?.data: all vectors must have the same dimension, found vector with dimension 3]")]
    [InlineData("""{"points": [{"id": 1, "vector": {"colbert": [[0.1, 0.2, 0.3], [0.1, 0.2, 0.3]]}}]}""", "Wrong input: Vector dimension error: expected dim: 4, got 3")]
    [InlineData("""{"points": [{"id": 1, "vector": {"colbert": [[1, 2, 3, 4]]}}, {"id": 2, "vector": {"colbert": [1, 2, 3, 4]}}]}""", "Wrong input: Conversion between multi and regular vectors failed")]
    [InlineData("""{"batch": {"ids": [1], "vectors": {"colbert": [[1, 2, 3, 4]]}}}""", "Wrong input: Conversion between multi and regular vectors failed")]
    public async Task Bad_multivectors_get_qdrants_errors_and_change_nothing(string body, string expected)
    {
        string name = "multi_errors_" + Math.Abs(expected.GetHashCode() ^ body.GetHashCode());
        var set = await CreateNamedAsync(name, "Dot", count: 5);
        var before = (await node.ScrollAllAsync(name)).Select(JsonText.Canonical).ToList();
        Assert.StartsWith(expected, (await node.PutAsync($"/collections/{name}/points?wait=true", body)).Error(HttpStatusCode.BadRequest));
        Assert.Equal(before, (await node.ScrollAllAsync(name)).Select(JsonText.Canonical).ToList());
        Assert.Equal(set.Vectors.Count, await node.CountAsync(name));
    }

    [Theory]
    [InlineData("Dot")]
    [InlineData("Cosine")]
    [InlineData("Euclid")]
    [InlineData("Manhattan")]
    public async Task Query_ranks_by_max_sim_as_brute_force_does(string distance)
    {
        string name = "multi_query_" + distance.ToLowerInvariant();
        var set = await CreateNamedAsync(name, distance, count: 80, seed: distance.Length);
        var query = MultivectorSet.Random(new Random(11), 3);
        var expected = set.Ranked(distance, query);

        var hits = (await node.PostAsync($"/collections/{name}/points/query", $$$"""{"query": {{{MultivectorSet.Json(query)}}}, "using": "colbert", "limit": 80}""")).Result.GetProperty("points");
        MultivectorSet.AssertRanked(expected, MultivectorSet.Hits(hits));

        // nearest, offset, and a filter (payload n <= 40).
        var page = (await node.PostAsync($"/collections/{name}/points/query",
            $$$"""{"query": {"nearest": {{{MultivectorSet.Json(query)}}}}, "using": "colbert", "limit": 5, "offset": 2, "filter": {"must": [{"key": "n", "range": {"lte": 40} }]} }""")).Result.GetProperty("points");
        MultivectorSet.AssertRanked([.. expected.Where(h => h.Id <= 40).Skip(2).Take(5)], MultivectorSet.Hits(page));

        // A plain vector is a one-row query, in the query and the search API.
        float[][] row = [query[0]];
        var single = (await node.PostAsync($"/collections/{name}/points/query", $$$"""{"query": {{{MultivectorSet.Json(row)[1..^1]}}}, "using": "colbert", "limit": 10}""")).Result.GetProperty("points");
        MultivectorSet.AssertRanked([.. set.Ranked(distance, row).Take(10)], MultivectorSet.Hits(single));
        var searched = (await node.PostAsync($"/collections/{name}/points/search", $$$"""{"vector": {"name": "colbert", "vector": {{{MultivectorSet.Json(row)[1..^1]}}}}, "limit": 10}""")).Result;
        MultivectorSet.AssertRanked([.. set.Ranked(distance, row).Take(10)], MultivectorSet.Hits(searched));
    }

    [Fact]
    public async Task Query_by_id_prefetch_fusion_recommend_and_groups_use_max_sim()
    {
        const string name = "multi_modes";
        var set = await CreateNamedAsync(name, "Dot", count: 50, seed: 9);

        // By id: the point's own matrix is the query; the point itself is left out.
        var byId = (await node.PostAsync($"/collections/{name}/points/query", """{"query": 7, "using": "colbert", "limit": 5}""")).Result.GetProperty("points");
        MultivectorSet.AssertRanked([.. set.Ranked("Dot", set.Vectors[7]).Where(h => h.Id != 7).Take(5)], MultivectorSet.Hits(byId));

        // Prefetch on the multivector, re-scored by it: the same ranking as the query alone.
        var query = MultivectorSet.Random(new Random(2), 2);
        var rescored = (await node.PostAsync($"/collections/{name}/points/query",
            $$$"""{"prefetch": {"query": {{{MultivectorSet.Json(query)}}}, "using": "colbert", "limit": 20}, "query": {{{MultivectorSet.Json(query)}}}, "using": "colbert", "limit": 5}""")).Result.GetProperty("points");
        MultivectorSet.AssertRanked([.. set.Ranked("Dot", query).Take(5)], MultivectorSet.Hits(rescored));
        // RRF of two multivector prefetches: the point first in both comes first.
        var fused = (await node.PostAsync($"/collections/{name}/points/query",
            $$$"""{"prefetch": [{"query": {{{MultivectorSet.Json(query)}}}, "using": "colbert", "limit": 10}, {"query": {{{MultivectorSet.Json(query)}}}, "using": "colbert", "limit": 10}], "query": {"fusion": "rrf"}, "limit": 3}""")).Result.GetProperty("points");
        Assert.Equal(set.Ranked("Dot", query)[0].Id, fused[0].GetProperty("id").GetInt32());

        // recommend average_vector: the positives' rows one after the other (Qdrant's average for multivectors).
        var recommended = (await node.PostAsync($"/collections/{name}/points/query",
            """{"query": {"recommend": {"positive": [3, 4]}}, "using": "colbert", "limit": 5}""")).Result.GetProperty("points");
        float[][] both = [.. set.Vectors[3], .. set.Vectors[4]];
        MultivectorSet.AssertRanked([.. set.Ranked("Dot", both).Where(h => h.Id is not 3 and not 4).Take(5)], MultivectorSet.Hits(recommended));
        // best_score: each candidate's best max_sim to a positive, squashed into (0, 1).
        var best = (await node.PostAsync($"/collections/{name}/points/query",
            """{"query": {"recommend": {"positive": [3, 4], "strategy": "best_score"}}, "using": "colbert", "limit": 5}""")).Result.GetProperty("points");
        var bestExpected = set.Vectors.Keys.Where(id => id is not 3 and not 4)
            .Select(id => (Id: id, Score: Sigmoid(Math.Max(MultivectorSet.Score("Dot", set.Vectors[3], set.Vectors[id]), MultivectorSet.Score("Dot", set.Vectors[4], set.Vectors[id])))))
            .OrderByDescending(h => h.Score).ThenBy(h => h.Id).Take(5).ToList();
        MultivectorSet.AssertRanked(bestExpected, MultivectorSet.Hits(best));

        // Groups by payload: one hit per group, best first.
        var groups = (await node.PostAsync($"/collections/{name}/points/query/groups",
            $$$"""{"query": {{{MultivectorSet.Json(query)}}}, "using": "colbert", "group_by": "n", "limit": 3, "group_size": 1}""")).Result.GetProperty("groups");
        Assert.Equal(set.Ranked("Dot", query).Take(3).Select(h => h.Id), groups.EnumerateArray().Select(g => g.GetProperty("hits")[0].GetProperty("id").GetInt32()));

        // A matrix for a plain dense vector, and a matrix in the search API, are refused.
        Assert.Contains("Conversion between multi and regular vectors failed",
            (await node.PostAsync($"/collections/{name}/points/query", """{"query": [[1, 0]], "using": "dense"}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("Format error in JSON body: data did not match any variant of untagged enum NamedVectorStruct",
            (await node.PostAsync($"/collections/{name}/points/search", """{"vector": {"name": "colbert", "vector": [[1, 0, 0, 0]]}, "limit": 3}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("Vector dimension error: expected dim: 4, got 3",
            (await node.PostAsync($"/collections/{name}/points/query", """{"query": [[1, 0, 0]], "using": "colbert"}""")).Error(HttpStatusCode.BadRequest));
    }

    private static double Sigmoid(double x) => 0.5 * (x / (1 + Math.Abs(x)) + 1);
}

using System.Net;
using System.Text.Json;

namespace AspireVector.Tests.Api.Rest;

/// <summary>
/// Sparse vectors in Qdrant's documented shapes: <c>sparse_vectors</c> config (create, info, PATCH, name clashes), upsert
/// and retrieval (sorted indices), validation errors that change nothing, vector updates and deletions,
/// <c>has_vector</c>, search and query against brute force (filters, thresholds, offsets, IDF) and hybrid fusion.
/// </summary>
public sealed class SparseVectorsApiTests(RestNode node) : IClassFixture<RestNode>
{
    private async Task<SparseVectorSet> CreateAsync(string name, int count = 60, int seed = 5, bool idf = false)
    {
        var created = await node.PutAsync($"/collections/{name}", SparseVectorSet.CreateBody(idf));
        Assert.True(created.Result.GetBoolean(), created.Raw);
        var set = new SparseVectorSet(count, seed);
        await node.UpsertAsync(name, set.PointsJson());
        return set;
    }

    private static JsonElement Params(RestAnswer info) => info.Result.GetProperty("config").GetProperty("params");

    [Fact]
    public async Task Sparse_vectors_config_is_created_shown_patched_and_checked()
    {
        var created = await node.PutAsync("/collections/sparse_config",
            """{"vectors": {"dense": {"size": 2, "distance": "Cosine"}}, "sparse_vectors": {"text": {"index": {"on_disk": false, "full_scan_threshold": 5000}}, "bm25": {"modifier": "idf"}}}""");
        Assert.True(created.Result.GetBoolean(), created.Raw);
        Assert.Equal(
            JsonText.Canonical("""{"bm25": {"modifier": "idf"}, "text": {"index": {"on_disk": false, "full_scan_threshold": 5000}}}"""),
            JsonText.Canonical(Params(await node.GetAsync("/collections/sparse_config")).GetProperty("sparse_vectors")));

        Assert.True((await node.PatchAsync("/collections/sparse_config", """{"sparse_vectors": {"text": {"modifier": "idf", "index": {"on_disk": true}}}}""")).Result.GetBoolean());
        Assert.Equal(
            JsonText.Canonical("""{"bm25": {"modifier": "idf"}, "text": {"index": {"on_disk": true, "full_scan_threshold": 5000}, "modifier": "idf"}}"""),
            JsonText.Canonical(Params(await node.GetAsync("/collections/sparse_config")).GetProperty("sparse_vectors")));
        Assert.Contains("Not existing vector name error: other",
            (await node.PatchAsync("/collections/sparse_config", """{"sparse_vectors": {"other": {"modifier": "idf"}}}""")).Error(HttpStatusCode.BadRequest));

        Assert.Contains("Dense and sparse vector names must be unique - duplicate found with 'text'",
            (await node.PutAsync("/collections/sparse_clash", """{"vectors": {"text": {"size": 2, "distance": "Dot"}}, "sparse_vectors": {"text": {}}}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("modifier", (await node.PutAsync("/collections/sparse_bad", """{"vectors": {"a": {"size": 2, "distance": "Dot"}}, "sparse_vectors": {"s": {"modifier": "bm25"}}}""")).Error(HttpStatusCode.BadRequest));
        Assert.Equal(HttpStatusCode.NotFound, (await node.GetAsync("/collections/sparse_clash")).Status);

        // A sparse-only collection needs no dense vectors.
        Assert.True((await node.PutAsync("/collections/sparse_only", """{"sparse_vectors": {"text": {}}}""")).Result.GetBoolean());
        var only = Params(await node.GetAsync("/collections/sparse_only"));
        Assert.Equal("{}", JsonText.Canonical(only.GetProperty("vectors")));
        await node.UpsertAsync("sparse_only", """[{"id": 1, "vector": {"text": {"indices": [3, 1], "values": [0.5, 2]}}}, {"id": 2, "vector": {}}]""");
        var hits = (await node.PostAsync("/collections/sparse_only/points/query", """{"query": {"indices": [1], "values": [1]}, "using": "text"}""")).Result.GetProperty("points");
        Assert.Equal([(1, 2.0)], SparseVectorSet.Hits(hits));
    }

    [Fact]
    public async Task Points_keep_sparse_vectors_sorted_and_return_them_in_qdrant_shape()
    {
        var set = await CreateAsync("sparse_points", count: 14);
        var one = (await node.GetAsync("/collections/sparse_points/points/1")).Result;
        var text = one.GetProperty("vector").GetProperty("text");
        Assert.Equal(set.Sparse[1].Keys, text.GetProperty("indices").EnumerateArray().Select(x => x.GetUInt32()));
        Assert.Equal(set.Sparse[1].Values, text.GetProperty("values").EnumerateArray().Select(x => x.GetSingle()));
        Assert.Equal(4, one.GetProperty("vector").GetProperty("dense").GetArrayLength());

        // with_vector by name, and a point without the sparse vector.
        var only = (await node.PostAsync("/collections/sparse_points/points", """{"ids": [2, 7], "with_vector": ["text"]}""")).Result;
        Assert.Equal(["text"], only[0].GetProperty("vector").EnumerateObject().Select(p => p.Name));
        Assert.Empty(only[1].GetProperty("vector").EnumerateObject());

        // The batch form takes a column of sparse vectors.
        var batch = await node.PutAsync("/collections/sparse_points/points?wait=true",
            """{"batch": {"ids": [100, 101], "vectors": {"dense": [[1, 0, 0, 0], [0, 1, 0, 0]], "text": [{"indices": [9, 2], "values": [1, 2]}, {"indices": [], "values": []}]}}}""");
        Assert.Equal("completed", batch.Result.GetProperty("status").GetString());
        Assert.Equal("""{"indices":[2,9],"values":[2,1]}""", JsonText.Canonical((await node.GetAsync("/collections/sparse_points/points/100")).Result.GetProperty("vector").GetProperty("text")));

        // has_vector counts the points holding the sparse vector.
        Assert.Equal(set.Sparse.Count + 2, await node.CountAsync("sparse_points", """{"exact": true, "filter": {"must": [{"has_vector": "text"}]}}"""));

        // update_vectors replaces only the sparse vector; delete_vectors removes it.
        await node.PutAsync("/collections/sparse_points/points/vectors?wait=true", """{"points": [{"id": 1, "vector": {"text": {"indices": [5], "values": [3]}}}]}""");
        var updated = (await node.GetAsync("/collections/sparse_points/points/1")).Result.GetProperty("vector");
        Assert.Equal("""{"indices":[5],"values":[3]}""", JsonText.Canonical(updated.GetProperty("text")));
        Assert.Equal(set.Dense[1], updated.GetProperty("dense").EnumerateArray().Select(x => x.GetSingle()));
        await node.PostAsync("/collections/sparse_points/points/vectors/delete?wait=true", """{"points": [1], "vector": ["text"]}""");
        Assert.False((await node.GetAsync("/collections/sparse_points/points/1")).Result.GetProperty("vector").TryGetProperty("text", out _));
        var search = (await node.PostAsync("/collections/sparse_points/points/query", """{"query": {"indices": [5], "values": [1]}, "using": "text", "limit": 100}""")).Result.GetProperty("points");
        Assert.DoesNotContain(1, SparseVectorSet.Hits(search).Select(h => h.Id));
    }

    [Fact]
    public async Task Invalid_sparse_vectors_are_refused_and_change_nothing()
    {
        await CreateAsync("sparse_invalid", count: 3);
        string before = JsonText.Canonical(JsonSerializer.SerializeToElement(await node.ScrollAllAsync("sparse_invalid")));
        async Task<string> Upsert(string vector) =>
            (await node.PutAsync("/collections/sparse_invalid/points?wait=true", $$$"""{"points": [{"id": 1, "vector": {"dense": [1, 1, 1, 1]}}, {"id": 2, "vector": {{{vector}}} }]}""")).Error(HttpStatusCode.BadRequest);

        Assert.Contains("Validation error in JSON body: [points[1].vector.text.values: must be the same length as indices]",
            await Upsert("""{"text": {"indices": [1, 2], "values": [1]}}"""));
        Assert.Contains("Validation error in JSON body: [points[1].vector.text.indices: must be unique]",
            await Upsert("""{"text": {"indices": [4, 2, 4], "values": [1, 2, 3]}}"""));
        Assert.Contains("vector `text` is sparse", await Upsert("""{"text": [1, 2]}"""));
        Assert.Contains("vector `dense` is dense", await Upsert("""{"dense": {"indices": [1], "values": [1]}}"""));
        Assert.Contains("Not existing vector name error: words", await Upsert("""{"words": {"indices": [1], "values": [1]}}"""));
        Assert.Contains("u32", await Upsert("""{"text": {"indices": [-1], "values": [1]}}"""));
        Assert.Equal(before, JsonText.Canonical(JsonSerializer.SerializeToElement(await node.ScrollAllAsync("sparse_invalid"))));

        Assert.Contains("must be the same length as indices",
            (await node.PostAsync("/collections/sparse_invalid/points/query", """{"query": {"indices": [1, 2], "values": [1]}, "using": "text"}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("is dense",
            (await node.PostAsync("/collections/sparse_invalid/points/query", """{"query": {"indices": [1], "values": [1]}, "using": "dense"}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("sparse",
            (await node.PostAsync("/collections/sparse_invalid/points/query", """{"query": {"recommend": {"positive": [1]}}, "using": "text"}""")).Error(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Sparse_search_and_query_match_brute_force_with_filters_thresholds_and_offsets()
    {
        var set = await CreateAsync("sparse_search", count: 120);
        var random = new Random(17);
        for (int q = 0; q < 6; q++)
        {
            var query = SparseVectorSet.RandomSparse(random);
            var expected = set.Ranked(query);
            string json = SparseVectorSet.Json(query, reversed: true);

            var searched = (await node.PostAsync("/collections/sparse_search/points/search", $$"""{"vector": {"name": "text", "vector": {{json}} }, "limit": 10}""")).Result;
            SparseVectorSet.AssertRanked(expected.Take(10).ToList(), SparseVectorSet.Hits(searched));

            var queried = (await node.PostAsync("/collections/sparse_search/points/query", $$"""{"query": {{json}}, "using": "text", "limit": 1000}""")).Result.GetProperty("points");
            SparseVectorSet.AssertRanked(expected, SparseVectorSet.Hits(queried)); // only points sharing a dimension

            var nearest = (await node.PostAsync("/collections/sparse_search/points/query",
                $$$"""{"query": {"nearest": {{{json}}} }, "using": "text", "limit": 5, "offset": 3, "filter": {"must": [{"key": "n", "range": {"gte": 30}}]}, "with_payload": true}""")).Result.GetProperty("points");
            SparseVectorSet.AssertRanked(set.Ranked(query, where: id => id >= 30).Skip(3).Take(5).ToList(), SparseVectorSet.Hits(nearest));

            if (expected.Count > 4)
            {
                double threshold = expected[3].Score;
                string t = threshold.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
                var above = (await node.PostAsync("/collections/sparse_search/points/query",
                    $$"""{"query": {{json}}, "using": "text", "limit": 100, "score_threshold": {{t}} }""")).Result.GetProperty("points");
                Assert.All(SparseVectorSet.Hits(above), h => Assert.True(h.Score >= threshold - 1e-4));
                Assert.True(SparseVectorSet.Hits(above).Count >= 3);
            }
        }

        // A point id as the query: its own sparse vector, the point left out.
        var byId = (await node.PostAsync("/collections/sparse_search/points/query", """{"query": 1, "using": "text", "limit": 1000}""")).Result.GetProperty("points");
        SparseVectorSet.AssertRanked(set.Ranked(set.Sparse[1]).Where(h => h.Id != 1).ToList(), SparseVectorSet.Hits(byId));
    }

    [Fact]
    public async Task Idf_modifier_weights_the_query_by_inverse_document_frequency()
    {
        var set = await CreateAsync("sparse_idf", count: 80, seed: 9, idf: true);
        var random = new Random(23);
        for (int q = 0; q < 5; q++)
        {
            var query = SparseVectorSet.RandomSparse(random);
            var hits = (await node.PostAsync("/collections/sparse_idf/points/query",
                $$"""{"query": {{SparseVectorSet.Json(query)}}, "using": "text", "limit": 1000}""")).Result.GetProperty("points");
            SparseVectorSet.AssertRanked(set.Ranked(query, idf: true), SparseVectorSet.Hits(hits));
        }

        // Turning the modifier off by PATCH scores by the plain dot product again.
        Assert.True((await node.PatchAsync("/collections/sparse_idf", """{"sparse_vectors": {"text": {"modifier": "none"}}}""")).Result.GetBoolean());
        var plainQuery = SparseVectorSet.RandomSparse(random);
        var plain = (await node.PostAsync("/collections/sparse_idf/points/query",
            $$"""{"query": {{SparseVectorSet.Json(plainQuery)}}, "using": "text", "limit": 1000}""")).Result.GetProperty("points");
        SparseVectorSet.AssertRanked(set.Ranked(plainQuery), SparseVectorSet.Hits(plain));
    }

    [Fact]
    public async Task Hybrid_query_fuses_sparse_and_dense_prefetches_with_rrf()
    {
        var set = await CreateAsync("sparse_hybrid", count: 90, seed: 13);
        var random = new Random(29);
        var sparse = SparseVectorSet.RandomSparse(random);
        var dense = NamedVectorSet.Random(random, 4);
        string body = $$"""
            {"prefetch": [{"query": {{SparseVectorSet.Json(sparse)}}, "using": "text", "limit": 20}, {"query": {{NamedVectorSet.Json(dense)}}, "using": "dense", "limit": 20}],
             "query": {"fusion": "rrf"}, "limit": 10, "with_vector": ["text"]}
            """;
        var fused = (await node.PostAsync("/collections/sparse_hybrid/points/query", body)).Result.GetProperty("points");

        // Expected: reciprocal rank fusion (k = 2) of the two brute-force lists.
        var sparseRanks = set.Ranked(sparse).Take(20).Select(h => h.Id).ToList();
        var denseRanks = set.Dense.OrderByDescending(p => NamedVectorSet.Score(p.Value, dense, cosine: false)).ThenBy(p => p.Key).Take(20).Select(p => p.Key).ToList();
        var scores = new Dictionary<int, double>();
        foreach (var list in new[] { sparseRanks, denseRanks })
        {
            for (int i = 0; i < list.Count; i++) scores[list[i]] = scores.GetValueOrDefault(list[i]) + 1.0 / (i + 2);
        }

        var expected = scores.OrderByDescending(p => p.Value).ThenBy(p => p.Key).Take(10).Select(p => (p.Key, p.Value)).ToList();
        SparseVectorSet.AssertRanked(expected, SparseVectorSet.Hits(fused));
        foreach (var p in fused.EnumerateArray())
        {
            int id = p.GetProperty("id").GetInt32();
            var vector = p.GetProperty("vector");
            Assert.Equal(set.Sparse.ContainsKey(id), vector.TryGetProperty("text", out _));
            Assert.False(vector.TryGetProperty("dense", out _));
        }
    }
}

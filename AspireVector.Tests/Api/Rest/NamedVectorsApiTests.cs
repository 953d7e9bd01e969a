using System.Net;
using System.Text.Json;

namespace AspireVector.Tests.Api.Rest;

/// <summary>
/// Collections with several named vectors, in Qdrant's documented shapes: create and info, upsert (point and batch
/// forms), search per name against brute force, <c>with_vector</c> selections, vector updates and deletions,
/// <c>has_vector</c>, query/recommend/matrix <c>using</c>, and Qdrant's errors.
/// </summary>
public sealed class NamedVectorsApiTests(RestNode node) : IClassFixture<RestNode>
{
    private async Task<NamedVectorSet> CreateAsync(string name, int count = 48, int seed = 7)
    {
        Assert.True((await node.PutAsync($"/collections/{name}", NamedVectorSet.CreateBody)).Result.GetBoolean());
        var set = new NamedVectorSet(count, seed);
        await node.UpsertAsync(name, set.PointsJson());
        return set;
    }

    [Fact]
    public async Task Collection_info_shows_the_named_vectors_as_a_map()
    {
        await CreateAsync("named_info", count: 4);
        var vectors = (await node.GetAsync("/collections/named_info")).Result.GetProperty("config").GetProperty("params").GetProperty("vectors");
        Assert.Equal(
            JsonText.Canonical("""{"image": {"size": 4, "distance": "Dot"}, "text": {"size": 8, "distance": "Cosine", "hnsw_config": {"m": 8}, "on_disk": true}}"""),
            JsonText.Canonical(vectors));

        Assert.True((await node.PatchAsync("/collections/named_info", """{"vectors": {"text": {"on_disk": false, "hnsw_config": {"ef_construct": 50}}, "image": {"quantization_config": {"scalar": {"type": "int8"}}}}}""")).Result.GetBoolean());
        vectors = (await node.GetAsync("/collections/named_info")).Result.GetProperty("config").GetProperty("params").GetProperty("vectors");
        Assert.Equal(
            JsonText.Canonical("""{"image": {"size": 4, "distance": "Dot", "quantization_config": {"scalar": {"type": "int8"}}}, "text": {"size": 8, "distance": "Cosine", "hnsw_config": {"m": 8, "ef_construct": 50}, "on_disk": false}}"""),
            JsonText.Canonical(vectors));
        Assert.Contains("Not existing vector name error: audio",
            (await node.PatchAsync("/collections/named_info", """{"vectors": {"audio": {"on_disk": true}}}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("Dense and sparse vector names must be unique", (await node.PutAsync("/collections/named_sparse", """{"vectors": {"a": {"size": 2, "distance": "Dot"}}, "sparse_vectors": {"a": {}}}""")).Error(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Search_on_each_name_finds_the_brute_force_nearest_among_points_holding_it()
    {
        var set = await CreateAsync("named_search");
        var random = new Random(11);
        for (int q = 0; q < 5; q++)
        {
            var image = NamedVectorSet.Random(random, 4);
            var hits = (await node.PostAsync("/collections/named_search/points/search",
                $$"""{"vector": {"name": "image", "vector": {{NamedVectorSet.Json(image)}}}, "limit": 5}""")).Result;
            Assert.Equal(NamedVectorSet.Nearest(set.Image, image, cosine: false, 5), NamedVectorSet.IdsOf(hits));

            var text = NamedVectorSet.Random(random, 8);
            hits = (await node.PostAsync("/collections/named_search/points/search",
                $$"""{"vector": {"name": "text", "vector": {{NamedVectorSet.Json(text)}}}, "limit": 5, "with_vector": ["text"]}""")).Result;
            Assert.Equal(NamedVectorSet.Nearest(set.Text, text, cosine: true, 5), NamedVectorSet.IdsOf(hits));
            foreach (var hit in hits.EnumerateArray())
            {
                Assert.Equal(["text"], hit.GetProperty("vector").EnumerateObject().Select(p => p.Name));
                Assert.Equal(NamedVectorSet.Score(set.Text[hit.GetProperty("id").GetInt32()], text, cosine: true), hit.GetProperty("score").GetDouble(), 4);
            }

            // The query API's `using` gives the same answer as search.
            var query = (await node.PostAsync("/collections/named_search/points/query",
                $$"""{"query": {{NamedVectorSet.Json(text)}}, "using": "text", "limit": 5}""")).Result.GetProperty("points");
            Assert.Equal(NamedVectorSet.Nearest(set.Text, text, cosine: true, 5), NamedVectorSet.IdsOf(query));
        }

        // A search returns only points holding the vector searched.
        var all = (await node.PostAsync("/collections/named_search/points/search",
            """{"vector": {"name": "image", "vector": [1, 0, 0, 0]}, "limit": 100}""")).Result;
        Assert.Equal(set.Image.Keys.Order(), NamedVectorSet.IdsOf(all).Order());
    }

    [Fact]
    public async Task With_vector_selects_all_none_or_the_named_vectors()
    {
        var set = await CreateAsync("named_select", count: 12);
        var both = (await node.PostAsync("/collections/named_select/points", """{"ids": [1, 2, 3, 4, 12], "with_vector": true}""")).Result;
        foreach (var p in both.EnumerateArray())
        {
            int id = p.GetProperty("id").GetInt32();
            var vector = p.GetProperty("vector");
            Assert.Equal(set.Image.ContainsKey(id), vector.TryGetProperty("image", out var image));
            Assert.Equal(set.Text.ContainsKey(id), vector.TryGetProperty("text", out _));
            if (set.Image.ContainsKey(id)) Assert.Equal(set.Image[id], image.EnumerateArray().Select(x => x.GetSingle()));
        }

        var none = (await node.PostAsync("/collections/named_select/points/scroll", """{"limit": 3, "with_vector": false}""")).Result.GetProperty("points");
        Assert.All(none.EnumerateArray(), p => Assert.False(p.TryGetProperty("vector", out _)));
        var onlyImage = (await node.PostAsync("/collections/named_select/points/scroll", """{"limit": 12, "with_vector": ["image"]}""")).Result.GetProperty("points");
        Assert.All(onlyImage.EnumerateArray(), p => Assert.All(p.GetProperty("vector").EnumerateObject(), v => Assert.Equal("image", v.Name)));
        var one = (await node.GetAsync("/collections/named_select/points/1")).Result.GetProperty("vector");
        Assert.Equal(["image", "text"], one.EnumerateObject().Select(p => p.Name).Order());
        Assert.Contains("Not existing vector name error: audio",
            (await node.PostAsync("/collections/named_select/points", """{"ids": [1], "with_vector": ["audio"]}""")).Error(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Batch_upsert_takes_a_map_of_named_vector_columns()
    {
        Assert.True((await node.PutAsync("/collections/named_batch", NamedVectorSet.CreateBody)).Result.GetBoolean());
        var answer = await node.PutAsync("/collections/named_batch/points?wait=true", """
            {"batch": {"ids": [1, 2], "vectors": {"image": [[1, 0, 0, 0], [0, 1, 0, 0]], "text": [[1, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 2]]}, "payloads": [{"a": 1}, null]}}
            """);
        Assert.Equal("completed", answer.Result.GetProperty("status").GetString());
        var two = (await node.GetAsync("/collections/named_batch/points/2")).Result.GetProperty("vector");
        Assert.Equal([0f, 1f, 0f, 0f], two.GetProperty("image").EnumerateArray().Select(x => x.GetSingle()));
        Assert.Equal([0f, 0f, 0f, 0f, 0f, 0f, 0f, 1f], two.GetProperty("text").EnumerateArray().Select(x => x.GetSingle())); // normalised for Cosine
        Assert.Contains("number of ids and vectors must be equal",
            (await node.PutAsync("/collections/named_batch/points", """{"batch": {"ids": [3, 4], "vectors": {"image": [[1, 0, 0, 0]]}}}""")).Error(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Updating_one_named_vector_keeps_the_other_and_the_payload()
    {
        var set = await CreateAsync("named_update", count: 12);
        var answer = await node.PutAsync("/collections/named_update/points/vectors?wait=true", """{"points": [{"id": 1, "vector": {"image": [9, 8, 7, 6]}}]}""");
        Assert.Equal("completed", answer.Result.GetProperty("status").GetString());
        var one = (await node.GetAsync("/collections/named_update/points/1")).Result;
        Assert.Equal([9f, 8f, 7f, 6f], one.GetProperty("vector").GetProperty("image").EnumerateArray().Select(x => x.GetSingle()));
        var text = one.GetProperty("vector").GetProperty("text").EnumerateArray().Select(x => x.GetSingle()).ToArray();
        Assert.Equal(1.0, NamedVectorSet.Score(text, set.Text[1], cosine: true), 5);
        Assert.Equal(1, one.GetProperty("payload").GetProperty("n").GetInt32());

        // A point without `image` gains it; its text stays.
        Assert.False(set.Image.ContainsKey(3));
        await node.PutAsync("/collections/named_update/points/vectors?wait=true", """{"points": [{"id": 3, "vector": {"image": [0, 0, 0, 1]}}]}""");
        Assert.Equal(["image", "text"], (await node.GetAsync("/collections/named_update/points/3")).Result.GetProperty("vector").EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task Concurrent_vector_updates_and_payload_changes_on_one_point_lose_nothing()
    {
        await CreateAsync("named_race", count: 4);
        var tasks = new List<Task<RestAnswer>>();
        for (int i = 0; i < 20; i++)
        {
            tasks.Add(node.PutAsync("/collections/named_race/points/vectors?wait=true", $$$"""{"points": [{"id": 1, "vector": {"image": [{{{i}}}, 1, 1, 1]}}]}"""));
            tasks.Add(node.PostAsync("/collections/named_race/points/payload?wait=true", $$$"""{"points": [1], "payload": {"k{{{i}}}": {{{i}}}}}"""));
        }

        foreach (var answer in await Task.WhenAll(tasks)) Assert.Equal("completed", answer.Result.GetProperty("status").GetString());
        var payload = (await node.GetAsync("/collections/named_race/points/1")).Result.GetProperty("payload");
        for (int i = 0; i < 20; i++) Assert.Equal(i, payload.GetProperty($"k{i}").GetInt32());
    }

    [Fact]
    public async Task Deleting_a_named_vector_keeps_the_point_and_has_vector_reflects_it()
    {
        var set = await CreateAsync("named_delete", count: 24);
        const string HasImage = """{"exact": true, "filter": {"must": [{"has_vector": "image"}]}}""";
        Assert.Equal(set.Image.Count, await node.CountAsync("named_delete", HasImage));
        Assert.Equal(set.Text.Count, await node.CountAsync("named_delete", """{"exact": true, "filter": {"must": [{"has_vector": "text"}]}}"""));
        Assert.Equal(24 - set.Image.Keys.Union(set.Text.Keys).Count(),
            await node.CountAsync("named_delete", """{"exact": true, "filter": {"must_not": [{"has_vector": "image"}, {"has_vector": "text"}]}}"""));

        var answer = await node.PostAsync("/collections/named_delete/points/vectors/delete?wait=true", """{"points": [1, 2], "vector": ["image"]}""");
        Assert.Equal("completed", answer.Result.GetProperty("status").GetString());
        Assert.Equal(24, await node.CountAsync("named_delete"));
        Assert.Equal(set.Image.Count - 2, await node.CountAsync("named_delete", HasImage));
        var one = (await node.GetAsync("/collections/named_delete/points/1")).Result;
        Assert.Equal(["text"], one.GetProperty("vector").EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, one.GetProperty("payload").GetProperty("n").GetInt32());
        var hits = (await node.PostAsync("/collections/named_delete/points/search", """{"vector": {"name": "image", "vector": [1, 1, 1, 1]}, "limit": 100}""")).Result;
        Assert.DoesNotContain(1, NamedVectorSet.IdsOf(hits));
        Assert.DoesNotContain(2, NamedVectorSet.IdsOf(hits));

        // By filter: every point with `n` >= 20 loses its text vector.
        await node.PostAsync("/collections/named_delete/points/vectors/delete?wait=true", """{"filter": {"must": [{"key": "n", "range": {"gte": 20}}]}, "vector": ["text"]}""");
        Assert.Equal(set.Text.Keys.Count(id => id < 20), await node.CountAsync("named_delete", """{"exact": true, "filter": {"must": [{"has_vector": "text"}]}}"""));
        Assert.Contains("Not existing vector name error: audio",
            (await node.PostAsync("/collections/named_delete/points/vectors/delete", """{"points": [1], "vector": ["audio"]}""")).Error(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Recommend_groups_and_matrix_use_the_named_vector()
    {
        var set = await CreateAsync("named_using", count: 30);
        var recommended = (await node.PostAsync("/collections/named_using/points/recommend", """{"positive": [1], "using": "image", "limit": 50}""")).Result;
        var ids = NamedVectorSet.IdsOf(recommended);
        Assert.Equal(set.Image.Count - 1, ids.Count);
        Assert.All(ids, id => Assert.True(set.Image.ContainsKey(id)));
        Assert.Equal(NamedVectorSet.Nearest(set.Image.Where(p => p.Key != 1).ToDictionary(), set.Image[1], cosine: false, 3), ids.Take(3));

        var groups = (await node.PostAsync("/collections/named_using/points/search/groups",
            """{"vector": {"name": "text", "vector": [1, 0, 0, 0, 0, 0, 0, 0]}, "group_by": "n", "limit": 3, "group_size": 1}""")).Result.GetProperty("groups");
        Assert.Equal(3, groups.GetArrayLength());
        Assert.All(groups.EnumerateArray(), g => Assert.True(set.Text.ContainsKey(g.GetProperty("hits")[0].GetProperty("id").GetInt32())));

        var pairs = (await node.PostAsync("/collections/named_using/points/search/matrix/pairs", """{"sample": 10, "limit": 2, "using": "text"}""")).Result.GetProperty("pairs");
        Assert.NotEmpty(pairs.EnumerateArray());
        foreach (var pair in pairs.EnumerateArray())
        {
            int a = pair.GetProperty("a").GetInt32(), b = pair.GetProperty("b").GetInt32();
            Assert.Equal(NamedVectorSet.Score(set.Text[a], set.Text[b], cosine: true), pair.GetProperty("score").GetDouble(), 4);
        }
    }

    [Theory]
    [InlineData("PUT", "points", """{"points": [{"id": 1, "vector": {"audio": [1, 2]}}]}""", "Wrong input: Not existing vector name error: audio")]
    [InlineData("PUT", "points", """{"points": [{"id": 1, "vector": {"image": [1, 2]}}]}""", "Wrong input: Vector dimension error: expected dim: 4, got 2")]
    [InlineData("PUT", "points", """{"points": [{"id": 1, "vector": [1, 2, 3, 4]}]}""", "Wrong input: Not existing vector name error: ")]
    [InlineData("PUT", "points/vectors", """{"points": [{"id": 1, "vector": {"text": [1, 2, 3, 4]}}]}""", "Wrong input: Vector dimension error: expected dim: 8, got 4")]
    [InlineData("POST", "points/search", """{"vector": {"name": "audio", "vector": [1, 2]}, "limit": 1}""", "Wrong input: Not existing vector name error: audio")]
    [InlineData("POST", "points/search", """{"vector": [1, 2, 3, 4], "limit": 1}""", "Wrong input: Not existing vector name error: ")]
    [InlineData("POST", "points/search", """{"vector": {"name": "text", "vector": [1, 2, 3, 4]}, "limit": 1}""", "Wrong input: Vector dimension error: expected dim: 8, got 4")]
    [InlineData("POST", "points/query", """{"query": [1, 2, 3, 4], "using": "audio"}""", "Wrong input: Not existing vector name error: audio")]
    [InlineData("POST", "points/recommend", """{"positive": [1], "using": "audio", "limit": 1}""", "Wrong input: Not existing vector name error: audio")]
    public async Task Bad_named_vector_input_gets_qdrants_errors(string method, string path, string body, string expected)
    {
        string name = $"named_errors_{Guid.NewGuid():N}";
        await CreateAsync(name, count: 6);
        var before = (await node.ScrollAllAsync(name)).Select(JsonText.Canonical).ToList();
        var answer = await node.SendAsync(new HttpMethod(method), $"/collections/{name}/{path}", body);
        Assert.StartsWith(expected, answer.Error(HttpStatusCode.BadRequest));
        Assert.Equal(before, (await node.ScrollAllAsync(name)).Select(JsonText.Canonical).ToList());
    }

    [Fact]
    public async Task A_named_vector_given_to_an_unnamed_collection_is_refused()
    {
        await node.CreateCollectionAsync("unnamed_only");
        Assert.Equal("Wrong input: Not existing vector name error: image",
            (await node.PutAsync("/collections/unnamed_only/points", """{"points": [{"id": 1, "vector": {"image": [1, 0, 0, 0]}}]}""")).Error(HttpStatusCode.BadRequest));
        Assert.Equal("Wrong input: Not existing vector name error: image",
            (await node.PostAsync("/collections/unnamed_only/points/search", """{"vector": {"name": "image", "vector": [1, 0, 0, 0]}, "limit": 1}""")).Error(HttpStatusCode.BadRequest));
        // The unnamed vector in the named form still works.
        await node.UpsertAsync("unnamed_only", """[{"id": 1, "vector": {"": [1, 0, 0, 0]}}]""");
        Assert.Equal(4, (await node.GetAsync("/collections/unnamed_only/points/1")).Result.GetProperty("vector").GetArrayLength());
    }

    [Fact]
    public async Task Querying_by_a_point_that_lacks_the_vector_is_404_as_in_qdrant()
    {
        Assert.True((await node.PutAsync("/collections/named_lacking", NamedVectorSet.CreateBody)).Result.GetBoolean());
        await node.UpsertAsync("named_lacking", """[{"id": 1, "vector": {"image": [1, 0, 0, 0]}}, {"id": 2, "vector": {"image": [0, 1, 0, 0]}}]""");
        const string Expected = "Not found: Vector with name \"text\" for point";
        Assert.Equal(Expected, (await node.PostAsync("/collections/named_lacking/points/query", """{"query": 1, "using": "text"}""")).Error(HttpStatusCode.NotFound));
        Assert.Equal(Expected, (await node.PostAsync("/collections/named_lacking/points/query",
            """{"prefetch": {"query": 1, "using": "text"}, "query": {"fusion": "rrf"}}""")).Error(HttpStatusCode.NotFound));
        Assert.Equal(Expected, (await node.PostAsync("/collections/named_lacking/points/query",
            """{"query": {"recommend": {"positive": [1]}}, "using": "text"}""")).Error(HttpStatusCode.NotFound));
        // The vector the point does hold still serves as the query.
        var hits = (await node.PostAsync("/collections/named_lacking/points/query", """{"query": 1, "using": "image"}""")).Result.GetProperty("points");
        Assert.Equal([2], hits.EnumerateArray().Select(h => h.GetProperty("id").GetInt32()));
    }
}

using System.Net;
using AspireVector.Tests.Storage;

namespace AspireVector.Tests.Api.Rest;

/// <summary><c>PUT</c>/<c>DELETE /collections/{c}/vectors/{v}</c>: adding and deleting a named vector of an existing collection.</summary>
public sealed class VectorNamesApiTests(RestNode node) : IClassFixture<RestNode>
{
    private const string Named = """{"vectors": {"a": {"size": 2, "distance": "Dot"}}}""";

    [Fact]
    public async Task An_added_dense_vector_is_configured_empty_then_stored_and_searched()
    {
        Assert.True((await node.PutAsync("/collections/vn_add", Named)).Result.GetBoolean());
        await node.UpsertAsync("vn_add", """[{"id": 1, "vector": {"a": [1, 0]}}, {"id": 2, "vector": {"a": [0, 1]}}]""");

        var added = (await node.PutAsync("/collections/vn_add/vectors/b?wait=true", """{"dense": {"size": 3, "distance": "Euclid"}}""")).Result;
        Assert.Equal("completed", added.GetProperty("status").GetString());
        var vectors = (await node.GetAsync("/collections/vn_add")).Result.GetProperty("config").GetProperty("params").GetProperty("vectors");
        Assert.Equal(3, vectors.GetProperty("b").GetProperty("size").GetInt32());
        Assert.Equal("Euclid", vectors.GetProperty("b").GetProperty("distance").GetString());

        // Existing points simply lack the new vector.
        var one = (await node.GetAsync("/collections/vn_add/points/1")).Result;
        Assert.False(one.GetProperty("vector").TryGetProperty("b", out _));
        Assert.Equal(0, await node.CountAsync("vn_add", """{"exact": true, "filter": {"must": [{"has_vector": "b"}]}}"""));

        await node.PutAsync("/collections/vn_add/points/vectors?wait=true", """{"points": [{"id": 2, "vector": {"b": [1, 1, 1]}}]}""");
        var hits = (await node.PostAsync("/collections/vn_add/points/search", """{"vector": {"name": "b", "vector": [1, 1, 1]}, "limit": 5}""")).Result;
        Assert.Equal([2L], hits.EnumerateArray().Select(h => h.GetProperty("id").GetInt64()));

        // The same vector again is accepted and changes nothing.
        Assert.Equal("completed", (await node.PutAsync("/collections/vn_add/vectors/b?wait=true", """{"dense": {"size": 3, "distance": "Euclid"}}""")).Result.GetProperty("status").GetString());
        Assert.Equal(1, await node.CountAsync("vn_add", """{"exact": true, "filter": {"must": [{"has_vector": "b"}]}}"""));
    }

    [Fact]
    public async Task A_deleted_vector_leaves_every_point_its_config_and_its_index()
    {
        Assert.True((await node.PutAsync("/collections/vn_del", """{"vectors": {"a": {"size": 2, "distance": "Dot"}, "b": {"size": 2, "distance": "Cosine"}}, "sparse_vectors": {"s": {}}}""")).Result.GetBoolean());
        await node.UpsertAsync("vn_del", """[{"id": 1, "vector": {"a": [1, 0], "b": [0, 1], "s": {"indices": [3], "values": [1]}}}, {"id": 2, "vector": {"a": [0, 1], "b": [1, 0]}}]""");

        Assert.Equal("acknowledged", (await node.DeleteAsync("/collections/vn_del/vectors/b")).Result.GetProperty("status").GetString());
        var config = (await node.GetAsync("/collections/vn_del")).Result.GetProperty("config").GetProperty("params");
        Assert.False(config.GetProperty("vectors").TryGetProperty("b", out _));
        foreach (var p in await node.ScrollAllAsync("vn_del"))
        {
            Assert.False(p.GetProperty("vector").TryGetProperty("b", out _));
            Assert.True(p.GetProperty("vector").TryGetProperty("a", out _));
        }

        var search = await node.PostAsync("/collections/vn_del/points/search", """{"vector": {"name": "b", "vector": [1, 0]}, "limit": 5}""");
        Assert.Contains("Not existing vector name error: b", search.Error(HttpStatusCode.BadRequest));

        // Sparse vectors are deleted the same way; an unknown name changes nothing (Qdrant's no-op).
        (await node.DeleteAsync("/collections/vn_del/vectors/s?wait=true")).Result.GetProperty("status").GetString();
        config = (await node.GetAsync("/collections/vn_del")).Result.GetProperty("config").GetProperty("params");
        Assert.False(config.TryGetProperty("sparse_vectors", out _));
        Assert.Equal("completed", (await node.DeleteAsync("/collections/vn_del/vectors/nothing?wait=true")).Result.GetProperty("status").GetString());

        // A vector of the deleted name may come back with another size: it starts empty.
        (await node.PutAsync("/collections/vn_del/vectors/b?wait=true", """{"dense": {"size": 3, "distance": "Dot"}}""")).Result.GetProperty("status").GetString();
        Assert.Equal(0, await node.CountAsync("vn_del", """{"exact": true, "filter": {"must": [{"has_vector": "b"}]}}"""));
        Assert.Equal(2, await node.CountAsync("vn_del"));
    }

    [Fact]
    public async Task A_sparse_vector_is_added_with_its_modifier()
    {
        Assert.True((await node.PutAsync("/collections/vn_sparse", Named)).Result.GetBoolean());
        (await node.PutAsync("/collections/vn_sparse/vectors/words?wait=true", """{"sparse": {"modifier": "idf"}}""")).Result.GetProperty("status").GetString();
        var sparse = (await node.GetAsync("/collections/vn_sparse")).Result.GetProperty("config").GetProperty("params").GetProperty("sparse_vectors");
        Assert.Equal("idf", sparse.GetProperty("words").GetProperty("modifier").GetString());
        await node.UpsertAsync("vn_sparse", """[{"id": 7, "vector": {"a": [1, 1], "words": {"indices": [1, 5], "values": [0.5, 2]}}}]""");
        var hits = (await node.PostAsync("/collections/vn_sparse/points/query", """{"query": {"indices": [5], "values": [1]}, "using": "words"}""")).Result;
        Assert.Equal(7, hits.GetProperty("points")[0].GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Bad_requests_are_refused_and_change_nothing()
    {
        Assert.True((await node.PutAsync("/collections/vn_bad", """{"vectors": {"a": {"size": 2, "distance": "Dot"}}, "sparse_vectors": {"s": {}}}""")).Result.GetBoolean());
        await node.UpsertAsync("vn_bad", """[{"id": 1, "vector": {"a": [1, 0]}}]""");
        string before = JsonText.Canonical((await node.GetAsync("/collections/vn_bad")).Result.GetProperty("config"));

        Assert.Equal("Wrong input: Vector `a` already exists with a different configuration",
            (await node.PutAsync("/collections/vn_bad/vectors/a", """{"dense": {"size": 3, "distance": "Dot"}}""")).Error(HttpStatusCode.BadRequest));
        Assert.Equal("Wrong input: Vector `s` already exists as a sparse vector",
            (await node.PutAsync("/collections/vn_bad/vectors/s", """{"dense": {"size": 3, "distance": "Dot"}}""")).Error(HttpStatusCode.BadRequest));
        Assert.Equal("Wrong input: Vector `a` already exists as a dense vector",
            (await node.PutAsync("/collections/vn_bad/vectors/a", """{"sparse": {}}""")).Error(HttpStatusCode.BadRequest));
        Assert.Equal("Wrong input: Sparse vector `s` already exists with a different configuration",
            (await node.PutAsync("/collections/vn_bad/vectors/s", """{"sparse": {"modifier": "idf"}}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("missing field `size`", (await node.PutAsync("/collections/vn_bad/vectors/c", """{"dense": {"distance": "Dot"}}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("unknown variant `Near`", (await node.PutAsync("/collections/vn_bad/vectors/c", """{"dense": {"size": 2, "distance": "Near"}}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("VectorNameConfig", (await node.PutAsync("/collections/vn_bad/vectors/c", """{"size": 2, "distance": "Dot"}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("vectors.size", (await node.PutAsync("/collections/vn_bad/vectors/c", """{"dense": {"size": 0, "distance": "Dot"}}""")).Error(HttpStatusCode.BadRequest).Replace("dense", "vectors"));
        Assert.Contains("vector name cannot contain", (await node.PutAsync("/collections/vn_bad/vectors/c*d", """{"dense": {"size": 2, "distance": "Dot"}}""")).Error(HttpStatusCode.BadRequest));
        Assert.Equal("Not found: Collection `vn_none` doesn't exist!",
            (await node.PutAsync("/collections/vn_none/vectors/c", """{"dense": {"size": 2, "distance": "Dot"}}""")).Error(HttpStatusCode.NotFound));
        Assert.Equal("Not found: Collection `vn_none` doesn't exist!", (await node.DeleteAsync("/collections/vn_none/vectors/c")).Error(HttpStatusCode.NotFound));

        Assert.Equal(before, JsonText.Canonical((await node.GetAsync("/collections/vn_bad")).Result.GetProperty("config")));
        Assert.Single(await node.ScrollAllAsync("vn_bad"));
    }

    [Fact]
    public async Task The_only_vector_and_the_unnamed_vector_stay()
    {
        await node.CreateCollectionAsync("vn_single", size: 2);
        Assert.Contains("single unnamed vector", (await node.PutAsync("/collections/vn_single/vectors/b", """{"dense": {"size": 2, "distance": "Dot"}}""")).Error(HttpStatusCode.BadRequest));
        Assert.True((await node.PutAsync("/collections/vn_only", Named)).Result.GetBoolean());
        Assert.Equal("Wrong input: Vector `a` is the only vector of the collection and cannot be deleted",
            (await node.DeleteAsync("/collections/vn_only/vectors/a")).Error(HttpStatusCode.BadRequest));
        Assert.True((await node.GetAsync("/collections/vn_only")).Result.GetProperty("config").GetProperty("params").GetProperty("vectors").TryGetProperty("a", out _));
    }

    [Fact]
    public async Task Added_and_deleted_vectors_survive_a_restart()
    {
        using var storage = new TempDirectory();
        var options = RestNode.OptionsOn(storage.Path);
        string config;
        List<string> points;
        await using (var first = RestNode.Start(options))
        {
            var client = new RestClient(first.CreateClient());
            Assert.True((await client.PutAsync("/collections/vn_restart", """{"vectors": {"a": {"size": 2, "distance": "Dot"}, "old": {"size": 2, "distance": "Dot"}}}""")).Result.GetBoolean());
            await client.UpsertAsync("vn_restart", """[{"id": 1, "vector": {"a": [1, 0], "old": [1, 1]}}, {"id": 2, "vector": {"a": [0, 1], "old": [2, 2]}}]""");
            (await client.DeleteAsync("/collections/vn_restart/vectors/old?wait=true")).Result.GetProperty("status").GetString();
            (await client.PutAsync("/collections/vn_restart/vectors/new?wait=true", """{"dense": {"size": 3, "distance": "Cosine"}}""")).Result.GetProperty("status").GetString();
            // Only in the WAL: a point with the new vector.
            await client.UpsertAsync("vn_restart", """[{"id": 3, "vector": {"a": [1, 1], "new": [0, 0, 1]}}]""");
            config = JsonText.Canonical((await client.GetAsync("/collections/vn_restart")).Result.GetProperty("config"));
            points = (await client.ScrollAllAsync("vn_restart")).Select(JsonText.Canonical).ToList();
        }

        await using var second = RestNode.Start(options);
        var again = new RestClient(second.CreateClient());
        Assert.Equal(config, JsonText.Canonical((await again.GetAsync("/collections/vn_restart")).Result.GetProperty("config")));
        Assert.Equal(points, (await again.ScrollAllAsync("vn_restart")).Select(JsonText.Canonical).ToList());
        Assert.DoesNotContain(points, p => p.Contains("\"old\"", StringComparison.Ordinal));
        var hits = (await again.PostAsync("/collections/vn_restart/points/search", """{"vector": {"name": "new", "vector": [0, 0, 1]}, "limit": 5}""")).Result;
        Assert.Equal([3L], hits.EnumerateArray().Select(h => h.GetProperty("id").GetInt64()));
    }
}

using System.Net;
using System.Text.Json;

namespace AspireVector.Tests.Api.Rest;

/// <summary><c>points/batch</c>, <c>points/vectors</c> and <c>points/vectors/delete</c>.</summary>
public sealed class PointsBatchApiTests(RestNode node) : IClassFixture<RestNode>
{
    private async Task<Dictionary<int, JsonElement>> PointsAsync(string name) =>
        (await node.ScrollAllAsync(name)).ToDictionary(p => p.GetProperty("id").GetInt32());

    private static float[] Vector(JsonElement point) => [.. point.GetProperty("vector").EnumerateArray().Select(v => v.GetSingle())];

    [Fact]
    public async Task Batch_applies_every_operation_in_order_and_lists_their_results()
    {
        await node.CreateCollectionAsync("batched", distance: "Dot", extra: """, "shard_number": 3""");
        var result = (await node.PostAsync("/collections/batched/points/batch?wait=true", """
            {"operations": [
              {"upsert": {"points": [{"id": 1, "vector": [1, 0, 0, 0], "payload": {"color": "red", "n": 1}},
                                     {"id": 2, "vector": [0, 1, 0, 0], "payload": {"color": "blue"}},
                                     {"id": 3, "vector": [0, 0, 1, 0]}]}},
              {"upsert": {"batch": {"ids": [4, 5], "vectors": [[0, 0, 0, 1], [1, 1, 0, 0]], "payloads": [{"color": "red"}, null]}}},
              {"set_payload": {"payload": {"seen": true}, "points": [1, 2]}},
              {"overwrite_payload": {"payload": {"only": 1}, "points": [3]}},
              {"delete_payload": {"keys": ["n"], "points": [1]}},
              {"clear_payload": {"points": [2]}},
              {"update_vectors": {"points": [{"id": 1, "vector": [0.5, 0.5, 0, 0]}]}},
              {"delete": {"filter": {"must": [{"key": "color", "match": {"value": "red"}}], "must_not": [{"has_id": [1]}]}}},
              {"set_payload": {"payload": {"late": 1}, "filter": {"must": [{"has_id": [5]}]}}}
            ]}
            """)).Result;
        Assert.Equal(9, result.GetArrayLength());
        foreach (var r in result.EnumerateArray()) Assert.Equal("completed", r.GetProperty("status").GetString());

        var points = await PointsAsync("batched");
        Assert.Equal([1, 2, 3, 5], points.Keys.Order());
        Assert.Equal(JsonText.Canonical("""{"color": "red", "seen": true}"""), JsonText.Canonical(points[1].GetProperty("payload")));
        Assert.Equal([0.5f, 0.5f, 0f, 0f], Vector(points[1]));
        Assert.Empty(points[2].GetProperty("payload").EnumerateObject());
        Assert.Equal(JsonText.Canonical("""{"only": 1}"""), JsonText.Canonical(points[3].GetProperty("payload")));
        Assert.Equal(JsonText.Canonical("""{"late": 1}"""), JsonText.Canonical(points[5].GetProperty("payload")));
    }

    [Theory]
    [InlineData("""{"operations": [{"upsert": {"points": [{"id": 50, "vector": [1, 0, 0, 0]}]}}, {"set_payload": {"payload": {"x": 1}, "points": [404]}}]}""", HttpStatusCode.NotFound)]
    [InlineData("""{"operations": [{"upsert": {"points": [{"id": 50, "vector": [1, 0, 0, 0]}]}}, {"update_vectors": {"points": [{"id": 404, "vector": [1, 0, 0, 0]}]}}]}""", HttpStatusCode.NotFound)]
    [InlineData("""{"operations": [{"delete": {"points": [10]}}, {"set_payload": {"payload": {"x": 1}, "points": [10]}}]}""", HttpStatusCode.NotFound)]
    [InlineData("""{"operations": [{"upsert": {"points": [{"id": 50, "vector": [1, 0, 0, 0]}]}}, {"upsert": {"points": [{"id": 51, "vector": [1, 0]}]}}]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"operations": [{"upsert": {"points": [{"id": 50, "vector": [1, 0, 0, 0]}]}}, {"explode": {}}]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"operations": [{"upsert": {"points": []}, "delete": {"points": [10]}}]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"operations": [{"delete_payload": {"points": [10]}}]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"operations": [{"delete_vectors": {"points": [10], "vector": ["image"]}}]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"operations": {}}""", HttpStatusCode.BadRequest)]
    [InlineData("""[]""", HttpStatusCode.BadRequest)]
    public async Task A_refused_batch_changes_nothing(string body, HttpStatusCode expected)
    {
        if (!(await node.GetAsync("/collections/batch_refused/exists")).Result.GetProperty("exists").GetBoolean())
        {
            await node.CreateCollectionAsync("batch_refused", extra: """, "shard_number": 2""");
            await node.UpsertAsync("batch_refused", """[{"id": 10, "vector": [1, 0, 0, 0], "payload": {"k": 1}}]""");
        }

        var before = (await node.ScrollAllAsync("batch_refused")).Select(JsonText.Canonical).ToList();
        Assert.NotEmpty((await node.PostAsync("/collections/batch_refused/points/batch?wait=true", body)).Error(expected));
        Assert.Equal(before, (await node.ScrollAllAsync("batch_refused")).Select(JsonText.Canonical).ToList());
    }

    [Fact]
    public async Task Update_vectors_replaces_vectors_and_keeps_payloads()
    {
        await node.CreateCollectionAsync("vectors_kept", distance: "Cosine", extra: """, "shard_number": 2""");
        await node.UpsertAsync("vectors_kept", """[{"id": 1, "vector": [1, 0, 0, 0], "payload": {"keep": "me"}}, {"id": 2, "vector": [0, 1, 0, 0], "payload": {"k": 2}}]""");

        var answer = (await node.PutAsync("/collections/vectors_kept/points/vectors?wait=true", """
            {"points": [{"id": 1, "vector": [0, 0, 3, 4]}, {"id": 2, "vector": {"": [0, 0, 0, 2]}}]}
            """)).Result;
        Assert.Equal("completed", answer.GetProperty("status").GetString());
        var points = await PointsAsync("vectors_kept");
        Assert.Equal([0f, 0f, 0.6f, 0.8f], Vector(points[1])); // Cosine: stored normalised
        Assert.Equal("me", points[1].GetProperty("payload").GetProperty("keep").GetString());
        Assert.Equal([0f, 0f, 0f, 1f], Vector(points[2]));
        Assert.Equal(2, points[2].GetProperty("payload").GetProperty("k").GetInt32());

        // update_filter: only matching points change.
        (await node.PutAsync("/collections/vectors_kept/points/vectors?wait=true", """
            {"points": [{"id": 1, "vector": [1, 0, 0, 0]}, {"id": 2, "vector": [1, 0, 0, 0]}], "update_filter": {"must": [{"key": "k", "match": {"value": 2}}]}}
            """)).Result.GetProperty("status").GetString();
        points = await PointsAsync("vectors_kept");
        Assert.Equal([0f, 0f, 0.6f, 0.8f], Vector(points[1]));
        Assert.Equal([1f, 0f, 0f, 0f], Vector(points[2]));

        var before = (await node.ScrollAllAsync("vectors_kept")).Select(JsonText.Canonical).ToList();
        Assert.Contains("No point with id 3", (await node.PutAsync("/collections/vectors_kept/points/vectors", """{"points": [{"id": 1, "vector": [1, 1, 1, 1]}, {"id": 3, "vector": [1, 0, 0, 0]}]}""")).Error(HttpStatusCode.NotFound));
        Assert.Contains("dimension", (await node.PutAsync("/collections/vectors_kept/points/vectors", """{"points": [{"id": 1, "vector": [1, 1]}]}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("Not existing vector name error: image", (await node.PutAsync("/collections/vectors_kept/points/vectors", """{"points": [{"id": 1, "vector": {"image": [1, 0, 0, 0]}}]}""")).Error(HttpStatusCode.BadRequest));
        Assert.NotEmpty((await node.PutAsync("/collections/vectors_kept/points/vectors", """{"points": []}""")).Error(HttpStatusCode.BadRequest));
        Assert.Equal(before, (await node.ScrollAllAsync("vectors_kept")).Select(JsonText.Canonical).ToList());
    }

    [Fact]
    public async Task Delete_vectors_removes_the_unnamed_vector_and_keeps_the_point()
    {
        await node.CreateCollectionAsync("vectors_single");
        await node.UpsertAsync("vectors_single", """[{"id": 1, "vector": [1, 0, 0, 0]}, {"id": 2, "vector": [0, 1, 0, 0]}]""");
        Assert.Contains("Not existing vector name error: text", (await node.PostAsync("/collections/vectors_single/points/vectors/delete", """{"points": [1], "vector": ["text"]}""")).Error(HttpStatusCode.BadRequest));
        Assert.NotEmpty((await node.PostAsync("/collections/vectors_single/points/vectors/delete", """{"points": [1]}""")).Error(HttpStatusCode.BadRequest));
        Assert.Equal(4, (await node.GetAsync("/collections/vectors_single/points/1")).Result.GetProperty("vector").GetArrayLength());

        Assert.Equal("completed", (await node.PostAsync("/collections/vectors_single/points/vectors/delete?wait=true", """{"points": [1], "vector": [""]}""")).Result.GetProperty("status").GetString());
        Assert.Equal(2, await node.CountAsync("vectors_single"));
        Assert.Equal(JsonValueKind.Object, (await node.GetAsync("/collections/vectors_single/points/1")).Result.GetProperty("vector").ValueKind);
        var hits = (await node.PostAsync("/collections/vectors_single/points/search", """{"vector": [1, 0, 0, 0], "limit": 5}""")).Result;
        Assert.Equal(2, Assert.Single(hits.EnumerateArray()).GetProperty("id").GetInt32());
    }
}

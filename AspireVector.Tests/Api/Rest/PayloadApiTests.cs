using System.Net;
using System.Text.Json;

namespace AspireVector.Tests.Api.Rest;

/// <summary>Set, overwrite, delete and clear payload, by ids and by filter.</summary>
public sealed class PayloadApiTests(RestNode node) : IClassFixture<RestNode>
{
    private async Task<string> SeedAsync(string name)
    {
        await node.CreateCollectionAsync(name, extra: """, "shard_number": 2""");
        await node.UpsertAsync(name, """
            [{"id": 1, "vector": [1, 0, 0, 0], "payload": {"color": "red", "size": 1, "tags": {"a": 1}}},
             {"id": 2, "vector": [0, 1, 0, 0], "payload": {"color": "green", "size": 2}},
             {"id": 3, "vector": [0, 0, 1, 0], "payload": {"color": "red", "size": 3}}]
            """);
        return name;
    }

    private async Task<JsonElement> PayloadAsync(string name, int id) =>
        (await node.GetAsync($"/collections/{name}/points/{id}")).Result.GetProperty("payload");

    private static string Json(JsonElement e) => JsonText.Canonical(e);

    [Fact]
    public async Task Set_payload_merges_by_ids_by_filter_and_under_a_key()
    {
        var c = await SeedAsync("set-payload");
        var byIds = await node.PostAsync($"/collections/{c}/points/payload?wait=true", """{"payload": {"size": 10, "new": true}, "points": [1, 2]}""");
        Assert.Equal("completed", byIds.Result.GetProperty("status").GetString());
        Assert.Equal(JsonText.Canonical("""{"color":"red","size":10,"tags":{"a":1},"new":true}"""), Json(await PayloadAsync(c, 1)));
        Assert.Equal(JsonText.Canonical("""{"color":"green","size":10,"new":true}"""), Json(await PayloadAsync(c, 2)));
        Assert.Equal(JsonText.Canonical("""{"color":"red","size":3}"""), Json(await PayloadAsync(c, 3)));

        await node.PostAsync($"/collections/{c}/points/payload?wait=true", """{"payload": {"hot": 1}, "filter": {"must": [{"key": "color", "match": {"value": "red"}}]}}""");
        Assert.Equal(1, (await PayloadAsync(c, 1)).GetProperty("hot").GetInt32());
        Assert.False((await PayloadAsync(c, 2)).TryGetProperty("hot", out _));
        Assert.Equal(1, (await PayloadAsync(c, 3)).GetProperty("hot").GetInt32());

        await node.PostAsync($"/collections/{c}/points/payload?wait=true", """{"payload": {"b": 2}, "points": [1], "key": "tags"}""");
        Assert.Equal(JsonText.Canonical("""{"a":1,"b":2}"""), Json((await PayloadAsync(c, 1)).GetProperty("tags")));
    }

    [Fact]
    public async Task Overwrite_payload_replaces_the_whole_payload()
    {
        var c = await SeedAsync("overwrite-payload");
        var answer = await node.PutAsync($"/collections/{c}/points/payload?wait=true", """{"payload": {"only": "this"}, "points": [1]}""");
        Assert.Equal("completed", answer.Result.GetProperty("status").GetString());
        Assert.Equal(JsonText.Canonical("""{"only":"this"}"""), Json(await PayloadAsync(c, 1)));

        await node.PutAsync($"/collections/{c}/points/payload?wait=true", """{"payload": {"x": 0}, "filter": {"must": [{"key": "size", "range": {"gte": 2}}]}}""");
        Assert.Equal(JsonText.Canonical("""{"x":0}"""), Json(await PayloadAsync(c, 2)));
        Assert.Equal(JsonText.Canonical("""{"x":0}"""), Json(await PayloadAsync(c, 3)));
        Assert.Equal(JsonText.Canonical("""{"only":"this"}"""), Json(await PayloadAsync(c, 1)));
    }

    [Fact]
    public async Task Delete_payload_keys_and_clear_payload()
    {
        var c = await SeedAsync("delete-payload");
        var deleted = await node.PostAsync($"/collections/{c}/points/payload/delete?wait=true", """{"keys": ["size", "tags.a"], "points": [1]}""");
        Assert.Equal("completed", deleted.Result.GetProperty("status").GetString());
        Assert.Equal(JsonText.Canonical("""{"color":"red","tags":{}}"""), Json(await PayloadAsync(c, 1)));

        await node.PostAsync($"/collections/{c}/points/payload/delete?wait=true", """{"keys": ["color"], "filter": {"must": [{"key": "size", "match": {"value": 3}}]}}""");
        Assert.Equal(JsonText.Canonical("""{"size":3}"""), Json(await PayloadAsync(c, 3)));

        var cleared = await node.PostAsync($"/collections/{c}/points/payload/clear?wait=true", """{"points": [2]}""");
        Assert.Equal("completed", cleared.Result.GetProperty("status").GetString());
        Assert.Empty((await PayloadAsync(c, 2)).EnumerateObject());

        await node.PostAsync($"/collections/{c}/points/payload/clear?wait=true", """{"filter": {"must": [{"key": "size", "match": {"value": 3}}]}}""");
        Assert.Empty((await PayloadAsync(c, 3)).EnumerateObject());
        Assert.Equal("red", (await PayloadAsync(c, 1)).GetProperty("color").GetString());
    }

    [Fact]
    public async Task Payload_operations_on_a_missing_point_are_404_and_change_nothing()
    {
        var c = await SeedAsync("payload-missing");
        string before = Json(await PayloadAsync(c, 1));
        foreach (var (method, path, body) in new[]
        {
            (HttpMethod.Post, "points/payload", """{"payload": {"x": 1}, "points": [1, 77]}"""),
            (HttpMethod.Put, "points/payload", """{"payload": {"x": 1}, "points": [1, 77]}"""),
            (HttpMethod.Post, "points/payload/delete", """{"keys": ["color"], "points": [1, 77]}"""),
            (HttpMethod.Post, "points/payload/clear", """{"points": [1, 77]}"""),
        })
        {
            var answer = await node.SendAsync(method, $"/collections/{c}/{path}?wait=true", body);
            Assert.Equal("Not found: No point with id 77 found", answer.Error(HttpStatusCode.NotFound));
            Assert.Equal(before, Json(await PayloadAsync(c, 1)));
        }
        Assert.False((await node.GetAsync($"/collections/{c}/points/77")).Status == HttpStatusCode.OK);
    }
}

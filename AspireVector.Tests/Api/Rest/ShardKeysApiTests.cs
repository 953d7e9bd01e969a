using System.Net;
using System.Text.Json;

namespace AspireVector.Tests.Api.Rest;

/// <summary>
/// User-defined sharding on one node: a <c>sharding_method: custom</c> collection gets shards per shard key, writes name
/// their key, reads cover one key, several, or all of them; refused requests change nothing.
/// </summary>
public sealed class ShardKeysApiTests(RestNode node) : IClassFixture<RestNode>
{
    private async Task CreateCustomAsync(string name, int shardNumber = 2)
    {
        var answer = await node.PutAsync($"/collections/{name}",
            $$"""{"vectors": {"size": 2, "distance": "Dot"}, "shard_number": {{shardNumber}}, "sharding_method": "custom"}""");
        Assert.True(answer.Result.GetBoolean(), answer.Raw);
    }

    private async Task UpsertAsync(string name, string key, int from, int count)
    {
        var points = string.Join(",", Enumerable.Range(from, count).Select(i => $$$"""{"id": {{{i}}}, "vector": [1, {{{i}}}], "payload": {"k": {{{key}}}} }"""));
        var answer = await node.PutAsync($"/collections/{name}/points?wait=true", $$"""{"points": [{{points}}], "shard_key": {{key}}}""");
        Assert.Equal("completed", answer.Result.GetProperty("status").GetString());
    }

    private static List<long> Ids(JsonElement points) => [.. points.EnumerateArray().Select(p => p.GetProperty("id").GetInt64()).Order()];

    [Fact]
    public async Task Keys_are_created_listed_and_dropped_and_the_config_shows_the_method()
    {
        await CreateCustomAsync("sk_life");
        var info = (await node.GetAsync("/collections/sk_life")).Result;
        Assert.Equal("custom", info.GetProperty("config").GetProperty("params").GetProperty("sharding_method").GetString());
        Assert.Equal("""{"shard_keys":[]}""", JsonText.Canonical((await node.GetAsync("/collections/sk_life/shards")).Result));

        Assert.True((await node.PutAsync("/collections/sk_life/shards", """{"shard_key": "eu"}""")).Result.GetBoolean());
        Assert.True((await node.PutAsync("/collections/sk_life/shards", """{"shard_key": 7, "shards_number": 3}""")).Result.GetBoolean());
        Assert.Equal("""{"shard_keys":[{"key":"eu"},{"key":7}]}""", JsonText.Canonical((await node.GetAsync("/collections/sk_life/shards")).Result));

        var cluster = (await node.GetAsync("/collections/sk_life/cluster")).Result;
        Assert.Equal(5, cluster.GetProperty("shard_count").GetInt32());
        var local = cluster.GetProperty("local_shards").EnumerateArray().ToList();
        Assert.Equal(2, local.Count(s => s.GetProperty("shard_key").ValueKind == JsonValueKind.String && s.GetProperty("shard_key").GetString() == "eu"));
        Assert.Equal(3, local.Count(s => s.GetProperty("shard_key").ValueKind == JsonValueKind.Number && s.GetProperty("shard_key").GetInt64() == 7));

        await UpsertAsync("sk_life", "\"eu\"", 1, 10);
        await UpsertAsync("sk_life", "7", 100, 5);
        Assert.Equal(15, await node.CountAsync("sk_life"));

        Assert.True((await node.PostAsync("/collections/sk_life/shards/delete", """{"shard_key": "eu"}""")).Result.GetBoolean());
        Assert.Equal("""{"shard_keys":[{"key":7}]}""", JsonText.Canonical((await node.GetAsync("/collections/sk_life/shards")).Result));
        Assert.Equal(5, await node.CountAsync("sk_life"));
        Assert.Equal(3, (await node.GetAsync("/collections/sk_life/cluster")).Result.GetProperty("local_shards").GetArrayLength());
        Assert.Equal(5, (await node.GetAsync("/collections/sk_life")).Result.GetProperty("points_count").GetInt64());

        // A key created again after a drop starts empty.
        Assert.True((await node.PutAsync("/collections/sk_life/shards", """{"shard_key": "eu"}""")).Result.GetBoolean());
        Assert.Equal(0, await node.CountAsync("sk_life", """{"exact": true, "shard_key": "eu"}"""));
    }

    [Fact]
    public async Task Writes_and_reads_are_routed_by_shard_key()
    {
        await CreateCustomAsync("sk_route", shardNumber: 3);
        await node.PutAsync("/collections/sk_route/shards", """{"shard_key": "a"}""");
        Assert.Equal(200, (int)(await node.PutAsync("/collections/sk_route/index?wait=true", """{"field_name": "k", "field_schema": "keyword"}""")).Status);
        await node.PutAsync("/collections/sk_route/shards", """{"shard_key": "b", "shards_number": 1}""");
        await UpsertAsync("sk_route", "\"a\"", 1, 30);
        await UpsertAsync("sk_route", "\"b\"", 101, 7);

        // The key's points are spread over its shards by id.
        var local = (await node.GetAsync("/collections/sk_route/cluster")).Result.GetProperty("local_shards").EnumerateArray()
            .Where(s => s.GetProperty("shard_key").GetString() == "a").Select(s => s.GetProperty("points_count").GetInt64()).ToList();
        Assert.Equal(3, local.Count);
        Assert.Equal(30, local.Sum());
        Assert.All(local, n => Assert.True(n > 0));

        Assert.Equal(30, await node.CountAsync("sk_route", """{"exact": true, "shard_key": "a"}"""));
        Assert.Equal(7, await node.CountAsync("sk_route", """{"exact": true, "shard_key": "b"}"""));
        Assert.Equal(37, await node.CountAsync("sk_route", """{"exact": true, "shard_key": ["a", "b"]}"""));
        Assert.Equal(37, await node.CountAsync("sk_route"));

        var scrolled = (await node.PostAsync("/collections/sk_route/points/scroll", """{"limit": 100, "shard_key": "b"}""")).Result;
        Assert.Equal(Enumerable.Range(101, 7).Select(i => (long)i), Ids(scrolled.GetProperty("points")));
        Assert.All(scrolled.GetProperty("points").EnumerateArray(), p => Assert.Equal("b", p.GetProperty("shard_key").GetString()));

        var search = (await node.PostAsync("/collections/sk_route/points/search", """{"vector": [0, 1], "limit": 5, "shard_key": "b"}""")).Result;
        Assert.Equal([103L, 104, 105, 106, 107], Ids(search));
        Assert.All(search.EnumerateArray(), p => Assert.Equal("b", p.GetProperty("shard_key").GetString()));
        var query = (await node.PostAsync("/collections/sk_route/points/query", """{"query": [0, 1], "limit": 3, "shard_key": "a"}""")).Result;
        Assert.Equal([28L, 29, 30], Ids(query.GetProperty("points")));
        var everywhere = (await node.PostAsync("/collections/sk_route/points/query", """{"query": [0, 1], "limit": 2}""")).Result;
        Assert.Equal([106L, 107], Ids(everywhere.GetProperty("points")));

        var batch = (await node.PostAsync("/collections/sk_route/points/search/batch",
            """{"searches": [{"vector": [0, 1], "limit": 1, "shard_key": "a"}, {"vector": [0, 1], "limit": 1, "shard_key": "b"}]}""")).Result;
        Assert.Equal(30, batch[0][0].GetProperty("id").GetInt64());
        Assert.Equal(107, batch[1][0].GetProperty("id").GetInt64());

        var retrieved = (await node.PostAsync("/collections/sk_route/points", """{"ids": [1, 101], "shard_key": "b"}""")).Result;
        Assert.Equal([101L], Ids(retrieved));
        Assert.Equal([1L, 101], Ids((await node.PostAsync("/collections/sk_route/points", """{"ids": [1, 101]}""")).Result));

        var facet = (await node.PostAsync("/collections/sk_route/facet", """{"key": "k", "shard_key": "b"}""")).Result;
        Assert.Single(facet.GetProperty("hits").EnumerateArray());

        // Deletes and payload changes touch the named key only.
        Assert.Equal("completed", (await node.PostAsync("/collections/sk_route/points/delete?wait=true", """{"filter": {}, "shard_key": "b"}""")).Result.GetProperty("status").GetString());
        Assert.Equal(0, await node.CountAsync("sk_route", """{"exact": true, "shard_key": "b"}"""));
        Assert.Equal(30, await node.CountAsync("sk_route"));
        Assert.Equal("completed", (await node.PostAsync("/collections/sk_route/points/payload?wait=true", """{"payload": {"x": 1}, "points": [5], "shard_key": "a"}""")).Result.GetProperty("status").GetString());
        Assert.Equal(1, (await node.GetAsync("/collections/sk_route/points/5")).Result.GetProperty("payload").GetProperty("x").GetInt32());

        // Fallback: a missing target reads the fallback key.
        var fallback = (await node.PostAsync("/collections/sk_route/points/count", """{"exact": true, "shard_key": {"target": "zz", "fallback": "a"}}""")).Result;
        Assert.Equal(30, fallback.GetProperty("count").GetInt64());

        // points/batch: each operation carries its own key.
        var ops = (await node.PostAsync("/collections/sk_route/points/batch?wait=true",
            """{"operations": [{"upsert": {"points": [{"id": 500, "vector": [1, 1]}], "shard_key": "b"}}, {"delete": {"points": [1, 2], "shard_key": "a"}}]}""")).Result;
        Assert.Equal(2, ops.GetArrayLength());
        Assert.Equal(1, await node.CountAsync("sk_route", """{"exact": true, "shard_key": "b"}"""));
        Assert.Equal(28, await node.CountAsync("sk_route", """{"exact": true, "shard_key": "a"}"""));
    }

    [Fact]
    public async Task Refused_requests_answer_as_Qdrant_and_change_nothing()
    {
        await CreateCustomAsync("sk_bad");
        await node.PutAsync("/collections/sk_bad/shards", """{"shard_key": "a"}""");
        await UpsertAsync("sk_bad", "\"a\"", 1, 4);

        Assert.Equal("Bad request: Sharding key \"a\" already exists for collection sk_bad",
            (await node.PutAsync("/collections/sk_bad/shards", """{"shard_key": "a"}""")).Error(HttpStatusCode.BadRequest));
        Assert.Equal("Bad request: Sharding key \"nope\" does not exist for collection sk_bad",
            (await node.PostAsync("/collections/sk_bad/shards/delete", """{"shard_key": "nope"}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("placement contains unknown peers: [12345]",
            (await node.PutAsync("/collections/sk_bad/shards", """{"shard_key": "p", "placement": [12345]}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("missing field `shard_key`", (await node.PutAsync("/collections/sk_bad/shards", """{}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("shard_key", (await node.PutAsync("/collections/sk_bad/shards", """{"shard_key": -1}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("shards_number", (await node.PutAsync("/collections/sk_bad/shards", """{"shard_key": "z", "shards_number": 0}""")).Error(HttpStatusCode.BadRequest));
        Assert.Equal(404, (int)(await node.PutAsync("/collections/sk_missing/shards", """{"shard_key": "a"}""")).Status);

        Assert.Equal("Wrong input: Shard key not specified",
            (await node.PutAsync("/collections/sk_bad/points?wait=true", """{"points": [{"id": 9, "vector": [1, 1]}]}""")).Error(HttpStatusCode.BadRequest));
        Assert.Equal("Wrong input: Shard key \"b\" not found",
            (await node.PutAsync("/collections/sk_bad/points?wait=true", """{"points": [{"id": 9, "vector": [1, 1]}], "shard_key": "b"}""")).Error(HttpStatusCode.BadRequest));
        Assert.Equal("Wrong input: Shard key not specified",
            (await node.PostAsync("/collections/sk_bad/points/delete?wait=true", """{"points": [1]}""")).Error(HttpStatusCode.BadRequest));
        Assert.Equal("Bad request: Shard key \"b\" not found",
            (await node.PostAsync("/collections/sk_bad/points/count", """{"shard_key": "b"}""")).Error(HttpStatusCode.BadRequest));
        Assert.Equal("""{"shard_keys":[{"key":"a"}]}""", JsonText.Canonical((await node.GetAsync("/collections/sk_bad/shards")).Result));
        Assert.Equal(4, await node.CountAsync("sk_bad"));

        // An auto-sharded collection has no keys.
        await node.CreateCollectionAsync("sk_auto", size: 2);
        Assert.Equal("Bad request: Shard Key \"a\" cannot be created with Auto sharding method",
            (await node.PutAsync("/collections/sk_auto/shards", """{"shard_key": "a"}""")).Error(HttpStatusCode.BadRequest));
        Assert.Equal("Bad request: Shard Key \"a\" cannot be removed with Auto sharding method",
            (await node.PostAsync("/collections/sk_auto/shards/delete", """{"shard_key": "a"}""")).Error(HttpStatusCode.BadRequest));
        Assert.Equal("""{"shard_keys":null}""", JsonText.Canonical((await node.GetAsync("/collections/sk_auto/shards")).Result));
        Assert.Equal("Wrong input: Shard key \"a\" not found",
            (await node.PutAsync("/collections/sk_auto/points?wait=true", """{"points": [{"id": 1, "vector": [1, 1]}], "shard_key": "a"}""")).Error(HttpStatusCode.BadRequest));
        Assert.Equal(0, await node.CountAsync("sk_auto"));
        Assert.Contains("sharding_method", (await node.PutAsync("/collections/sk_bad_method", """{"vectors": {"size": 2, "distance": "Dot"}, "sharding_method": "manual"}""")).Error(HttpStatusCode.BadRequest));
        Assert.Equal(404, (int)(await node.GetAsync("/collections/sk_bad_method")).Status);
    }

    [Fact]
    public async Task A_create_body_cannot_smuggle_in_a_shard_key_mapping()
    {
        var answer = await node.PutAsync("/collections/sk_smuggle",
            """{"vectors": {"size": 2, "distance": "Dot"}, "sharding_method": "custom", "shard_key_mapping": [{"key": "x", "shards": [0]}]}""");
        Assert.True(answer.Result.GetBoolean());
        Assert.Equal("""{"shard_keys":[]}""", JsonText.Canonical((await node.GetAsync("/collections/sk_smuggle/shards")).Result));
    }
}

using System.Net;
using System.Text.Json;
using AspireVector.Tests.Telemetry;

namespace AspireVector.Tests.Api.Rest;

/// <summary>Upsert (list and batch forms), retrieve, delete, and point ids as Qdrant returns them.</summary>
public sealed class PointsApiTests(RestNode node) : IClassFixture<RestNode>
{
    [Fact]
    public async Task Upsert_list_form_with_wait_true_completes_and_is_readable()
    {
        await node.CreateCollectionAsync("list-form", distance: "Dot");
        var answer = await node.PutAsync("/collections/list-form/points?wait=true", """
            {"points": [{"id": 1, "vector": [1, 2, 3, 4], "payload": {"color": "red"}},
                        {"id": 2, "vector": [4, 3, 2, 1], "payload": null},
                        {"id": 3, "vector": {"": [0, 0, 1, 0]}}]}
            """);
        var result = answer.Result;
        Assert.Equal("completed", result.GetProperty("status").GetString());
        Assert.Equal(0, result.GetProperty("operation_id").GetInt64());

        var points = (await node.PostAsync("/collections/list-form/points", """{"ids": [3, 1, 2, 99], "with_vector": true}""")).Result;
        Assert.Equal([3, 1, 2], points.EnumerateArray().Select(p => p.GetProperty("id").GetInt32()));
        var first = points[1];
        Assert.Equal("red", first.GetProperty("payload").GetProperty("color").GetString());
        Assert.Equal([1f, 2f, 3f, 4f], first.GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()));
        Assert.False(first.TryGetProperty("score", out _));
        Assert.Empty(points[2].GetProperty("payload").EnumerateObject());
    }

    [Fact]
    public async Task Upsert_batch_form_with_wait_false_is_acknowledged_then_visible()
    {
        await node.CreateCollectionAsync("batch-form", size: 3, distance: "Euclid");
        var answer = await node.PutAsync("/collections/batch-form/points?wait=false&ordering=strong", """
            {"batch": {"ids": [1, 2, 3], "payloads": [{"color": "red"}, {"color": "green"}, {"color": "blue"}],
                       "vectors": [[0.9, 0.1, 0.1], [0.1, 0.9, 0.1], [0.1, 0.1, 0.9]]}}
            """);
        Assert.Equal("acknowledged", answer.Result.GetProperty("status").GetString());
        Assert.True(await Poll.UntilAsync(async () => await node.CountAsync("batch-form") == 3, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20)));

        var green = (await node.GetAsync("/collections/batch-form/points/2")).Result;
        Assert.Equal(2, green.GetProperty("id").GetInt32());
        Assert.Equal("green", green.GetProperty("payload").GetProperty("color").GetString());
        Assert.Equal([0.1f, 0.9f, 0.1f], green.GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()));

        // Batch without payloads; a second upsert of an id replaces vector and payload.
        await node.PutAsync("/collections/batch-form/points?wait=true", """{"batch": {"ids": [2, 4], "vectors": [[1, 1, 1], [2, 2, 2]]}}""");
        var replaced = (await node.GetAsync("/collections/batch-form/points/2")).Result;
        Assert.Empty(replaced.GetProperty("payload").EnumerateObject());
        Assert.Equal([1f, 1f, 1f], replaced.GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()));
        Assert.Equal(4, await node.CountAsync("batch-form"));
    }

    [Fact]
    public async Task Retrieve_honours_with_payload_and_with_vector_defaults()
    {
        await node.CreateCollectionAsync("retrieve");
        await node.UpsertAsync("retrieve", """[{"id": 7, "vector": [1, 0, 0, 0], "payload": {"a": 1, "b": {"c": 2}}}]""");

        var defaults = (await node.PostAsync("/collections/retrieve/points", """{"ids": [7]}""")).Result[0];
        Assert.Equal(1, defaults.GetProperty("payload").GetProperty("a").GetInt32());
        Assert.False(defaults.TryGetProperty("vector", out var v) && v.ValueKind != JsonValueKind.Null);

        var none = (await node.PostAsync("/collections/retrieve/points", """{"ids": [7], "with_payload": false}""")).Result[0];
        Assert.False(none.TryGetProperty("payload", out var pl) && pl.ValueKind != JsonValueKind.Null);

        var only = (await node.PostAsync("/collections/retrieve/points", """{"ids": [7], "with_payload": ["b"]}""")).Result[0];
        Assert.Equal(["b"], only.GetProperty("payload").EnumerateObject().Select(p => p.Name));

        var missing = await node.GetAsync("/collections/retrieve/points/8");
        Assert.Equal("Not found: No point with id 8 found", missing.Error(HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task Delete_by_ids_and_by_filter()
    {
        await node.CreateCollectionAsync("deleting", extra: """, "shard_number": 3""");
        await node.UpsertAsync("deleting", """
            [{"id": 1, "vector": [1, 0, 0, 0], "payload": {"kind": "keep"}}, {"id": 2, "vector": [0, 1, 0, 0], "payload": {"kind": "drop"}},
             {"id": 3, "vector": [0, 0, 1, 0], "payload": {"kind": "drop"}}, {"id": 4, "vector": [0, 0, 0, 1], "payload": {"kind": "keep"}},
             {"id": 5, "vector": [1, 1, 0, 0]}]
            """);

        var byIds = await node.PostAsync("/collections/deleting/points/delete?wait=true", """{"points": [5, 42]}""");
        Assert.Equal("completed", byIds.Result.GetProperty("status").GetString());
        Assert.Equal(4, await node.CountAsync("deleting"));

        var byFilter = await node.PostAsync("/collections/deleting/points/delete?wait=true", """{"filter": {"must": [{"key": "kind", "match": {"value": "drop"}}]}}""");
        Assert.Equal("completed", byFilter.Result.GetProperty("status").GetString());
        var left = await node.ScrollAllAsync("deleting");
        Assert.Equal([1, 4], left.Select(p => p.GetProperty("id").GetInt32()));
        Assert.Empty((await node.PostAsync("/collections/deleting/points", """{"ids": [2, 3, 5]}""")).Result.EnumerateArray());
    }

    [Fact]
    public async Task U64_and_uuid_ids_come_back_as_qdrant_writes_them()
    {
        await node.CreateCollectionAsync("ids", size: 2, distance: "Dot");
        await node.UpsertAsync("ids", """
            [{"id": 18446744073709551615, "vector": [1, 0]},
             {"id": "550E8400-E29B-41D4-A716-446655440000", "vector": [0, 1]},
             {"id": "6ba7b8109dad11d180b400c04fd430c8", "vector": [1, 1]},
             {"id": 0, "vector": [0.5, 0.5]}]
            """);

        var ids = (await node.ScrollAllAsync("ids")).Select(p => p.GetProperty("id").GetRawText()).ToList();
        // Numbers first in ascending order, then UUIDs, lower-case and hyphenated.
        Assert.Equal(["0", "18446744073709551615", "\"550e8400-e29b-41d4-a716-446655440000\"", "\"6ba7b810-9dad-11d1-80b4-00c04fd430c8\""], ids);

        var byUuid = (await node.GetAsync("/collections/ids/points/550e8400-e29b-41d4-a716-446655440000")).Result;
        Assert.Equal("550e8400-e29b-41d4-a716-446655440000", byUuid.GetProperty("id").GetString());
        var big = (await node.GetAsync("/collections/ids/points/18446744073709551615")).Result;
        Assert.Equal(ulong.MaxValue, big.GetProperty("id").GetUInt64());

        var hit = (await node.PostAsync("/collections/ids/points/search", """{"vector": [1, 0], "limit": 1}""")).Result[0];
        Assert.Equal("18446744073709551615", hit.GetProperty("id").GetRawText());
        var retrieved = (await node.PostAsync("/collections/ids/points", """{"ids": ["6ba7b810-9dad-11d1-80b4-00c04fd430c8", 18446744073709551615]}""")).Result;
        Assert.Equal(2, retrieved.GetArrayLength());
    }
}

using System.Net;
using System.Text.Json;

namespace AspireVector.Tests.Api.Rest;

/// <summary>Collection endpoints: list, info, create, update, delete, exists, payload indexes.</summary>
public sealed class CollectionsApiTests(RestNode node) : IClassFixture<RestNode>
{
    [Fact]
    public async Task Create_list_get_exists_and_delete_round_trip()
    {
        var created = await node.PutAsync("/collections/lifecycle", """
            {"vectors": {"size": 4, "distance": "Dot", "on_disk": true}, "shard_number": 2, "replication_factor": 2,
             "write_consistency_factor": 1, "on_disk_payload": false, "hnsw_config": {"m": 8}, "optimizers_config": {"indexing_threshold": 0}}
            """);
        Assert.True(created.Result.GetBoolean());

        var names = (await node.GetAsync("/collections")).Result.GetProperty("collections").EnumerateArray()
            .Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.Contains("lifecycle", names);
        Assert.True((await node.GetAsync("/collections/lifecycle/exists")).Result.GetProperty("exists").GetBoolean());
        Assert.False((await node.GetAsync("/collections/never-made/exists")).Result.GetProperty("exists").GetBoolean());

        var info = (await node.GetAsync("/collections/lifecycle")).Result;
        foreach (var required in new[] { "status", "optimizer_status", "segments_count", "config", "payload_schema" })
            Assert.True(info.TryGetProperty(required, out _), $"CollectionInfo lacks `{required}`");
        Assert.Equal("green", info.GetProperty("status").GetString());
        Assert.Equal(0, info.GetProperty("points_count").GetInt64());
        var config = info.GetProperty("config");
        var p = config.GetProperty("params");
        Assert.Equal(4, p.GetProperty("vectors").GetProperty("size").GetInt32());
        Assert.Equal("Dot", p.GetProperty("vectors").GetProperty("distance").GetString());
        Assert.True(p.GetProperty("vectors").GetProperty("on_disk").GetBoolean());
        Assert.Equal(2, p.GetProperty("shard_number").GetInt32());
        Assert.Equal(2, p.GetProperty("replication_factor").GetInt32());
        Assert.Equal(1, p.GetProperty("write_consistency_factor").GetInt32());
        Assert.False(p.GetProperty("on_disk_payload").GetBoolean());
        Assert.Equal(8, config.GetProperty("hnsw_config").GetProperty("m").GetInt32());
        Assert.Equal(100, config.GetProperty("hnsw_config").GetProperty("ef_construct").GetInt32());
        Assert.Equal(0, config.GetProperty("optimizer_config").GetProperty("indexing_threshold").GetInt32());
        Assert.Equal(32, config.GetProperty("wal_config").GetProperty("wal_capacity_mb").GetInt32());
        Assert.Equal(JsonValueKind.Null, config.GetProperty("quantization_config").ValueKind);

        Assert.True((await node.DeleteAsync("/collections/lifecycle")).Result.GetBoolean());
        Assert.False((await node.GetAsync("/collections/lifecycle/exists")).Result.GetProperty("exists").GetBoolean());
        Assert.Equal("Not found: Collection `lifecycle` doesn't exist!", (await node.GetAsync("/collections/lifecycle")).Error(HttpStatusCode.NotFound));
        // Deleting a missing collection is not an error in Qdrant: it answers false.
        Assert.False((await node.DeleteAsync("/collections/lifecycle")).Result.GetBoolean());

        // The name is free again, and nothing of the old collection comes back.
        await node.CreateCollectionAsync("lifecycle", size: 2);
        Assert.Equal(0, await node.CountAsync("lifecycle"));
        Assert.Equal(2, (await node.GetAsync("/collections/lifecycle")).Result.GetProperty("config").GetProperty("params").GetProperty("vectors").GetProperty("size").GetInt32());
    }

    [Fact]
    public async Task Patch_updates_params_and_sections_and_keeps_points()
    {
        await node.CreateCollectionAsync("patched");
        await node.UpsertAsync("patched", """[{"id": 1, "vector": [1, 0, 0, 0]}]""");

        var patched = await node.PatchAsync("/collections/patched", """
            {"params": {"replication_factor": 3, "on_disk_payload": false}, "hnsw_config": {"ef_construct": 64},
             "optimizers_config": {"flush_interval_sec": 7}, "quantization_config": {"scalar": {"type": "int8", "always_ram": true}}}
            """);
        Assert.True(patched.Result.GetBoolean());

        var config = (await node.GetAsync("/collections/patched")).Result.GetProperty("config");
        Assert.Equal(3, config.GetProperty("params").GetProperty("replication_factor").GetInt32());
        Assert.False(config.GetProperty("params").GetProperty("on_disk_payload").GetBoolean());
        Assert.Equal(64, config.GetProperty("hnsw_config").GetProperty("ef_construct").GetInt32());
        Assert.Equal(16, config.GetProperty("hnsw_config").GetProperty("m").GetInt32());
        Assert.Equal(7, config.GetProperty("optimizer_config").GetProperty("flush_interval_sec").GetInt32());
        Assert.Equal("int8", config.GetProperty("quantization_config").GetProperty("scalar").GetProperty("type").GetString());
        Assert.Equal(1, await node.CountAsync("patched"));

        Assert.Contains("hnsw_config", (await node.PatchAsync("/collections/patched", """{"hnsw_config": {"m": "many"}}""")).Error(HttpStatusCode.BadRequest));
        Assert.Equal(64, (await node.GetAsync("/collections/patched")).Result.GetProperty("config").GetProperty("hnsw_config").GetProperty("ef_construct").GetInt32());
        Assert.Contains("doesn't exist", (await node.PatchAsync("/collections/not-there", "{}")).Error(HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task Payload_index_is_created_reported_with_point_counts_and_deleted()
    {
        await node.CreateCollectionAsync("indexed");
        await node.UpsertAsync("indexed", """
            [{"id": 1, "vector": [1, 0, 0, 0], "payload": {"city": "Berlin", "n": 1}},
             {"id": 2, "vector": [0, 1, 0, 0], "payload": {"city": "London"}},
             {"id": 3, "vector": [0, 0, 1, 0]}]
            """);

        var keyword = await node.PutAsync("/collections/indexed/index?wait=true", """{"field_name": "city", "field_schema": "keyword"}""");
        Assert.Equal("completed", keyword.Result.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Number, keyword.Result.GetProperty("operation_id").ValueKind);
        var integer = await node.PutAsync("/collections/indexed/index", """{"field_name": "n", "field_schema": {"type": "integer", "lookup": true, "range": false}}""");
        Assert.Equal("acknowledged", integer.Result.GetProperty("status").GetString());

        var schema = (await node.GetAsync("/collections/indexed")).Result.GetProperty("payload_schema");
        Assert.Equal("keyword", schema.GetProperty("city").GetProperty("data_type").GetString());
        Assert.Equal(2, schema.GetProperty("city").GetProperty("points").GetInt64());
        Assert.Equal("integer", schema.GetProperty("n").GetProperty("data_type").GetString());
        Assert.True(schema.GetProperty("n").GetProperty("params").GetProperty("lookup").GetBoolean());
        Assert.Equal(1, schema.GetProperty("n").GetProperty("points").GetInt64());

        var dropped = await node.DeleteAsync("/collections/indexed/index/city?wait=true");
        Assert.Equal("completed", dropped.Result.GetProperty("status").GetString());
        schema = (await node.GetAsync("/collections/indexed")).Result.GetProperty("payload_schema");
        Assert.False(schema.TryGetProperty("city", out _));
        Assert.True(schema.TryGetProperty("n", out _));

        Assert.Contains("unknown variant `colour`", (await node.PutAsync("/collections/indexed/index", """{"field_name": "c", "field_schema": "colour"}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("field_name", (await node.PutAsync("/collections/indexed/index", """{"field_schema": "keyword"}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("doesn't exist", (await node.PutAsync("/collections/nope/index", """{"field_name": "c", "field_schema": "keyword"}""")).Error(HttpStatusCode.NotFound));
        Assert.Contains("doesn't exist", (await node.DeleteAsync("/collections/nope/index/c")).Error(HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task Aliases_are_empty_lists()
    {
        await node.CreateCollectionAsync("aliased");
        Assert.Equal(JsonValueKind.Array, (await node.GetAsync("/aliases")).Result.GetProperty("aliases").ValueKind);
        Assert.Empty((await node.GetAsync("/collections/aliased/aliases")).Result.GetProperty("aliases").EnumerateArray());
    }
}

using System.Net;

namespace AspireVector.Tests.Api.Rest;

/// <summary><c>strict_mode_config</c>: stored, shown, patched, and enforced (Qdrant's checks and wording) when enabled.</summary>
public sealed class StrictModeApiTests(RestNode node) : IClassFixture<RestNode>
{
    private const string Points = """[{"id": 1, "vector": [1, 0, 0, 0], "payload": {"city": "Berlin", "n": 1}}, {"id": 2, "vector": [0, 1, 0, 0], "payload": {"city": "Paris", "n": 2}}]""";

    private async Task CollectionAsync(string name)
    {
        await node.CreateCollectionAsync(name);
        await node.UpsertAsync(name, Points);
    }

    private async Task StrictAsync(string name, string config) =>
        Assert.True((await node.PatchAsync($"/collections/{name}", $$"""{"strict_mode_config": {{config}}}""")).Result.GetBoolean());

    [Fact]
    public async Task The_config_is_stored_shown_and_patched_key_by_key()
    {
        await node.CreateCollectionAsync("sm_config", extra: """, "strict_mode_config": {"enabled": true, "max_query_limit": 10}""");
        var shown = (await node.GetAsync("/collections/sm_config")).Result.GetProperty("config").GetProperty("strict_mode_config");
        Assert.True(shown.GetProperty("enabled").GetBoolean());
        Assert.Equal(10, shown.GetProperty("max_query_limit").GetInt32());

        await StrictAsync("sm_config", """{"search_max_oversampling": 1.5, "unindexed_filtering_retrieve": false}""");
        shown = (await node.GetAsync("/collections/sm_config")).Result.GetProperty("config").GetProperty("strict_mode_config");
        Assert.Equal(10, shown.GetProperty("max_query_limit").GetInt32());
        Assert.Equal(1.5, shown.GetProperty("search_max_oversampling").GetDouble());
        Assert.False(shown.GetProperty("unindexed_filtering_retrieve").GetBoolean());

        // A bad value is refused and changes nothing.
        Assert.Contains("max_query_limit", (await node.PatchAsync("/collections/sm_config", """{"strict_mode_config": {"max_query_limit": 0}}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("expected a boolean", (await node.PatchAsync("/collections/sm_config", """{"strict_mode_config": {"enabled": 1}}""")).Error(HttpStatusCode.BadRequest));
        var after = (await node.GetAsync("/collections/sm_config")).Result.GetProperty("config").GetProperty("strict_mode_config");
        Assert.Equal(JsonText.Canonical(shown), JsonText.Canonical(after));

        await node.CreateCollectionAsync("sm_none");
        Assert.False((await node.GetAsync("/collections/sm_none")).Result.GetProperty("config").TryGetProperty("strict_mode_config", out _));
    }

    [Fact]
    public async Task Limits_are_enforced_only_while_enabled()
    {
        await CollectionAsync("sm_limits");
        const string search = """{"vector": [1, 0, 0, 0], "limit": 4}""";
        await StrictAsync("sm_limits", """{"enabled": false, "max_query_limit": 3}""");
        (await node.PostAsync("/collections/sm_limits/points/search", search)).Result.GetArrayLength();

        await StrictAsync("sm_limits", """{"enabled": true}""");
        Assert.Equal("Bad request: Limit exceeded 4 > 3 for \"limit\". Help: Reduce the \"limit\" parameter to or below 3.",
            (await node.PostAsync("/collections/sm_limits/points/search", search)).Error(HttpStatusCode.BadRequest));
        Assert.Contains("\"limit\"", (await node.PostAsync("/collections/sm_limits/points/scroll", """{"limit": 5}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("\"limit\"", (await node.PostAsync("/collections/sm_limits/points/query", """{"query": [1, 0, 0, 0], "limit": 5}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("\"limit\"", (await node.PostAsync("/collections/sm_limits/points/recommend", """{"positive": [1], "limit": 5}""")).Error(HttpStatusCode.BadRequest));
        Assert.Equal(2, (await node.PostAsync("/collections/sm_limits/points/search", """{"vector": [1, 0, 0, 0], "limit": 3}""")).Result.GetArrayLength());

        await StrictAsync("sm_limits", """{"max_timeout": 2, "search_max_batchsize": 1}""");
        Assert.Contains("\"timeout\"", (await node.PostAsync("/collections/sm_limits/points/search?timeout=3", """{"vector": [1, 0, 0, 0], "limit": 3}""")).Error(HttpStatusCode.BadRequest));
        (await node.PostAsync("/collections/sm_limits/points/search?timeout=2", """{"vector": [1, 0, 0, 0], "limit": 3}""")).Result.GetArrayLength();
        Assert.Equal("Bad request: Limit exceeded 2 > 1 for \"search batch size\". Help: Reduce the \"search batch size\" parameter to or below 1.",
            (await node.PostAsync("/collections/sm_limits/points/search/batch", """{"searches": [{"vector": [1, 0, 0, 0], "limit": 1}, {"vector": [0, 1, 0, 0], "limit": 1}]}""")).Error(HttpStatusCode.BadRequest));

        await StrictAsync("sm_limits", """{"enabled": false}""");
        Assert.Equal(2, (await node.PostAsync("/collections/sm_limits/points/search", search)).Result.GetArrayLength());
    }

    [Fact]
    public async Task Search_params_are_checked()
    {
        await CollectionAsync("sm_params");
        await StrictAsync("sm_params", """{"enabled": true, "search_max_hnsw_ef": 4, "search_allow_exact": false, "search_max_oversampling": 1.5}""");
        Assert.Equal("Bad request: Limit exceeded 5 > 4 for \"hnsw_ef\". Help: Reduce the \"hnsw_ef\" parameter to or below 4.",
            (await node.PostAsync("/collections/sm_params/points/search", """{"vector": [1, 0, 0, 0], "limit": 1, "params": {"hnsw_ef": 5}}""")).Error(HttpStatusCode.BadRequest));
        Assert.Equal("Bad request: Exact search disabled!. Help: Set exact=false.",
            (await node.PostAsync("/collections/sm_params/points/search", """{"vector": [1, 0, 0, 0], "limit": 1, "params": {"exact": true}}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("\"oversampling\"",
            (await node.PostAsync("/collections/sm_params/points/search", """{"vector": [1, 0, 0, 0], "limit": 1, "params": {"quantization": {"oversampling": 2.0}}}""")).Error(HttpStatusCode.BadRequest));
        (await node.PostAsync("/collections/sm_params/points/search", """{"vector": [1, 0, 0, 0], "limit": 1, "params": {"hnsw_ef": 4, "exact": false}}""")).Result.GetArrayLength();
    }

    [Fact]
    public async Task Unindexed_filters_are_refused_until_the_key_is_indexed()
    {
        await CollectionAsync("sm_filters");
        const string read = """{"vector": [1, 0, 0, 0], "limit": 3, "filter": {"must": [{"key": "city", "match": {"value": "Berlin"}}]}}""";
        const string delete = """{"filter": {"must": [{"key": "city", "match": {"value": "Nowhere"}}]}}""";
        await StrictAsync("sm_filters", """{"enabled": true, "unindexed_filtering_retrieve": false, "unindexed_filtering_update": false}""");
        Assert.Equal("Bad request: Index required but not found for \"city\" of one of the following types: [keyword, uuid]. Help: Create an index for this key or use a different filter.",
            (await node.PostAsync("/collections/sm_filters/points/search", read)).Error(HttpStatusCode.BadRequest));
        Assert.Contains("\"city\"", (await node.PostAsync("/collections/sm_filters/points/count", """{"filter": {"must": [{"key": "city", "match": {"value": "Berlin"}}]}}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("[float, integer]", (await node.PostAsync("/collections/sm_filters/points/scroll", """{"filter": {"must": [{"key": "n", "range": {"gte": 1}}]}}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("\"city\"", (await node.PostAsync("/collections/sm_filters/points/delete?wait=true", delete)).Error(HttpStatusCode.BadRequest));
        Assert.Equal(2, await node.CountAsync("sm_filters"));

        Assert.Equal("completed", (await node.PutAsync("/collections/sm_filters/index?wait=true", """{"field_name": "city", "field_schema": "keyword"}""")).Result.GetProperty("status").GetString());
        Assert.Equal([1L], (await node.PostAsync("/collections/sm_filters/points/search", read)).Result.EnumerateArray().Select(h => h.GetProperty("id").GetInt64()));
        (await node.PostAsync("/collections/sm_filters/points/delete?wait=true", delete)).Result.GetProperty("status").GetString();
        // Filtering by id needs no index.
        (await node.PostAsync("/collections/sm_filters/points/scroll", """{"filter": {"must": [{"has_id": [1]}]}}""")).Result.GetProperty("points").GetArrayLength();
    }

    [Fact]
    public async Task Upserts_are_held_to_batch_size_and_points_count()
    {
        await CollectionAsync("sm_upsert");
        await StrictAsync("sm_upsert", """{"enabled": true, "upsert_max_batchsize": 2, "max_points_count": 3}""");
        Assert.Equal("Bad request: Limit exceeded 3 > 2 for \"upsert limit\". Help: Reduce the \"upsert limit\" parameter to or below 2.",
            (await node.PutAsync("/collections/sm_upsert/points?wait=true", """{"batch": {"ids": [3, 4, 5], "vectors": [[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]]}}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("\"update limit\"", (await node.PutAsync("/collections/sm_upsert/points/vectors?wait=true",
            """{"points": [{"id": 1, "vector": [1, 1, 1, 1]}, {"id": 2, "vector": [1, 1, 1, 1]}, {"id": 2, "vector": [1, 1, 1, 1]}]}""")).Error(HttpStatusCode.BadRequest));
        Assert.Equal(2, await node.CountAsync("sm_upsert"));

        await node.UpsertAsync("sm_upsert", """[{"id": 3, "vector": [1, 1, 1, 1]}]""");
        Assert.Equal("Bad request: Max points count limit of 3 reached!",
            (await node.PutAsync("/collections/sm_upsert/points?wait=true", """{"points": [{"id": 4, "vector": [1, 1, 1, 1]}]}""")).Error(HttpStatusCode.BadRequest));
        Assert.Equal(3, await node.CountAsync("sm_upsert"));
    }
}

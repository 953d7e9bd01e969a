using System.Net;
using System.Text.Json;

namespace AspireVector.Tests.Api.Rest;

/// <summary>search, search/batch, query and query/batch with their options.</summary>
public sealed class SearchApiTests : IClassFixture<RestNode>, IAsyncLifetime
{
    private const string C = "/collections/searching/points";
    private readonly RestNode _node;

    public SearchApiTests(RestNode node) => _node = node;

    public async Task InitializeAsync()
    {
        if ((await _node.GetAsync("/collections/searching/exists")).Result.GetProperty("exists").GetBoolean()) return;
        await _node.CreateCollectionAsync("searching", distance: "Dot", extra: """, "shard_number": 2""");
        await _node.UpsertAsync("searching", """
            [{"id": 1, "vector": [1, 0, 0, 0], "payload": {"city": "Berlin", "n": 1}},
             {"id": 2, "vector": [0.9, 0.1, 0, 0], "payload": {"city": "London", "n": 2}},
             {"id": 3, "vector": [0.5, 0.5, 0, 0], "payload": {"city": "Berlin", "n": 3}},
             {"id": 4, "vector": [0, 1, 0, 0], "payload": {"city": "Moscow", "n": 4}},
             {"id": 5, "vector": [0, 0, 1, 0]}]
            """);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static int[] Ids(JsonElement points) => [.. points.EnumerateArray().Select(p => p.GetProperty("id").GetInt32())];

    private static float[] Scores(JsonElement points) => [.. points.EnumerateArray().Select(p => p.GetProperty("score").GetSingle())];

    [Fact]
    public async Task Search_returns_scored_points_best_first()
    {
        var hits = (await _node.PostAsync($"{C}/search", """{"vector": [1, 0, 0, 0], "limit": 3}""")).Result;
        Assert.Equal([1, 2, 3], Ids(hits));
        Assert.Equal([1f, 0.9f, 0.5f], Scores(hits));
        foreach (var hit in hits.EnumerateArray())
        {
            Assert.Equal(0, hit.GetProperty("version").GetInt64());
            Assert.False(hit.TryGetProperty("payload", out var p) && p.ValueKind != JsonValueKind.Null);
            Assert.False(hit.TryGetProperty("vector", out var v) && v.ValueKind != JsonValueKind.Null);
        }
    }

    [Fact]
    public async Task Search_options_offset_threshold_filter_payload_vector_and_params()
    {
        Assert.Equal(new[] { 2, 3 }, Ids((await _node.PostAsync($"{C}/search", """{"vector": [1, 0, 0, 0], "limit": 2, "offset": 1}""")).Result));
        Assert.Equal(new[] { 1, 2 }, Ids((await _node.PostAsync($"{C}/search", """{"vector": [1, 0, 0, 0], "limit": 10, "score_threshold": 0.6}""")).Result));
        Assert.Equal(new[] { 1, 3 }, Ids((await _node.PostAsync($"{C}/search?consistency=majority", """
            {"vector": [1, 0, 0, 0], "limit": 3, "filter": {"must": [{"key": "city", "match": {"value": "Berlin"}}]}, "params": {"hnsw_ef": 128, "exact": false}}
            """)).Result));
        Assert.Equal(new[] { 1, 2, 3 }, Ids((await _node.PostAsync($"{C}/search", """{"vector": {"name": "", "vector": [1, 0, 0, 0]}, "limit": 3, "params": {"exact": true}}""")).Result));

        var full = (await _node.PostAsync($"{C}/search", """{"vector": [0, 1, 0, 0], "limit": 1, "with_payload": true, "with_vector": true}""")).Result[0];
        Assert.Equal(4, full.GetProperty("id").GetInt32());
        Assert.Equal("Moscow", full.GetProperty("payload").GetProperty("city").GetString());
        Assert.Equal([0f, 1f, 0f, 0f], full.GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()));
        var some = (await _node.PostAsync($"{C}/search", """{"vector": [0, 1, 0, 0], "limit": 1, "with_payload": {"exclude": ["city"]}}""")).Result[0];
        Assert.Equal(JsonText.Canonical("""{"n": 4}"""), JsonText.Canonical(some.GetProperty("payload")));
    }

    [Fact]
    public async Task Search_batch_answers_one_list_per_request()
    {
        var result = (await _node.PostAsync($"{C}/search/batch", """
            {"searches": [{"vector": [1, 0, 0, 0], "limit": 2}, {"vector": [0, 0, 1, 0], "limit": 1, "with_payload": true},
                          {"vector": [1, 0, 0, 0], "limit": 5, "filter": {"must": [{"key": "n", "range": {"gt": 2}}]}}]}
            """)).Result;
        Assert.Equal(3, result.GetArrayLength());
        Assert.Equal([1, 2], Ids(result[0]));
        Assert.Equal([5], Ids(result[1]));
        Assert.Empty(result[1][0].GetProperty("payload").EnumerateObject());
        Assert.Equal([3, 4], Ids(result[2]));
    }

    [Fact]
    public async Task Query_by_vector_and_nearest_form()
    {
        var plain = (await _node.PostAsync($"{C}/query", """{"query": [1, 0, 0, 0], "limit": 2}""")).Result;
        Assert.Equal(["points"], plain.EnumerateObject().Select(p => p.Name));
        Assert.Equal([1, 2], Ids(plain.GetProperty("points")));
        Assert.Equal([1f, 0.9f], Scores(plain.GetProperty("points")));

        var nearest = (await _node.PostAsync($"{C}/query", """
            {"query": {"nearest": [1, 0, 0, 0]}, "limit": 2, "offset": 1, "with_payload": ["city"], "with_vector": true, "params": {"hnsw_ef": 64}}
            """)).Result.GetProperty("points");
        Assert.Equal([2, 3], Ids(nearest));
        Assert.Equal(JsonText.Canonical("""{"city": "London"}"""), JsonText.Canonical(nearest[0].GetProperty("payload")));
        Assert.Equal(4, nearest[0].GetProperty("vector").GetArrayLength());

        var filtered = (await _node.PostAsync($"{C}/query", """
            {"query": [1, 0, 0, 0], "filter": {"must_not": [{"key": "city", "match": {"value": "London"}}]}, "score_threshold": 0.4, "params": {"exact": true}}
            """)).Result.GetProperty("points");
        Assert.Equal([1, 3], Ids(filtered));
    }

    [Fact]
    public async Task Query_by_point_id_uses_its_vector_and_leaves_it_out()
    {
        var hits = (await _node.PostAsync($"{C}/query", """{"query": 1, "limit": 2, "with_payload": true}""")).Result.GetProperty("points");
        Assert.Equal([2, 3], Ids(hits));
        Assert.Equal([0.9f, 0.5f], Scores(hits));
        Assert.Equal("London", hits[0].GetProperty("payload").GetProperty("city").GetString());

        var missing = await _node.PostAsync($"{C}/query", """{"query": 404, "limit": 2}""");
        Assert.Contains("404", missing.Error(HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task Query_without_query_lists_points_by_id_and_batch_wraps_responses()
    {
        var listed = (await _node.PostAsync($"{C}/query", """{"limit": 3, "offset": 1}""")).Result.GetProperty("points");
        Assert.Equal([2, 3, 4], Ids(listed));

        var batch = (await _node.PostAsync($"{C}/query/batch", """{"searches": [{"query": [0, 1, 0, 0], "limit": 1}, {"query": 5, "limit": 1}]}""")).Result;
        Assert.Equal(2, batch.GetArrayLength());
        Assert.Equal([4], Ids(batch[0].GetProperty("points")));
        Assert.Single(batch[1].GetProperty("points").EnumerateArray());
    }
}

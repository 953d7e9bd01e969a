using System.Text.Json;

namespace AspireVector.Tests.Api.Rest;

/// <summary>Scroll (paging, filter, payload selection, vectors) and exact count.</summary>
public sealed class ScrollCountTests : IClassFixture<RestNode>, IAsyncLifetime
{
    private readonly RestNode _node;

    public ScrollCountTests(RestNode node) => _node = node;

    public async Task InitializeAsync()
    {
        if ((await _node.GetAsync("/collections/paged/exists")).Result.GetProperty("exists").GetBoolean()) return;
        await _node.CreateCollectionAsync("paged", size: 2, distance: "Euclid", extra: """, "shard_number": 2""");
        var points = Enumerable.Range(1, 25).Select(i =>
            $$"""{"id": {{i}}, "vector": [{{i}}, 0], "payload": {"n": {{i}}, "parity": "{{(i % 2 == 0 ? "even" : "odd")}}", "meta": {"a": {{i}}, "b": "x"} } }""");
        await _node.UpsertAsync("paged", "[" + string.Join(',', points) + "]");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Scroll_pages_through_every_point_in_id_order()
    {
        var seen = new List<int>();
        string offset = "null";
        int pages = 0;
        while (true)
        {
            var page = (await _node.PostAsync("/collections/paged/points/scroll", $$"""{"limit": 10, "offset": {{offset}}}""")).Result;
            seen.AddRange(page.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("id").GetInt32()));
            pages++;
            var next = page.GetProperty("next_page_offset");
            if (next.ValueKind == JsonValueKind.Null) break;
            offset = next.GetRawText();
        }
        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(1, 25), seen);

        var exact = (await _node.PostAsync("/collections/paged/points/scroll", """{"limit": 5, "offset": 21}""")).Result;
        Assert.Equal([21, 22, 23, 24, 25], exact.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("id").GetInt32()));
        Assert.Equal(JsonValueKind.Null, exact.GetProperty("next_page_offset").ValueKind);
    }

    [Fact]
    public async Task Scroll_with_filter_pages_over_matching_points_only()
    {
        var page = (await _node.PostAsync("/collections/paged/points/scroll", """
            {"limit": 4, "offset": 5, "filter": {"must": [{"key": "parity", "match": {"value": "even"}}]}}
            """)).Result;
        Assert.Equal([6, 8, 10, 12], page.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("id").GetInt32()));
        Assert.Equal(14, page.GetProperty("next_page_offset").GetInt32());
    }

    [Fact]
    public async Task Scroll_payload_selection_and_vectors()
    {
        var defaults = (await _node.PostAsync("/collections/paged/points/scroll", """{"limit": 1}""")).Result.GetProperty("points")[0];
        Assert.Equal(3, defaults.GetProperty("payload").EnumerateObject().Count());
        Assert.False(defaults.TryGetProperty("vector", out var none) && none.ValueKind != JsonValueKind.Null);

        var included = (await _node.PostAsync("/collections/paged/points/scroll", """{"limit": 1, "with_payload": {"include": ["n", "meta.a"]}}""")).Result.GetProperty("points")[0];
        Assert.Equal(1, included.GetProperty("payload").GetProperty("n").GetInt32());
        Assert.Equal(1, included.GetProperty("payload").GetProperty("meta").GetProperty("a").GetInt32());
        Assert.False(included.GetProperty("payload").TryGetProperty("parity", out _));
        Assert.False(included.GetProperty("payload").GetProperty("meta").TryGetProperty("b", out _));

        var excluded = (await _node.PostAsync("/collections/paged/points/scroll", """{"limit": 1, "with_payload": {"exclude": ["meta"]}}""")).Result.GetProperty("points")[0];
        Assert.Equal(["n", "parity"], excluded.GetProperty("payload").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        var list = (await _node.PostAsync("/collections/paged/points/scroll", """{"limit": 1, "with_payload": ["parity"]}""")).Result.GetProperty("points")[0];
        Assert.Equal(["parity"], list.GetProperty("payload").EnumerateObject().Select(p => p.Name));

        var vectors = (await _node.PostAsync("/collections/paged/points/scroll", """{"limit": 2, "with_payload": false, "with_vector": true}""")).Result.GetProperty("points");
        Assert.Equal([2f, 0f], vectors[1].GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()));
        Assert.False(vectors[1].TryGetProperty("payload", out var pl) && pl.ValueKind != JsonValueKind.Null);
    }

    [Fact]
    public async Task Count_is_exact_with_and_without_filter()
    {
        Assert.Equal(25, await _node.CountAsync("paged"));
        Assert.Equal(12, await _node.CountAsync("paged", """{"exact": true, "filter": {"must": [{"key": "parity", "match": {"value": "even"}}]}}"""));
        Assert.Equal(6, await _node.CountAsync("paged", """{"filter": {"must": [{"key": "n", "range": {"gte": 10, "lt": 16}}]}}"""));
        Assert.Equal(0, await _node.CountAsync("paged", """{"exact": true, "filter": {"must": [{"key": "missing", "match": {"value": 1}}]}}"""));
        Assert.Equal(25, await _node.CountAsync("paged", "{}"));
    }
}

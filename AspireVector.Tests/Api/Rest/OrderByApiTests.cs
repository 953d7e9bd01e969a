using System.Net;
using System.Text.Json;

namespace AspireVector.Tests.Api.Rest;

/// <summary>
/// <c>order_by</c> in scroll and as a query: ascending and descending with <c>start_from</c>, ties, multi-valued
/// keys, filters, re-ordering of prefetched candidates, and Qdrant's errors (no range index, offset).
/// </summary>
public sealed class OrderByApiTests(RestNode node) : IClassFixture<RestNode>
{
    /// <summary>Point i: price i % 10 (ties), except 7 (no price) and 13 (prices [100, -5]).</summary>
    private static readonly Dictionary<int, int[]> Prices = Enumerable.Range(1, 30).Where(i => i != 7)
        .ToDictionary(i => i, i => i == 13 ? new[] { 100, -5 } : [i % 10]);

    private async Task CreateAsync(string name, bool index = true)
    {
        await node.CreateCollectionAsync(name, 4, "Dot");
        var points = string.Join(",", Enumerable.Range(1, 30).Select(i =>
            $$"""{"id": {{i}}, "vector": [{{i % 4}}, 1, {{i % 3}}, 0.5], "payload": {{(Prices.TryGetValue(i, out var p) ? $"{{\"price\": {(p.Length == 1 ? p[0].ToString() : JsonSerializer.Serialize(p))}}}" : "{}")}}}"""));
        await node.UpsertAsync(name, $"[{points}]");
        if (index) Assert.Equal(JsonValueKind.Object, (await node.PutAsync($"/collections/{name}/index?wait=true", """{"field_name": "price", "field_schema": "integer"}""")).Result.ValueKind);
    }

    /// <summary>Qdrant's order: each point once with its first value in this direction past start; ties by id in the same direction.</summary>
    private static List<(int Id, int Value)> Expected(bool descending, int? start = null, Func<int, bool>? keep = null)
    {
        var ranked = Prices.Where(p => keep?.Invoke(p.Key) ?? true)
            .Select(p => (Id: p.Key, Values: p.Value.Where(v => start is not int s || (descending ? v <= s : v >= s)).ToArray()))
            .Where(p => p.Values.Length > 0)
            .Select(p => (p.Id, Value: descending ? p.Values.Max() : p.Values.Min()));
        return descending ? [.. ranked.OrderByDescending(p => p.Value).ThenByDescending(p => p.Id)] : [.. ranked.OrderBy(p => p.Value).ThenBy(p => p.Id)];
    }

    private static void AssertOrdered(List<(int Id, int Value)> expected, JsonElement points)
    {
        Assert.Equal(expected.Select(e => e.Id), NamedVectorSet.IdsOf(points));
        Assert.Equal(expected.Select(e => e.Value), points.EnumerateArray().Select(p => p.GetProperty("order_value").GetInt32()));
    }

    [Fact]
    public async Task Scroll_orders_by_an_indexed_key_in_both_directions_from_start_from()
    {
        await CreateAsync("order_scroll");
        var page = (await node.PostAsync("/collections/order_scroll/points/scroll", """{"order_by": "price", "limit": 8}""")).Result;
        AssertOrdered([.. Expected(false).Take(8)], page.GetProperty("points"));
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next_page_offset").ValueKind);
        Assert.Equal(-5, page.GetProperty("points")[0].GetProperty("order_value").GetInt32()); // point 13's lowest price

        page = (await node.PostAsync("/collections/order_scroll/points/scroll",
            """{"order_by": {"key": "price", "direction": "desc", "start_from": 6}, "limit": 7, "with_payload": false}""")).Result;
        AssertOrdered([.. Expected(true, 6).Take(7)], page.GetProperty("points"));

        page = (await node.PostAsync("/collections/order_scroll/points/scroll",
            """{"order_by": {"key": "price", "direction": "asc", "start_from": 4}, "limit": 50, "filter": {"must": [{"key": "price", "range": {"lt": 8}}]}}""")).Result;
        AssertOrdered(Expected(false, 4, id => Prices[id].Any(v => v < 8)), page.GetProperty("points"));
    }

    [Fact]
    public async Task Query_order_by_ranks_points_and_reorders_prefetched_candidates()
    {
        await CreateAsync("order_query");
        var points = (await node.PostAsync("/collections/order_query/points/query",
            """{"query": {"order_by": {"key": "price", "direction": "desc"}}, "limit": 5, "offset": 1}""")).Result.GetProperty("points");
        AssertOrdered([.. Expected(true).Skip(1).Take(5)], points);

        // The candidates of a nearest prefetch, re-ranked by price.
        var nearest = (await node.PostAsync("/collections/order_query/points/search", """{"vector": [1, 0, 0, 0], "limit": 10, "params": {"exact": true}}""")).Result;
        var candidates = NamedVectorSet.IdsOf(nearest).ToHashSet();
        points = (await node.PostAsync("/collections/order_query/points/query",
            """{"prefetch": {"query": [1, 0, 0, 0], "limit": 10, "params": {"exact": true}}, "query": {"order_by": "price"}, "limit": 4}""")).Result.GetProperty("points");
        AssertOrdered([.. Expected(false, keep: candidates.Contains).Take(4)], points);
    }

    [Fact]
    public async Task Order_by_needs_a_range_index_and_refuses_an_offset()
    {
        await CreateAsync("order_errors", index: false);
        Assert.Contains("No range index for `order_by` key: `price`",
            (await node.PostAsync("/collections/order_errors/points/scroll", """{"order_by": "price"}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("No range index for `order_by` key: `price`",
            (await node.PostAsync("/collections/order_errors/points/query", """{"query": {"order_by": "price"}}""")).Error(HttpStatusCode.BadRequest));
        Assert.Equal(JsonValueKind.Object, (await node.PutAsync("/collections/order_errors/index?wait=true", """{"field_name": "price", "field_schema": "keyword"}""")).Result.ValueKind);
        Assert.Contains("No range index for `order_by` key: `price`",
            (await node.PostAsync("/collections/order_errors/points/scroll", """{"order_by": "price"}""")).Error(HttpStatusCode.BadRequest));
        Assert.Equal(JsonValueKind.Object, (await node.PutAsync("/collections/order_errors/index?wait=true", """{"field_name": "price", "field_schema": "integer"}""")).Result.ValueKind);
        Assert.Contains("Cannot use an `offset` when using `order_by`",
            (await node.PostAsync("/collections/order_errors/points/scroll", """{"order_by": "price", "offset": 3}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("unknown variant `up`",
            (await node.PostAsync("/collections/order_errors/points/scroll", """{"order_by": {"key": "price", "direction": "up"}}""")).Error(HttpStatusCode.BadRequest));
    }
}

using System.Net;
using System.Text.Json;

namespace AspireVector.Tests.Api.Rest;

/// <summary><c>POST /collections/{name}/facet</c>: counts per value, checked against counts by filter.</summary>
public sealed class FacetApiTests(RestNode node) : IClassFixture<RestNode>
{
    private const string C = "/collections/faceted";

    private async Task SeedAsync()
    {
        if ((await node.GetAsync($"{C}/exists")).Result.GetProperty("exists").GetBoolean()) return;
        await node.CreateCollectionAsync("faceted", 2, "Dot", """, "shard_number": 3""");
        var points = Enumerable.Range(1, 40).Select(id =>
        {
            string color = id % 5 == 0 ? """["red", "blue", "red"]""" : id % 3 == 0 ? "\"green\"" : "\"red\"";
            string flag = id % 2 == 0 ? "true" : "false";
            string mixed = id % 2 == 0 ? "1" : "\"one\"";
            return $$$"""{"id": {{{id}}}, "vector": [1, {{{id}}}], "payload": {"color": {{{color}}}, "n": {{{id % 4}}}, "flag": {{{flag}}}, "mixed": {{{mixed}}}}}""";
        });
        await node.UpsertAsync("faceted", "[" + string.Join(",", points) + "]");
        foreach (var (field, type) in new[] { ("color", "keyword"), ("n", "integer"), ("flag", "bool"), ("mixed", "keyword") })
            (await node.PutAsync($"{C}/index?wait=true", $$"""{"field_name": "{{field}}", "field_schema": "{{type}}"}""")).Result.GetProperty("status").GetString();
    }

    private static List<(string Value, long Count)> Hits(JsonElement result) =>
        [.. result.GetProperty("hits").EnumerateArray().Select(h => (h.GetProperty("value").GetRawText(), h.GetProperty("count").GetInt64()))];

    private async Task<long> CountAsync(string key, string valueJson, string? extra = null) =>
        await node.CountAsync("faceted", $$$"""{"exact": true, "filter": {"must": [{"key": "{{{key}}}", "match": {"value": {{{valueJson}}}}}{{{extra}}}]}}""");

    [Fact]
    public async Task Counts_per_value_equal_counts_by_filter_most_frequent_first()
    {
        await SeedAsync();
        var colors = Hits((await node.PostAsync($"{C}/facet", """{"key": "color"}""")).Result);
        Assert.Equal(["\"red\"", "\"green\"", "\"blue\""], colors.Select(h => h.Value));
        foreach (var (value, count) in colors) Assert.Equal(await CountAsync("color", value), count);
        Assert.Equal(8, colors.Single(h => h.Value == "\"blue\"").Count); // a point counts once per distinct value

        var numbers = Hits((await node.PostAsync($"{C}/facet", """{"key": "n", "limit": 2, "exact": true}""")).Result);
        Assert.Equal([("0", 10L), ("1", 10L)], numbers); // ties ordered by value
        var flags = Hits((await node.PostAsync($"{C}/facet", """{"key": "flag", "filter": {"must": [{"key": "n", "range": {"lt": 2}}]}}""")).Result);
        foreach (var (value, count) in flags) Assert.Equal(await CountAsync("flag", value, """, {"key": "n", "range": {"lt": 2}}"""), count);
        Assert.Equal(20, flags.Sum(f => f.Count));

        // A keyword index counts only the string values.
        Assert.Equal([("\"one\"", 20L)], Hits((await node.PostAsync($"{C}/facet", """{"key": "mixed"}""")).Result));
    }

    [Theory]
    [InlineData("""{"key": "vector_free"}""", "Index required but not found for \"vector_free\"")]
    [InlineData("""{}""", "key")]
    [InlineData("""{"key": 5}""", "key")]
    [InlineData("""{"key": "color", "limit": 0}""", "limit")]
    [InlineData("""{"key": "color", "exact": "yes"}""", "exact")]
    [InlineData("""{"key": "color", "filter": 3}""", "filter")]
    public async Task Bad_facet_requests_are_refused(string body, string mentions)
    {
        await SeedAsync();
        Assert.Contains(mentions, (await node.PostAsync($"{C}/facet", body)).Error(HttpStatusCode.BadRequest));
    }
}

using static AspireVector.Tests.Filters.FilterTestData;

namespace AspireVector.Tests.Filters;

/// <summary>Bad filter JSON gets a message naming the place and the problem; the parser never throws.</summary>
public class FilterParserTests
{
    [Theory]
    [InlineData("""[]""", "filter: expected a filter object")]
    [InlineData("""{"mustt": []}""", "filter: unknown field `mustt`")]
    [InlineData("""{"must": 5}""", "filter.must: expected a condition or an array of conditions")]
    [InlineData("""{"must": [{"foo": 1}]}""", "filter.must[0]: unknown condition with field `foo`")]
    [InlineData("""{"must": [{"key": "a"}]}""", "filter.must[0]: At least one field condition must be specified")]
    [InlineData("""{"must": [{"key": 5, "match": {"value": 1}}]}""", "filter.must[0].key: expected a payload key string")]
    [InlineData("""{"must": [{"key": "a..b", "match": {"value": 1}}]}""", "Invalid json path: 'a..b'")]
    [InlineData("""{"must": [{"key": "", "match": {"value": 1}}]}""", "Invalid json path")]
    [InlineData("""{"must": [{"key": "a", "match": {"value": 1.5}}]}""", "filter.must[0].match.value: expected a string, a 64-bit integer or a boolean")]
    [InlineData("""{"must": [{"key": "a", "match": {"value": null}}]}""", "filter.must[0].match.value")]
    [InlineData("""{"must": [{"key": "a", "match": {"valu": 1}}]}""", "filter.must[0].match: unknown match condition")]
    [InlineData("""{"must": [{"key": "a", "match": {"any": ["x", 1]}}]}""", "filter.must[0].match.any[1]: expected all strings or all 64-bit integers")]
    [InlineData("""{"must": [{"key": "a", "match": {"except": "x"}}]}""", "filter.must[0].match.except: expected an array")]
    [InlineData("""{"must": [{"key": "a", "match": {"text": 5}}]}""", "filter.must[0].match.text: expected a string")]
    [InlineData("""{"must": [{"key": "a", "range": {"gt": "yesterday"}}]}""", "filter.must[0].range.gt: expected an RFC 3339 datetime")]
    [InlineData("""{"must": [{"key": "a", "range": {"gt": 1, "lt": "2020-01-01T00:00:00Z"}}]}""", "range bounds must be all numbers or all datetimes")]
    [InlineData("""{"must": [{"key": "a", "range": {"gt": true}}]}""", "filter.must[0].range.gt: expected a number or an RFC 3339 datetime string")]
    [InlineData("""{"must": [{"key": "a", "values_count": {"gt": -1}}]}""", "filter.must[0].values_count.gt: expected a non-negative integer")]
    [InlineData("""{"must": [{"key": "a", "geo_radius": {"center": {"lon": 200, "lat": 0}, "radius": 5}}]}""", "Wrong format of GeoPoint payload")]
    [InlineData("""{"must": [{"key": "a", "geo_radius": {"center": {"lon": 1, "lat": 0}}}]}""", "filter.must[0].geo_radius: missing field `radius`")]
    [InlineData("""{"must": [{"key": "a", "geo_bounding_box": {"top_left": {"lon": 1}, "bottom_right": {"lon": 1, "lat": 1}}}]}""", "filter.must[0].geo_bounding_box.top_left: missing or non-numeric field `lat`")]
    [InlineData("""{"must": [{"key": "a", "geo_polygon": {"exterior": {"points": [{"lon": 0, "lat": 0}, {"lon": 1, "lat": 0}, {"lon": 0, "lat": 0}]}}}]}""", "polygon invalid, the size must be at least 4, got 3")]
    [InlineData("""{"must": [{"key": "a", "geo_polygon": {"exterior": {"points": [{"lon": 0, "lat": 0}, {"lon": 1, "lat": 0}, {"lon": 1, "lat": 1}, {"lon": 0, "lat": 1}]}}}]}""", "the first and the last points should be the same")]
    [InlineData("""{"must": [{"is_empty": {"kee": "a"}}]}""", "filter.must[0].is_empty: missing field `key`")]
    [InlineData("""{"must": [{"is_null": "a"}]}""", "filter.must[0].is_null: expected {\"key\": \"<field>\"}")]
    [InlineData("""{"must": [{"has_id": [1, -2]}]}""", "filter.must[0].has_id[1]: Unable to parse point id -2")]
    [InlineData("""{"must": [{"has_id": 1}]}""", "filter.must[0].has_id: expected an array of point ids")]
    [InlineData("""{"must": [{"nested": {"key": "a"}}]}""", "filter.must[0].nested: missing field `filter`")]
    [InlineData("""{"must": [{"nested": {"key": "a", "filter": {"must": [{"bad": 1}]}}}]}""", "filter.must[0].nested.filter.must[0]: unknown condition")]
    [InlineData("""{"min_should": {"conditions": []}}""", "filter.min_should: missing field `min_count`")]
    [InlineData("""{"min_should": {"conditions": [], "min_count": -1}}""", "filter.min_should.min_count: expected a non-negative integer")]
    [InlineData("""{"should": [{"must": [{"must_not": {"oops": 1}}]}]}""", "filter.should[0].must[0].must_not: unknown condition with field `oops`")]
    [InlineData("""{"must": [{"has_vector": 1}]}""", "filter.must[0].has_vector: expected a vector name string")]
    public void Bad_input_is_reported_with_its_place(string json, string expected) =>
        Assert.Contains(expected, ParseError(json));

    [Fact]
    public void Deep_nesting_is_rejected_without_stack_exhaustion()
    {
        var json = string.Concat(Enumerable.Repeat("""{"must": [""", 40)) + "{}" + string.Concat(Enumerable.Repeat("]}", 40));
        using var doc = System.Text.Json.JsonDocument.Parse(json, new System.Text.Json.JsonDocumentOptions { MaxDepth = 200 });
        Assert.False(Node.Filters.FilterParser.TryParse(doc.RootElement, out _, out var error));
        Assert.Contains("nesting is deeper than", error);
    }

    [Fact]
    public void Parsed_model_exposes_the_conditions()
    {
        var filter = ParseFilter("""
            {"must": [{"key": "a.b[]", "match": {"any": [1, 2]}}, {"key": "t", "range": {"gte": "2020-01-01T00:00:00Z"}}],
             "should": {"key": "c", "match": {"value": "x"}},
             "min_should": {"conditions": [{"is_empty": {"key": "d"}}], "min_count": 1}}
            """);
        var any = Assert.IsType<Node.Filters.FieldCondition>(filter.Must![0]);
        Assert.Equal("a.b[]", any.Key.ToString());
        Assert.Equal(new HashSet<long> { 1, 2 }, Assert.IsType<Node.Filters.MatchAny>(any.Match).Integers);
        var range = Assert.IsType<Node.Filters.FieldCondition>(filter.Must[1]).DatetimeRange!;
        Assert.Equal(new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks, range.Gte);
        Assert.Single(filter.Should!);
        Assert.Equal(1, filter.MinShould!.MinCount);
    }
}

using static AspireVector.Tests.Filters.FilterTestData;

namespace AspireVector.Tests.Filters;

/// <summary>Condition semantics that follow Qdrant's condition checker exactly (edge cases included).</summary>
public class ConditionSemanticsTests
{
    // The payload of Qdrant's own condition-checker test.
    private const string Shop = """
        {"location": {"lon": 13.404954, "lat": 52.520008}, "price": 499.90, "amount": 10, "rating": [3, 7, 9, 9],
         "color": "red", "has_delivery": true, "shipped_at": "2020-02-15T00:00:00Z", "parts": [], "packaging": null,
         "not_null": [null]}
        """;

    [Theory]
    [InlineData("price", false)]
    [InlineData("something_new", true)]
    [InlineData("parts", true)]
    [InlineData("packaging", true)]
    [InlineData("not_null", false)]
    public void Is_empty_for_missing_null_or_empty_array(string key, bool expected) =>
        Assert.Equal(expected, Check($$$"""{"must": [{"is_empty": {"key": "{{{key}}}"}}]}""", Shop));

    [Theory]
    [InlineData("amount", false)]
    [InlineData("parts", false)]
    [InlineData("something_else", false)]
    [InlineData("packaging", true)]
    [InlineData("not_null", false)]
    public void Is_null_only_for_explicit_null(string key, bool expected) =>
        Assert.Equal(expected, Check($$$"""{"must": [{"is_null": {"key": "{{{key}}}"}}]}""", Shop));

    [Fact]
    public void Is_null_through_array_key_sees_null_elements()
    {
        Assert.True(Check("""{"must": [{"is_null": {"key": "a[].b"}}]}""", """{"a": [{"b": 1}, {"b": null}]}"""));
        Assert.False(Check("""{"must": [{"is_null": {"key": "a[].b"}}]}""", """{"a": [{"b": 1}, {"c": null}]}"""));
        Assert.True(Check("""{"must": [{"is_empty": {"key": "a[].c"}}]}""", """{"a": [{"b": 1}, {"c": []}]}"""));
    }

    [Theory]
    [InlineData("""{"gte": 10}""", false)]
    [InlineData("""{"lt": 5}""", true)]
    [InlineData("""{"gte": 4, "lte": 4}""", true)]
    public void Values_count(string bounds, bool expected) =>
        Assert.Equal(expected, Check($$"""{"must": [{"key": "rating", "values_count": {{bounds}}}]}""", Shop));

    [Fact]
    public void Values_count_of_missing_field_is_zero_and_scalar_is_one()
    {
        Assert.True(Check("""{"must": [{"key": "missing", "values_count": {"lt": 1}}]}""", Shop));
        Assert.False(Check("""{"must": [{"key": "missing", "values_count": {"gte": 1}}]}""", Shop));
        Assert.True(Check("""{"must": [{"key": "color", "values_count": {"gte": 1, "lte": 1}}]}""", Shop));
    }

    [Fact]
    public void Condition_checker_combinations()
    {
        const string redOrBlueInBerlin = """
            {"should": [{"key": "color", "match": {"value": "red"}}, {"key": "color", "match": {"value": "blue"}}],
             "must": [{"key": "has_delivery", "match": {"value": true}},
                      {"key": "location", "geo_bounding_box": {"top_left": {"lon": 13.08835, "lat": 52.67551}, "bottom_right": {"lon": 13.76116, "lat": 52.33826}}}]}
            """;
        Assert.True(Check(redOrBlueInBerlin, Shop));
        Assert.False(Check("""{"must": [{"key": "location", "geo_bounding_box": {"top_left": {"lon": 37.0366, "lat": 56.1859}, "bottom_right": {"lon": 38.2532, "lat": 55.317}}}]}""", Shop));
        // "rating" holds 3 (<= 5), so must_not rejects the point.
        Assert.False(Check("""{"must_not": [{"key": "rating", "range": {"lte": 5}}]}""", Shop));
        Assert.True(Check("""{"must": [{"key": "shipped_at", "range": {"gte": "2020-02-01T00:00:00Z", "lt": "2020-03-01T00:00:00Z"}}]}""", Shop));
        Assert.False(Check("""{"must": [{"key": "shipped_at", "range": {"gte": "2020-03-01T00:00:00Z", "lt": "2020-04-01T00:00:00Z"}}]}""", Shop));
    }

    [Fact]
    public void Integers_and_floats_follow_json_number_text()
    {
        // match.value on an integer needs an integral stored number; 10.0 is a float in Qdrant's JSON model.
        Assert.True(Check("""{"must": [{"key": "n", "match": {"value": 10}}]}""", """{"n": 10}"""));
        Assert.False(Check("""{"must": [{"key": "n", "match": {"value": 10}}]}""", """{"n": 10.0}"""));
        Assert.False(Check("""{"must": [{"key": "n", "match": {"value": 10}}]}""", """{"n": "10"}"""));
        // range compares every number as a double.
        Assert.True(Check("""{"must": [{"key": "n", "range": {"gt": 9.5, "lt": 10.5}}]}""", """{"n": 10}"""));
        Assert.True(Check("""{"must": [{"key": "n", "range": {"gte": 10, "lte": 10}}]}""", """{"n": 10.0}"""));
        Assert.False(Check("""{"must": [{"key": "n", "range": {"gte": 0}}]}""", """{"n": "5"}"""));
    }

    [Fact]
    public void Match_value_on_arrays_matches_any_element()
    {
        Assert.True(Check("""{"must": [{"key": "tags", "match": {"value": "b"}}]}""", """{"tags": ["a", "b"]}"""));
        Assert.False(Check("""{"must": [{"key": "tags", "match": {"value": "c"}}]}""", """{"tags": ["a", "b"]}"""));
        // Arrays inside arrays are not flattened.
        Assert.False(Check("""{"must": [{"key": "tags", "match": {"value": "b"}}]}""", """{"tags": [["b"]]}"""));
        Assert.True(Check("""{"must": [{"key": "flags", "match": {"value": false}}]}""", """{"flags": [true, false]}"""));
    }

    [Fact]
    public void Match_except_semantics()
    {
        const string exceptRed = """{"must": [{"key": "c", "match": {"except": ["red"]}}]}""";
        Assert.False(Check(exceptRed, """{"c": "red"}"""));
        Assert.True(Check(exceptRed, """{"c": "blue"}"""));
        Assert.True(Check(exceptRed, """{"c": ["red", "blue"]}"""));
        Assert.False(Check(exceptRed, """{"c": null}"""));
        Assert.False(Check(exceptRed, """{}"""));
        Assert.True(Check(exceptRed, """{"c": true}"""));
        Assert.True(Check(exceptRed, """{"c": 5}"""));
        const string exceptOne = """{"must": [{"key": "c", "match": {"except": [1]}}]}""";
        Assert.False(Check(exceptOne, """{"c": 1}"""));
        Assert.True(Check(exceptOne, """{"c": 1.5}"""));
        Assert.True(Check(exceptOne, """{"c": "1"}"""));
    }

    [Fact]
    public void Match_text_without_index_is_substring()
    {
        Assert.True(Check("""{"must": [{"key": "t", "match": {"text": "quick brown"}}]}""", """{"t": "the quick brown fox"}"""));
        Assert.False(Check("""{"must": [{"key": "t", "match": {"text": "brown quick"}}]}""", """{"t": "the quick brown fox"}"""));
        Assert.True(Check("""{"must": [{"key": "t", "match": {"text_any": "cat fox"}}]}""", """{"t": "the quick brown fox"}"""));
        Assert.True(Check("""{"must": [{"key": "t", "match": {"phrase": "brown fox"}}]}""", """{"t": "the quick brown fox"}"""));
    }

    [Fact]
    public void Datetime_ranges_compare_instants()
    {
        const string payload = """{"at": "2024-05-01T12:00:00+02:00"}""";
        Assert.True(Check("""{"must": [{"key": "at", "range": {"gte": "2024-05-01T10:00:00Z", "lte": "2024-05-01T10:00:00Z"}}]}""", payload));
        Assert.False(Check("""{"must": [{"key": "at", "range": {"gt": "2024-05-01T10:00:00Z"}}]}""", payload));
        Assert.True(Check("""{"must": [{"key": "at", "range": {"gt": "2024-05-01 09:59:59.999999"}}]}""", payload));
        Assert.True(Check("""{"must": [{"key": "at", "range": {"lt": "2024-05-02"}}]}""", payload));
        Assert.False(Check("""{"must": [{"key": "at", "range": {"lt": "2024-05-02"}}]}""", """{"at": "not a date"}"""));
    }

    [Fact]
    public void Geo_radius_uses_haversine_metres()
    {
        const string berlinAndMoscow = """{"loc": [{"lat": 52.52197645, "lon": 13.413637435864272}, {"lat": 55.7536283, "lon": 37.62137960067377}]}""";
        Assert.True(Check("""{"must": [{"key": "loc", "geo_radius": {"center": {"lon": 13.423637, "lat": 52.511}, "radius": 2000.0}}]}""", berlinAndMoscow));
        Assert.False(Check("""{"must": [{"key": "loc", "geo_radius": {"center": {"lon": 20.423637, "lat": 52.511}, "radius": 2000.0}}]}""", berlinAndMoscow));
    }

    [Fact]
    public void Geo_bounding_box_across_antimeridian()
    {
        const string box = """{"must": [{"key": "p", "geo_bounding_box": {"top_left": {"lon": 170, "lat": 10}, "bottom_right": {"lon": -170, "lat": -10}}}]}""";
        Assert.True(Check(box, """{"p": {"lon": 179, "lat": 0}}"""));
        Assert.True(Check(box, """{"p": {"lon": -175, "lat": 0}}"""));
        Assert.False(Check(box, """{"p": {"lon": 0, "lat": 0}}"""));
    }

    [Fact]
    public void Geo_polygon_with_hole_and_boundary()
    {
        const string polygon = """
            {"must": [{"key": "p", "geo_polygon": {
              "exterior": {"points": [{"lon": 0, "lat": 0}, {"lon": 10, "lat": 0}, {"lon": 10, "lat": 10}, {"lon": 0, "lat": 10}, {"lon": 0, "lat": 0}]},
              "interiors": [{"points": [{"lon": 4, "lat": 4}, {"lon": 6, "lat": 4}, {"lon": 6, "lat": 6}, {"lon": 4, "lat": 6}, {"lon": 4, "lat": 4}]}]}}]}
            """;
        Assert.True(Check(polygon, """{"p": {"lon": 2, "lat": 2}}"""));
        Assert.False(Check(polygon, """{"p": {"lon": 5, "lat": 5}}"""));
        Assert.False(Check(polygon, """{"p": {"lon": 0, "lat": 5}}"""));
        Assert.False(Check(polygon, """{"p": {"lon": 4, "lat": 5}}"""));
        Assert.False(Check(polygon, """{"p": {"lon": 11, "lat": 5}}"""));
    }

    [Fact]
    public void Empty_clauses()
    {
        Assert.True(Check("""{}""", Shop));
        Assert.True(Check("""{"must": []}""", Shop));
        Assert.True(Check("""{"must_not": []}""", Shop));
        Assert.False(Check("""{"should": []}""", Shop));
        Assert.True(Check("""{"min_should": {"conditions": [], "min_count": 0}}""", Shop));
        Assert.False(Check("""{"min_should": {"conditions": [], "min_count": 1}}""", Shop));
        Assert.True(Check("""{"must": [{}]}""", Shop));
    }

    [Fact]
    public void Single_condition_clause_and_null_clause()
    {
        Assert.True(Check("""{"must": {"key": "color", "match": {"value": "red"}}, "should": null}""", Shop));
        Assert.False(Check("""{"must_not": {"key": "color", "match": {"value": "red"}}}""", Shop));
    }

    [Fact]
    public void Has_id_accepts_uuids_and_is_false_inside_nested()
    {
        var filter = ParseFilter("""{"must": [{"has_id": ["6f0c5c3e-bcd1-8bfe-0000-000000000001"]}]}""");
        Assert.True(filter.Matches(Node.Points.PointId.FromUuid(Guid.Parse("6f0c5c3e-bcd1-8bfe-0000-000000000001")), null));
        Assert.False(filter.Matches(Node.Points.PointId.FromNumber(1), null));
        Assert.False(Check("""{"must": [{"nested": {"key": "a", "filter": {"must": [{"has_id": [1]}]}}}]}""", """{"a": [{"x": 1}]}""", id: 1));
    }

    [Fact]
    public void Nested_inside_nested_and_non_object_elements()
    {
        const string payload = """{"a": [1, {"b": [{"c": 5}, {"c": 7}]}]}""";
        Assert.True(Check("""{"must": [{"nested": {"key": "a", "filter": {"must": [{"nested": {"key": "b", "filter": {"must": [{"key": "c", "match": {"value": 7}}]}}}]}}}]}""", payload));
        Assert.False(Check("""{"must": [{"nested": {"key": "a[]", "filter": {"must": [{"key": "c", "match": {"value": 7}}]}}}]}""", payload));
    }

    [Fact]
    public void Several_parts_in_one_field_condition_are_alternatives()
    {
        const string either = """{"must": [{"key": "v", "match": {"value": "x"}, "range": {"gt": 100}}]}""";
        Assert.True(Check(either, """{"v": "x"}"""));
        Assert.True(Check(either, """{"v": 101}"""));
        Assert.False(Check(either, """{"v": 5}"""));
    }

    [Fact]
    public void Missing_or_null_payload_matches_only_absence_conditions()
    {
        var filter = ParseFilter("""{"must": [{"is_empty": {"key": "x"}}], "must_not": [{"key": "x", "match": {"value": 1}}]}""");
        Assert.True(filter.Matches(Node.Points.PointId.FromNumber(1), null));
    }
}

using static AspireVector.Tests.Filters.FilterTestData;

namespace AspireVector.Tests.Filters;

/// <summary>The examples of Qdrant's filtering documentation, with the results the documentation states.</summary>
public class QdrantDocExampleTests
{
    private static readonly string[] Cars =
    [
        """{"city": "London", "color": "green"}""",
        """{"city": "London", "color": "red"}""",
        """{"city": "London", "color": "blue"}""",
        """{"city": "Berlin", "color": "red"}""",
        """{"city": "Moscow", "color": "green"}""",
        """{"city": "Moscow", "color": "blue"}""",
    ];

    private static readonly string[] Countries =
    [
        """{"country": {"name": "Germany", "cities": [{"name": "Berlin", "population": 3.7, "sightseeing": ["Brandenburg Gate", "Reichstag"]}, {"name": "Munich", "population": 1.5, "sightseeing": ["Marienplatz", "Olympiapark"]}]}}""",
        """{"country": {"name": "Japan", "cities": [{"name": "Tokyo", "population": 9.3, "sightseeing": ["Tokyo Tower", "Tokyo Skytree"]}, {"name": "Osaka", "population": 2.7, "sightseeing": ["Osaka Castle", "Universal Studios Japan"]}]}}""",
        """{"country": {"name": "United Kingdom", "cities": [{"name": "London", "population": 8.9, "sightseeing": ["Big Ben", "London Eye"]}]}}""",
    ];

    private static readonly string[] Dinosaurs =
    [
        """{"dinosaur": "t-rex", "diet": [{"food": "leaves", "likes": false}, {"food": "meat", "likes": true}]}""",
        """{"dinosaur": "diplodocus", "diet": [{"food": "leaves", "likes": true}, {"food": "meat", "likes": false}]}""",
    ];

    [Fact]
    public void Must_requires_every_condition() =>
        Assert.Equal([2], Matching("""{"must": [{"key": "city", "match": {"value": "London"}}, {"key": "color", "match": {"value": "red"}}]}""", Cars));

    [Fact]
    public void Should_requires_any_condition() =>
        Assert.Equal([1, 2, 3, 4], Matching("""{"should": [{"key": "city", "match": {"value": "London"}}, {"key": "color", "match": {"value": "red"}}]}""", Cars));

    [Fact]
    public void Must_not_rejects_every_condition() =>
        Assert.Equal([5, 6], Matching("""{"must_not": [{"key": "city", "match": {"value": "London"}}, {"key": "color", "match": {"value": "red"}}]}""", Cars));

    [Fact]
    public void Clauses_combine() =>
        Assert.Equal([1, 3], Matching("""{"must": [{"key": "city", "match": {"value": "London"}}], "must_not": [{"key": "color", "match": {"value": "red"}}]}""", Cars));

    [Fact]
    public void Filters_nest_as_conditions() =>
        Assert.Equal([1, 3, 4, 5, 6], Matching("""{"must_not": [{"must": [{"key": "city", "match": {"value": "London"}}, {"key": "color", "match": {"value": "red"}}]}]}""", Cars));

    [Fact]
    public void Min_should_counts_matching_conditions() =>
        Assert.Equal([2], Matching("""{"min_should": {"conditions": [{"key": "city", "match": {"value": "London"}}, {"key": "color", "match": {"value": "red"}}, {"key": "color", "match": {"value": "pink"}}], "min_count": 2}}""", Cars));

    [Fact]
    public void Dotted_key_reads_nested_object() =>
        Assert.Equal([1], Matching("""{"should": [{"key": "country.name", "match": {"value": "Germany"}}]}""", Countries));

    [Fact]
    public void Array_key_projects_through_elements() =>
        Assert.Equal([2, 3], Matching("""{"should": [{"key": "country.cities[].population", "range": {"gte": 8.0}}]}""", Countries));

    [Fact]
    public void Array_key_reaches_nested_arrays() =>
        Assert.Equal([2], Matching("""{"should": [{"key": "country.cities[].sightseeing", "match": {"value": "Osaka Castle"}}]}""", Countries));

    [Fact]
    public void Values_count_counts_array_elements() =>
        Assert.Equal([1, 2], Matching("""{"must": [{"key": "country.cities", "values_count": {"gt": 1}}]}""", Countries));

    [Fact]
    public void Array_key_conditions_may_be_met_by_different_elements() =>
        Assert.Equal([1, 2], Matching("""{"must": [{"key": "diet[].food", "match": {"value": "meat"}}, {"key": "diet[].likes", "match": {"value": true}}]}""", Dinosaurs));

    [Fact]
    public void Nested_requires_one_element_to_meet_the_whole_filter() =>
        Assert.Equal([1], Matching("""{"must": [{"nested": {"key": "diet", "filter": {"must": [{"key": "food", "match": {"value": "meat"}}, {"key": "likes", "match": {"value": true}}]}}}]}""", Dinosaurs));

    [Fact]
    public void Nested_must_not_applies_per_element() =>
        // Qdrant docs: must_not inside nested keeps points with an element that does not match the inner condition.
        Assert.Equal([1, 2], Matching("""{"must": [{"nested": {"key": "diet", "filter": {"must_not": [{"key": "food", "match": {"value": "meat"}}]}}}]}""", Dinosaurs));

    [Fact]
    public void Has_id_selects_points_by_id() =>
        Assert.Equal([1, 3, 5], Matching("""{"must": [{"has_id": [1, 3, 5, 7, 9, 11]}]}""", Cars));

    [Fact]
    public void Match_any_and_except()
    {
        Assert.Equal([1, 2, 4, 5], Matching("""{"must": [{"key": "color", "match": {"any": ["red", "green"]}}]}""", Cars));
        Assert.Equal([3, 6], Matching("""{"must": [{"key": "color", "match": {"except": ["red", "green"]}}]}""", Cars));
    }
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Node.Filters;
using AspireVector.Node.Index.Payload;
using AspireVector.Node.Points;

namespace AspireVector.Tests.Index.Payload;

/// <summary>Payload index schemas, full-text semantics, estimates and the segment filter plan.</summary>
public class PayloadIndexTests
{
    private static PayloadFieldSchema Schema(string json)
    {
        using var doc = JsonDocument.Parse(json);
        Assert.True(PayloadFieldSchema.TryParse(doc.RootElement, out var schema, out var error), error);
        return schema;
    }

    private static string SchemaError(string json)
    {
        using var doc = JsonDocument.Parse(json);
        Assert.False(PayloadFieldSchema.TryParse(doc.RootElement, out _, out var error));
        return error;
    }

    private static Filter Filter(string json)
    {
        using var doc = JsonDocument.Parse(json);
        Assert.True(FilterParser.TryParse(doc.RootElement, out var filter, out var error), error);
        return filter;
    }

    private static JsonObject[] Payloads(params string[] json) => json.Select(j => JsonNode.Parse(j)!.AsObject()).ToArray();

    private static PayloadIndexSet Indexed(JsonObject[] payloads, params (string Field, string Schema)[] fields)
    {
        var set = new PayloadIndexSet();
        foreach (var (field, schema) in fields)
            set.Create(PayloadKey.Parse(field), Schema(schema), payloads.Select((p, i) => (i, (JsonObject?)p)));
        return set;
    }

    private static string Info(PayloadIndexSet set)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream)) set.WriteSchema(writer);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public void Schema_info_matches_qdrant_payload_schema()
    {
        var payloads = Payloads("""{"city": "London", "n": 1}""", """{"city": ["Berlin", "Paris"]}""", """{"n": 2.5}""");
        var set = Indexed(payloads, ("city", "\"keyword\""), ("n", """{"type": "integer", "lookup": false}"""));
        Assert.Equal("""{"city":{"data_type":"keyword","points":2},"n":{"data_type":"integer","params":{"type":"integer","lookup":false},"points":1}}""", Info(set));
    }

    [Theory]
    [InlineData("\"keywords\"", "unknown payload schema type \"keywords\"")]
    [InlineData("5", "expected a type name or a params object")]
    [InlineData("""{"type": "text", "tokenizer": "camel"}""", "field_schema.tokenizer: expected one of")]
    [InlineData("""{"type": "keyword", "lowercase": true}""", "unknown field `lowercase` for a keyword index")]
    [InlineData("""{"type": "integer", "lookup": false, "range": false}""", "at least one of `lookup` or `range`")]
    [InlineData("""{"tokenizer": "word"}""", "field_schema.type: missing or unknown index type")]
    public void Bad_schemas_are_reported(string json, string expected) => Assert.Contains(expected, SchemaError(json));

    [Fact]
    public void Recreating_with_same_schema_keeps_index_and_drop_removes_it()
    {
        var payloads = Payloads("""{"a": "x"}""");
        var set = Indexed(payloads, ("a", "\"keyword\""));
        Assert.True(set.TryGet(PayloadKey.Parse("a"), out var first));
        var again = set.Create(PayloadKey.Parse("a"), Schema("""{"type": "keyword"}"""), []);
        Assert.Same(first, again);
        Assert.True(set.Drop("a"));
        Assert.False(set.TryGet(PayloadKey.Parse("a"), out _));
        Assert.Equal("{}", Info(set));
    }

    [Fact]
    public void Text_index_changes_match_text_to_tokens()
    {
        var payloads = Payloads("""{"t": "The Quick brown-fox"}""", """{"t": "quickly browsing"}""");
        var set = Indexed(payloads, ("t", "\"text\""));
        var text = Filter("""{"must": [{"key": "t", "match": {"text": "fox quick"}}]}""");
        // Without the index: substring; with it: every token present, in any order, lower-cased.
        Assert.False(text.Matches(PointId.FromNumber(0), payloads[0]));
        Assert.True(text.Matches(PointId.FromNumber(0), payloads[0], set));
        var substring = Filter("""{"must": [{"key": "t", "match": {"text": "quick"}}]}""");
        Assert.True(substring.Matches(PointId.FromNumber(1), payloads[1]));
        Assert.False(substring.Matches(PointId.FromNumber(1), payloads[1], set));
        var phrase = Filter("""{"must": [{"key": "t", "match": {"phrase": "brown fox"}}]}""");
        Assert.True(phrase.Matches(PointId.FromNumber(0), payloads[0], set));
        var wrongOrder = Filter("""{"must": [{"key": "t", "match": {"phrase": "fox brown"}}]}""");
        Assert.False(wrongOrder.Matches(PointId.FromNumber(0), payloads[0], set));
        var plan = FilterPlanner.Plan(text, set, o => (PointId.FromNumber((ulong)o), payloads[o]), payloads.Length);
        Assert.Equal([0], plan.Candidates!);
    }

    [Fact]
    public void Prefix_tokenizer_matches_word_prefixes()
    {
        var payloads = Payloads("""{"t": "Hello world"}""");
        var set = Indexed(payloads, ("t", """{"type": "text", "tokenizer": "prefix", "min_token_len": 2, "max_token_len": 5}"""));
        Assert.True(Filter("""{"must": [{"key": "t", "match": {"text": "hel wor"}}]}""").Matches(PointId.FromNumber(0), payloads[0], set));
        Assert.False(Filter("""{"must": [{"key": "t", "match": {"text": "h"}}]}""").Matches(PointId.FromNumber(0), payloads[0], set));
    }

    [Fact]
    public void Plan_estimates_and_enumerates_selective_filters()
    {
        var payloads = Enumerable.Range(0, 100).Select(i => JsonNode.Parse($$"""{"group": "g{{i % 10}}", "n": {{i}}}""")!.AsObject()).ToArray();
        var set = Indexed(payloads, ("group", "\"keyword\""), ("n", "\"integer\""));
        (PointId, JsonObject?) Lookup(int o) => (PointId.FromNumber((ulong)o), payloads[o]);

        var selective = FilterPlanner.Plan(Filter("""{"must": [{"key": "group", "match": {"value": "g3"}}, {"key": "n", "range": {"lt": 50}}]}"""), set, Lookup, 100);
        Assert.Equal([3, 13, 23, 33, 43], selective.Candidates!);
        Assert.InRange(selective.EstimatedMatches!.Value, 1, 10);

        var negated = FilterPlanner.Plan(Filter("""{"must_not": [{"key": "group", "match": {"value": "g3"}}]}"""), set, Lookup, 100);
        Assert.Equal(90, negated.EstimatedMatches);
        Assert.Null(negated.Candidates);

        var unindexed = FilterPlanner.Plan(Filter("""{"must": [{"key": "other", "match": {"value": 1}}]}"""), set, Lookup, 100);
        Assert.Null(unindexed.EstimatedMatches);
        Assert.Null(unindexed.Candidates);
        Assert.False(unindexed.Matches(0));

        var either = FilterPlanner.Plan(Filter("""{"should": [{"key": "n", "match": {"value": 7}}, {"has_id": [42, 1000]}]}"""), set, Lookup, 100,
            id => id.Number < 100 ? (int)id.Number : null);
        Assert.Equal([7, 42], either.Candidates!);
    }

    [Fact]
    public void Estimates_combine_like_qdrant()
    {
        var a = new CardinalityEstimate(10, 20, 30);
        var b = new CardinalityEstimate(50, 50, 50);
        Assert.Equal(new CardinalityEstimate(0, 10, 30), CardinalityEstimate.All([a, b], 100));
        Assert.Equal(new CardinalityEstimate(50, 60, 80), CardinalityEstimate.Any([a, b], 100));
        Assert.Equal(new CardinalityEstimate(70, 80, 90), a.Invert(100));
    }
    [Fact]
    public void Collection_schema_sums_points_over_segments_and_definitions_round_trip()
    {
        var first = Indexed(Payloads("""{"a": "x"}""", """{"a": "y"}"""), ("a", "\"keyword\""), ("t", """{"type": "text", "lowercase": false}"""));
        var second = Indexed(Payloads("""{"a": "z", "t": "hello"}"""), ("a", "\"keyword\""), ("t", """{"type": "text", "lowercase": false}"""));
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream)) PayloadIndexSet.WriteSchema(writer, [first, second]);
        Assert.Equal("""{"a":{"data_type":"keyword","points":3},"t":{"data_type":"text","params":{"type":"text","lowercase":false},"points":1}}""",
            Encoding.UTF8.GetString(stream.ToArray()));

        Assert.True(first.TryGet(PayloadKey.Parse("t"), out var text));
        using var definition = new MemoryStream();
        using (var writer = new Utf8JsonWriter(definition)) text.Schema.WriteDefinition(writer);
        Assert.True(Schema(Encoding.UTF8.GetString(definition.ToArray())).SameAs(text.Schema));
    }
}

using System.Text.Json.Nodes;
using AspireVector.Node.Filters;
using AspireVector.Node.Index.Payload;

namespace AspireVector.Tests.Filters;

/// <summary>How payload numbers, datetimes and keys are read, for parsed and for programmatically built nodes.</summary>
public class PayloadValueTests
{
    [Theory]
    [InlineData("5", true, 5)]
    [InlineData("-9223372036854775808", true, long.MinValue)]
    [InlineData("9223372036854775808", false, 0)]
    [InlineData("5.0", false, 0)]
    [InlineData("5e0", false, 0)]
    [InlineData("\"5\"", false, 0)]
    public void Integers_from_parsed_json(string json, bool isInteger, long value)
    {
        Assert.Equal(isInteger, PayloadValue.TryGetInteger(JsonNode.Parse(json), out var actual));
        if (isInteger) Assert.Equal(value, actual);
    }

    [Fact]
    public void Numbers_from_built_nodes()
    {
        Assert.True(PayloadValue.TryGetInteger(JsonValue.Create(7), out var i) && i == 7);
        Assert.True(PayloadValue.TryGetInteger(JsonValue.Create(7L), out i) && i == 7);
        Assert.False(PayloadValue.TryGetInteger(JsonValue.Create(7.0), out _));
        Assert.True(PayloadValue.TryGetDouble(JsonValue.Create(7), out var d) && d == 7);
        Assert.True(PayloadValue.TryGetDouble(JsonValue.Create(2.5f), out d) && d == 2.5);
        Assert.False(PayloadValue.TryGetDouble(JsonValue.Create("7"), out _));
        Assert.True(PayloadValue.TryGetBool(JsonValue.Create(false), out var b) && !b);
    }

    [Theory]
    [InlineData("2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z")]
    [InlineData("2020-01-01T01:30:00+01:30", "2020-01-01T00:00:00Z")]
    [InlineData("2020-01-01T01:30:00+0130", "2020-01-01T00:00:00Z")]
    [InlineData("2019-12-31T23:00:00.000000001-01:00", "2020-01-01T00:00:00Z")]
    [InlineData("2020-01-01 00:00:00", "2020-01-01T00:00:00Z")]
    [InlineData("2020-01-01T00:00:00.5", "2020-01-01T00:00:00.5Z")]
    [InlineData("2020-01-01 00:00", "2020-01-01T00:00:00Z")]
    [InlineData("2020-01-01", "2020-01-01T00:00:00Z")]
    public void Datetimes_are_instants(string text, string utc)
    {
        Assert.True(DatetimeParser.TryParseUtcTicks(text, out var ticks));
        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture).UtcTicks, ticks);
    }

    [Theory]
    [InlineData("2020-13-01")]
    [InlineData("yesterday")]
    [InlineData("2020-01-01T25:00:00Z")]
    [InlineData("")]
    public void Non_datetimes_are_rejected(string text) => Assert.False(DatetimeParser.TryParseUtcTicks(text, out _));

    [Fact]
    public void Single_valued_keys_read_without_lists()
    {
        var payload = JsonNode.Parse("""{"a": {"b": [10, {"c": null}]}}""")!.AsObject();
        Assert.True(PayloadKey.Parse("a.b[0]").TryGetSingle(payload, out var v) && v!.GetValue<int>() == 10);
        Assert.True(PayloadKey.Parse("a.b[1].c").TryGetSingle(payload, out v) && v is null);
        Assert.False(PayloadKey.Parse("a.b[2]").TryGetSingle(payload, out _));
        Assert.False(PayloadKey.Parse("a.x").TryGetSingle(payload, out _));
        Assert.False(PayloadKey.Parse("a.b[]").IsSingleValued);
    }

    [Fact]
    public void Schema_is_inferred_from_the_first_typed_value()
    {
        var payloads = new[] { JsonNode.Parse("""{"x": null, "y": true}""")!.AsObject(), JsonNode.Parse("""{"x": [1.5, 2], "g": {"lon": 1, "lat": 2}}""")!.AsObject() };
        Assert.Equal(PayloadSchemaType.Float, PayloadFieldSchema.Infer(payloads, PayloadKey.Parse("x"))!.Type);
        Assert.Equal(PayloadSchemaType.Geo, PayloadFieldSchema.Infer(payloads, PayloadKey.Parse("g"))!.Type);
        Assert.Null(PayloadFieldSchema.Infer(payloads, PayloadKey.Parse("y")));
    }

    [Fact]
    public void Materialized_payloads_evaluate_concurrently()
    {
        var payload = JsonNode.Parse("""{"tags": ["a", "b"], "n": {"m": 3}}""")!.AsObject();
        PayloadValue.Materialize(payload);
        var filter = FilterTestData.ParseFilter("""{"must": [{"key": "tags", "match": {"value": "b"}}, {"key": "n.m", "range": {"gte": 3}}]}""");
        var results = new bool[64];
        Parallel.For(0, results.Length, i => results[i] = filter.Matches(Node.Points.PointId.FromNumber(1), payload));
        Assert.All(results, Assert.True);
    }
}

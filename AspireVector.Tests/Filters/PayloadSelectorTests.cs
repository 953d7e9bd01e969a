using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Node.Filters;

namespace AspireVector.Tests.Filters;

/// <summary><c>with_payload</c> forms and what each shows of a stored payload.</summary>
public class PayloadSelectorTests
{
    private static readonly JsonObject Stored = JsonNode.Parse("""{"city": "Berlin", "geo": {"lon": 13.4, "lat": 52.5}, "tags": [{"k": 1, "v": 2}]}""")!.AsObject();

    private static string? Shown(string withPayload, PayloadSelector? absent = null)
    {
        using var doc = JsonDocument.Parse(withPayload);
        Assert.True(PayloadSelector.TryParse(doc.RootElement, absent ?? PayloadSelector.None, out var selector, out var error), error);
        return selector.Apply(Stored)?.ToJsonString();
    }

    [Theory]
    [InlineData("true", """{"city":"Berlin","geo":{"lon":13.4,"lat":52.5},"tags":[{"k":1,"v":2}]}""")]
    [InlineData("false", null)]
    [InlineData("null", null)]
    [InlineData("""["city", "geo.lat"]""", """{"city":"Berlin","geo":{"lat":52.5}}""")]
    [InlineData("""{"include": ["tags[].k"]}""", """{"tags":[{"k":1}]}""")]
    [InlineData("""{"exclude": ["geo", "tags[].v"]}""", """{"city":"Berlin","tags":[{"k":1}]}""")]
    [InlineData("[]", "{}")]
    public void Selects_as_qdrant(string withPayload, string? expected) => Assert.Equal(expected, Shown(withPayload));

    [Fact]
    public void Absent_value_uses_the_endpoint_default()
    {
        Assert.True(PayloadSelector.TryParse(default, PayloadSelector.All, out var selector, out _));
        Assert.Same(Stored, selector.Apply(Stored));
        Assert.Equal("{}", selector.Apply(null)!.ToJsonString());
    }

    [Theory]
    [InlineData("5", "with_payload: expected a boolean")]
    [InlineData("""{"include": ["a"], "exclude": ["b"]}""", "expected {\"include\": [...]} or {\"exclude\": [...]}")]
    [InlineData("""{"include": "a"}""", "with_payload.include: expected a list")]
    [InlineData("""["a", 3]""", "with_payload[1]: expected a payload key string")]
    [InlineData("""{"exclude": ["a..b"]}""", "with_payload.exclude[0]: Invalid json path")]
    public void Bad_selectors_are_reported(string json, string expected)
    {
        using var doc = JsonDocument.Parse(json);
        Assert.False(PayloadSelector.TryParse(doc.RootElement, PayloadSelector.None, out _, out var error));
        Assert.Contains(expected, error);
    }
}

using System.Text.Json.Nodes;
using AspireVector.Node.Filters;
using static AspireVector.Tests.Filters.FilterTestData;

namespace AspireVector.Tests.Filters;

/// <summary>Key paths: parsing, selection, set_payload with a key, delete_payload and with_payload projections.</summary>
public class PayloadKeyTests
{
    private const string Nested = """
        {"a": {"b": [{"c": 1}, {"c": 2}, {"d": {"e": 3}}]}, "f": 3, "g": ["g0", "g1", "g2"]}
        """;

    private static string Json(JsonNode? node) => node?.ToJsonString() ?? "null";

    private static string Selected(string key, string payload) =>
        "[" + string.Join(",", PayloadKey.Parse(key).Select(Payload(payload)).Select(Json)) + "]";

    [Theory]
    [InlineData("foo", "foo")]
    [InlineData("foo[1][50].bar-baz[].\"qux[.]quux\"", "foo[1][50].bar-baz[].\"qux[.]quux\"")]
    [InlineData("\"a b\".c", "\"a b\".c")]
    [InlineData("Müesli.x", "Müesli.x")]
    public void Parses_and_prints_paths(string text, string printed) =>
        Assert.Equal(printed, PayloadKey.Parse(text).ToString());

    [Theory]
    [InlineData("")]
    [InlineData("[0]")]
    [InlineData("a.")]
    [InlineData("a[x]")]
    [InlineData("a b")]
    [InlineData("a[")]
    [InlineData("\"a")]
    public void Rejects_invalid_paths(string text) =>
        Assert.False(PayloadKey.TryParse(text, out _, out _));

    [Theory]
    [InlineData("a.b", """[[{"c":1},{"c":2},{"d":{"e":3}}]]""")]
    [InlineData("a.b[].c", "[1,2]")]
    [InlineData("a.b[].d", """[{"e":3}]""")]
    [InlineData("a.b[1].c", "[2]")]
    [InlineData("a.b[3]", "[]")]
    [InlineData("g[2]", "[\"g2\"]")]
    [InlineData("a.b.c", "[]")]
    [InlineData("f.x", "[]")]
    public void Selects_values(string key, string expected) => Assert.Equal(expected, Selected(key, Nested));

    [Fact]
    public void Select_keeps_nulls_and_inner_arrays()
    {
        const string payload = """{"a": null, "b": [null, null], "c": [], "arr": [{"a": [1, 2, 3]}, {"a": 4}, {"b": 5}]}""";
        Assert.Equal("[null]", Selected("a", payload));
        Assert.Equal("[]", Selected("a[]", payload));
        Assert.Equal("[null,null]", Selected("b[]", payload));
        Assert.Equal("[[]]", Selected("c", payload));
        Assert.Equal("[]", Selected("c[]", payload));
        Assert.Equal("[]", Selected("d", payload));
        Assert.Equal("[[1,2,3],4]", Selected("arr[].a", payload));
        Assert.Equal("[1,2,3]", Selected("arr[].a[]", payload));
    }

    [Theory]
    [InlineData(null, """{"c": 5}""", """{"a":{"b":[{"c":1},{"c":2},{"d":{"e":3}}]},"f":3,"g":["g0","g1","g2"],"c":5}""")]
    [InlineData("a", """{"b": 5}""", """{"a":{"b":5},"f":3,"g":["g0","g1","g2"]}""")]
    [InlineData("a.b[1]", """{"c": 5}""", """{"a":{"b":[{"c":1},{"c":5},{"d":{"e":3}}]},"f":3,"g":["g0","g1","g2"]}""")]
    [InlineData("a.b[]", """{"x": 0}""", """{"a":{"b":[{"c":1,"x":0},{"c":2,"x":0},{"d":{"e":3},"x":0}]},"f":3,"g":["g0","g1","g2"]}""")]
    [InlineData("f.g.h", """{"x": 1}""", """{"a":{"b":[{"c":1},{"c":2},{"d":{"e":3}}]},"f":{"g":{"h":{"x":1}}},"g":["g0","g1","g2"]}""")]
    [InlineData(null, """{"f": null}""", """{"a":{"b":[{"c":1},{"c":2},{"d":{"e":3}}]},"g":["g0","g1","g2"]}""")]
    public void Set_merges_at_key(string? key, string values, string expected)
    {
        var payload = Payload(Nested);
        PayloadKey.Set(payload, Payload(values), key is null ? null : PayloadKey.Parse(key));
        Assert.Equal(expected, payload.ToJsonString());
    }

    [Fact]
    public void Set_into_missing_arrays_creates_empty_arrays()
    {
        var payload = new JsonObject();
        PayloadKey.Set(payload, Payload("""{"c": 1}"""), PayloadKey.Parse("key1.key2[3]"));
        Assert.Equal("""{"key1":{"key2":[]}}""", payload.ToJsonString());
        payload = new JsonObject();
        PayloadKey.Set(payload, Payload("""{"c": 1}"""), PayloadKey.Parse("key1.key2[].key3"));
        Assert.Equal("""{"key1":{"key2":[]}}""", payload.ToJsonString());
    }

    [Fact]
    public void Remove_follows_qdrant()
    {
        var payload = Payload("""{"a": 1, "b": {"c": 123, "e": {"f": [1, 2, 3], "g": 7, "i": [{"j": 1, "k": 2}, {"j": 3, "k": 4}]}}}""");
        string Removed(string key) => "[" + string.Join(",", PayloadKey.Parse(key).Remove(payload).Select(Json)) + "]";
        Assert.Equal("[123]", Removed("b.c"));
        Assert.Equal("[1]", Removed("b.e.i[0].j"));
        Assert.Equal("[2,4]", Removed("b.e.i[].k"));
        Assert.Equal("[]", Removed("b.e.f[0]"));
        Assert.Equal("""[[{},{"j":3}]]""", Removed("b.e.i[]"));
        Assert.Equal("[[]]", Removed("b.e.i"));
        Assert.Equal("[]", Removed("missing"));
        Assert.Equal("[1]", Removed("a"));
        Assert.Equal("""{"b":{"e":{"f":[1,2,3],"g":7}}}""", payload.ToJsonString());
    }

    [Fact]
    public void Include_projection_keeps_paths_and_their_subtrees()
    {
        var payload = Payload(Nested);
        Assert.Equal("""{"a":{"b":[{"c":1},{"c":2},{}]}}""",
            PayloadProjection.Include(payload, [PayloadKey.Parse("a.b[].c")]).ToJsonString());
        Assert.Equal("""{"a":{"b":[{"c":1},{"c":2},{"d":{"e":3}}]},"f":3}""",
            PayloadProjection.Include(payload, [PayloadKey.Parse("a"), PayloadKey.Parse("f")]).ToJsonString());
        Assert.Equal("{}", PayloadProjection.Include(payload, [PayloadKey.Parse("zzz")]).ToJsonString());
    }

    [Fact]
    public void Exclude_projection_drops_subtrees()
    {
        var payload = Payload(Nested);
        Assert.Equal("""{"a":{"b":[{},{},{"d":{"e":3}}]},"f":3,"g":["g0","g1","g2"]}""",
            PayloadProjection.Exclude(payload, [PayloadKey.Parse("a.b[].c")]).ToJsonString());
        Assert.Equal("""{"f":3}""",
            PayloadProjection.Exclude(payload, [PayloadKey.Parse("a"), PayloadKey.Parse("g")]).ToJsonString());
        // Projections copy: the stored payload is untouched.
        Assert.Equal(Payload(Nested).ToJsonString(), payload.ToJsonString());
    }

    [Theory]
    [InlineData("a", "a", true)]
    [InlineData("a", "b", false)]
    [InlineData("a.b", "a", true)]
    [InlineData("a.b", "a.b.c", true)]
    [InlineData("a.b", "a.c", false)]
    [InlineData("a[0].b", "a[].b", true)]
    [InlineData("a[0]", "a[1]", false)]
    [InlineData("a[0]", "a.b", true)]
    public void Overlaps_detects_paths_that_affect_each_other(string a, string b, bool expected) =>
        Assert.Equal(expected, PayloadKey.Parse(a).Overlaps(PayloadKey.Parse(b)));
}

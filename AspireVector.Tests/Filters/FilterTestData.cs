using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Node.Filters;
using AspireVector.Node.Points;

namespace AspireVector.Tests.Filters;

/// <summary>Helpers shared by the filter tests: parse a filter literal and evaluate it over payload literals.</summary>
internal static class FilterTestData
{
    public static Filter ParseFilter(string json)
    {
        using var doc = JsonDocument.Parse(json);
        Assert.True(FilterParser.TryParse(doc.RootElement, out var filter, out var error), error);
        return filter!;
    }

    public static string ParseError(string json)
    {
        using var doc = JsonDocument.Parse(json);
        Assert.False(FilterParser.TryParse(doc.RootElement, out _, out var error));
        return error!;
    }

    public static JsonObject Payload(string json) => JsonNode.Parse(json)!.AsObject();

    /// <summary>The ids (1-based positions) of the payloads the filter keeps.</summary>
    public static int[] Matching(string filterJson, params string[] payloads)
    {
        var filter = ParseFilter(filterJson);
        var result = new List<int>();
        for (var i = 0; i < payloads.Length; i++)
            if (filter.Matches(PointId.FromNumber((ulong)(i + 1)), Payload(payloads[i]))) result.Add(i + 1);
        return result.ToArray();
    }

    public static bool Check(string filterJson, string payload, ulong id = 1) =>
        ParseFilter(filterJson).Matches(PointId.FromNumber(id), Payload(payload));
}

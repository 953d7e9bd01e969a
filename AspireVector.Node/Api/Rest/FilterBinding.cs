using System.Text.Json;
using AspireVector.Node.Collections;
using AspireVector.Node.Filters;

namespace AspireVector.Node.Api.Rest;

/// <summary>
/// The single place where a request's <c>filter</c> JSON becomes a <see cref="PointPredicate"/>. The filter
/// language itself belongs to the Filters area (<see cref="FilterParser"/>).
/// </summary>
public static class FilterBinding
{
    /// <summary>Reads the optional <c>filter</c> property of <paramref name="body"/>; null when absent or null.</summary>
    public static QueryFilter? Read(JsonElement body, string property = "filter")
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty(property, out var json) || json.ValueKind == JsonValueKind.Null)
            return null;
        if (json.ValueKind != JsonValueKind.Object)
            throw CollectionException.BadJson($"invalid type for `{property}`: expected a filter object, got {json.GetRawText()}");
        return Parse(json);
    }

    private static QueryFilter Parse(JsonElement json) => QueryFilter.Parse(json);
}

using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using AspireVector.Node.Points;

namespace AspireVector.Node.Filters;

/// <summary>
/// Reads Qdrant's filter JSON (<c>must</c>, <c>should</c>, <c>must_not</c> — each one condition or an array —
/// and <c>min_should</c>) into a <see cref="Filter"/>. Bad input yields a message naming the place
/// (<c>filter.must[1].range.gt</c>) and the problem; it never throws.
/// </summary>
public static partial class FilterParser
{
    /// <summary>How deeply filters may nest (filters inside conditions inside filters), against stack exhaustion.</summary>
    public const int MaxDepth = 32;

    private static readonly string[] FilterFields = ["should", "min_should", "must", "must_not"];

    /// <summary>Parses a filter; false with a Qdrant-style message when the JSON is not a valid filter.</summary>
    public static bool TryParse(JsonElement json, [NotNullWhen(true)] out Filter? filter, [NotNullWhen(false)] out string? error)
    {
        try
        {
            filter = ParseFilter(json, "filter", 0);
            error = null;
            return true;
        }
        catch (FilterFormatException e)
        {
            filter = null;
            error = e.Message;
            return false;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException)
        {
            // JsonElement accessors throw these on a kind we failed to check; report instead of failing the request.
            filter = null;
            error = $"Format error in filter: {e.Message}";
            return false;
        }
    }

    private static Filter ParseFilter(JsonElement json, string path, int depth)
    {
        if (depth > MaxDepth) throw Error(path, $"filter nesting is deeper than {MaxDepth} levels");
        if (json.ValueKind != JsonValueKind.Object) throw Error(path, $"expected a filter object, got {Describe(json)}");
        IReadOnlyList<Condition>? must = null, should = null, mustNot = null;
        MinShould? minShould = null;
        foreach (var property in json.EnumerateObject())
        {
            var p = $"{path}.{property.Name}";
            switch (property.Name)
            {
                case "must": must = ParseClause(property.Value, p, depth); break;
                case "should": should = ParseClause(property.Value, p, depth); break;
                case "must_not": mustNot = ParseClause(property.Value, p, depth); break;
                case "min_should": minShould = ParseMinShould(property.Value, p, depth); break;
                default:
                    throw Error(path, $"unknown field `{property.Name}`, expected one of `should`, `min_should`, `must`, `must_not`");
            }
        }
        return new Filter(must, should, mustNot, minShould);
    }

    private static IReadOnlyList<Condition>? ParseClause(JsonElement json, string path, int depth)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Array:
                var list = new List<Condition>(json.GetArrayLength());
                var i = 0;
                foreach (var item in json.EnumerateArray()) list.Add(ParseCondition(item, $"{path}[{i++}]", depth));
                return list;
            case JsonValueKind.Object:
                return [ParseCondition(json, path, depth)];
            default:
                throw Error(path, $"expected a condition or an array of conditions, got {Describe(json)}");
        }
    }

    private static MinShould? ParseMinShould(JsonElement json, string path, int depth)
    {
        if (json.ValueKind == JsonValueKind.Null) return null;
        if (json.ValueKind != JsonValueKind.Object) throw Error(path, $"expected an object with `conditions` and `min_count`, got {Describe(json)}");
        if (!json.TryGetProperty("conditions", out var conditions) || conditions.ValueKind != JsonValueKind.Array)
            throw Error(path, "missing field `conditions` (an array of conditions)");
        if (!json.TryGetProperty("min_count", out var minCount))
            throw Error(path, "missing field `min_count`");
        if (minCount.ValueKind != JsonValueKind.Number || !minCount.TryGetInt32(out var count) || count < 0)
            throw Error($"{path}.min_count", $"expected a non-negative integer, got {Describe(minCount)}");
        var list = new List<Condition>(conditions.GetArrayLength());
        var i = 0;
        foreach (var item in conditions.EnumerateArray()) list.Add(ParseCondition(item, $"{path}.conditions[{i++}]", depth));
        return new MinShould(list, count);
    }

    private static Condition ParseCondition(JsonElement json, string path, int depth)
    {
        if (json.ValueKind != JsonValueKind.Object) throw Error(path, $"expected a condition object, got {Describe(json)}");
        if (json.TryGetProperty("key", out _)) return ParseFieldCondition(json, path);
        if (json.TryGetProperty("is_empty", out var isEmpty)) return new IsEmptyCondition(ParsePayloadField(isEmpty, $"{path}.is_empty"));
        if (json.TryGetProperty("is_null", out var isNull)) return new IsNullCondition(ParsePayloadField(isNull, $"{path}.is_null"));
        if (json.TryGetProperty("has_id", out var hasId)) return ParseHasId(hasId, $"{path}.has_id");
        if (json.TryGetProperty("nested", out var nested)) return ParseNested(nested, $"{path}.nested", depth);
        if (json.TryGetProperty("has_vector", out var hasVector))
        {
            if (hasVector.ValueKind != JsonValueKind.String) throw Error($"{path}.has_vector", $"expected a vector name string, got {Describe(hasVector)}");
            return new HasVectorCondition(hasVector.GetString()!);
        }
        foreach (var property in json.EnumerateObject())
        {
            if (Array.IndexOf(FilterFields, property.Name) < 0)
                throw Error(path, $"unknown condition with field `{property.Name}`: expected a field condition "
                    + "({\"key\": ..., \"match\": ...}), `is_empty`, `is_null`, `has_id`, `has_vector`, `nested` or a nested filter "
                    + "(`must`, `should`, `must_not`, `min_should`)");
        }
        return new FilterCondition(ParseFilter(json, path, depth + 1));
    }

    private static PayloadKey ParsePayloadField(JsonElement json, string path)
    {
        if (json.ValueKind != JsonValueKind.Object) throw Error(path, $"expected {{\"key\": \"<field>\"}}, got {Describe(json)}");
        if (!json.TryGetProperty("key", out var key)) throw Error(path, "missing field `key`");
        return ParseKey(key, $"{path}.key");
    }

    private static PayloadKey ParseKey(JsonElement json, string path)
    {
        if (json.ValueKind != JsonValueKind.String) throw Error(path, $"expected a payload key string, got {Describe(json)}");
        if (!PayloadKey.TryParse(json.GetString(), out var key, out var error)) throw Error(path, error);
        return key;
    }

    private static HasIdCondition ParseHasId(JsonElement json, string path)
    {
        if (json.ValueKind != JsonValueKind.Array) throw Error(path, $"expected an array of point ids, got {Describe(json)}");
        var ids = new HashSet<PointId>();
        var i = 0;
        foreach (var item in json.EnumerateArray())
        {
            if (!PointId.TryParse(item, out var id, out var error)) throw Error($"{path}[{i}]", error);
            ids.Add(id);
            i++;
        }
        return new HasIdCondition(ids);
    }

    private static NestedCondition ParseNested(JsonElement json, string path, int depth)
    {
        if (json.ValueKind != JsonValueKind.Object) throw Error(path, $"expected {{\"key\": ..., \"filter\": ...}}, got {Describe(json)}");
        if (!json.TryGetProperty("key", out var key)) throw Error(path, "missing field `key`");
        if (!json.TryGetProperty("filter", out var filter)) throw Error(path, "missing field `filter`");
        return new NestedCondition(ParseKey(key, $"{path}.key"), ParseFilter(filter, $"{path}.filter", depth + 1));
    }

    private static FilterFormatException Error(string path, string message) => new($"{path}: {message}");

    private static string Describe(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string {json.GetRawText()}",
        JsonValueKind.Number => $"the number {json.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {json.GetRawText()}",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private sealed class FilterFormatException(string message) : Exception(message);
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace AspireVector.Node.Collections;

/// <summary>
/// The payload keys a filter's field conditions name, with the index types that could serve each (Qdrant's
/// "one unindexed key" check of strict mode). Conditions that need no payload index (has_id, has_vector, is_empty,
/// is_null, values_count) are not listed.
/// </summary>
public static class FilterKeys
{
    private static readonly string[] Clauses = ["must", "should", "must_not"];

    /// <summary>The first key of <paramref name="filter"/> without a fitting index in <paramref name="schema"/>, or null.</summary>
    public static (string Key, string[] Types)? FirstUnindexed(JsonElement filter, JsonObject schema) => Walk(filter, "", schema);

    private static (string Key, string[] Types)? Walk(JsonElement filter, string prefix, JsonObject schema)
    {
        if (filter.ValueKind != JsonValueKind.Object) return null;
        foreach (var clause in Clauses)
        {
            if (!filter.TryGetProperty(clause, out var conditions)) continue;
            if (conditions.ValueKind == JsonValueKind.Object && Condition(conditions, prefix, schema) is { } single) return single;
            if (conditions.ValueKind != JsonValueKind.Array) continue;
            foreach (var condition in conditions.EnumerateArray())
            {
                if (Condition(condition, prefix, schema) is { } found) return found;
            }
        }

        if (filter.TryGetProperty("min_should", out var minShould) && minShould.ValueKind == JsonValueKind.Object &&
            minShould.TryGetProperty("conditions", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var condition in list.EnumerateArray())
            {
                if (Condition(condition, prefix, schema) is { } found) return found;
            }
        }

        return null;
    }

    private static (string Key, string[] Types)? Condition(JsonElement condition, string prefix, JsonObject schema)
    {
        if (condition.ValueKind != JsonValueKind.Object) return null;
        if (condition.TryGetProperty("nested", out var nested) && nested.ValueKind == JsonValueKind.Object &&
            nested.TryGetProperty("key", out var nestedKey) && nestedKey.ValueKind == JsonValueKind.String && nested.TryGetProperty("filter", out var inner))
            return Walk(inner, prefix + nestedKey.GetString() + "[].", schema);
        if (!condition.TryGetProperty("key", out var keyJson) || keyJson.ValueKind != JsonValueKind.String)
            return Clauses.Any(c => condition.TryGetProperty(c, out _)) ? Walk(condition, prefix, schema) : null;
        string[]? types = Types(condition);
        if (types is null) return null;
        string key = prefix + keyJson.GetString();
        string? indexed = schema[key] is JsonObject entry && entry["data_type"] is JsonValue t ? t.GetValue<string>() : null;
        return indexed is not null && Array.IndexOf(types, indexed) >= 0 ? null : (key, types);
    }

    /// <summary>The index types that can answer a field condition, in Qdrant's sorted order; null when it needs none.</summary>
    private static string[]? Types(JsonElement condition)
    {
        if (condition.TryGetProperty("match", out var match) && match.ValueKind == JsonValueKind.Object)
        {
            if (match.TryGetProperty("text", out _) || match.TryGetProperty("phrase", out _)) return ["text"];
            JsonElement sample = default;
            if (match.TryGetProperty("value", out var value)) sample = value;
            else if (match.TryGetProperty("any", out var any) && any.ValueKind == JsonValueKind.Array && any.GetArrayLength() > 0) sample = any[0];
            else if (match.TryGetProperty("except", out var except) && except.ValueKind == JsonValueKind.Array && except.GetArrayLength() > 0) sample = except[0];
            return sample.ValueKind switch
            {
                JsonValueKind.String => ["keyword", "uuid"],
                JsonValueKind.Number => ["integer"],
                JsonValueKind.True or JsonValueKind.False => ["bool"],
                _ => ["integer", "keyword", "uuid"],
            };
        }

        if (condition.TryGetProperty("range", out var range))
        {
            bool datetime = range.ValueKind == JsonValueKind.Object && range.EnumerateObject().Any(p => p.Value.ValueKind == JsonValueKind.String);
            return datetime ? ["datetime"] : ["float", "integer"];
        }

        if (condition.TryGetProperty("geo_bounding_box", out _) || condition.TryGetProperty("geo_radius", out _) || condition.TryGetProperty("geo_polygon", out _))
            return ["geo"];
        return null;
    }
}

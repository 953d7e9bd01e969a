using System.Text.Json;
using AspireVector.Node.Collections;
using AspireVector.Node.Filters;

namespace AspireVector.Node.Api.Rest;

/// <summary>Reads Qdrant's <c>OrderByInterface</c>: a key, or <c>{"key", "direction", "start_from"}</c>.</summary>
public static class OrderByReader
{
    /// <summary>The optional <c>order_by</c> of a scroll request; null when absent.</summary>
    public static OrderBy? ReadOptional(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty("order_by", out var v) && v.ValueKind != JsonValueKind.Null ? Read(v, "order_by") : null;

    /// <summary>An <c>OrderByInterface</c> value at <paramref name="path"/>.</summary>
    public static OrderBy Read(JsonElement v, string path)
    {
        if (v.ValueKind == JsonValueKind.String) return new OrderBy(Key(v, path), false, null);
        if (v.ValueKind != JsonValueKind.Object || !v.TryGetProperty("key", out var key))
            throw CollectionException.BadJson($"invalid type for `{path}`: expected a payload key or an object with `key`, got {v.GetRawText()}");
        bool descending = false;
        if (v.TryGetProperty("direction", out var d) && d.ValueKind != JsonValueKind.Null)
        {
            string? direction = d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            if (direction is not ("asc" or "desc"))
                throw CollectionException.BadJson($"unknown variant `{direction ?? d.GetRawText()}`, expected `asc` or `desc` at `{path}.direction`");
            descending = direction == "desc";
        }

        double? start = null;
        if (v.TryGetProperty("start_from", out var s) && s.ValueKind != JsonValueKind.Null)
        {
            if (s.ValueKind == JsonValueKind.Number) start = s.GetDouble();
            else if (s.ValueKind == JsonValueKind.String && DatetimeParser.TryParseUtcTicks(s.GetString()!, out long ticks)) start = OrderBy.Microseconds(ticks);
            else throw CollectionException.BadJson($"invalid type for `{path}.start_from`: expected a number or a datetime, got {s.GetRawText()}");
        }

        return new OrderBy(Key(key, path + ".key"), descending, start);
    }

    private static string Key(JsonElement v, string path)
    {
        if (v.ValueKind != JsonValueKind.String) throw CollectionException.BadJson($"invalid type for `{path}`: expected a payload key string, got {v.GetRawText()}");
        string key = v.GetString()!;
        if (!PayloadKey.TryParse(key, out _, out var error)) throw CollectionException.WrongInput($"`{path}`: {error}");
        return key;
    }
}

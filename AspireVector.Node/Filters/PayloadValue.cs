using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AspireVector.Node.Filters;

/// <summary>
/// Reads payload values the way Qdrant's serde_json model sees them: a number is an integer only when its JSON
/// text is integral and fits in a signed 64-bit integer (<c>1.0</c> and <c>1e2</c> are floats); any number has a
/// double value; JSON null is a null node.
/// </summary>
public static class PayloadValue
{
    /// <summary>The JSON kind of a payload node; <see cref="JsonValueKind.Null"/> for a null node.</summary>
    public static JsonValueKind KindOf(JsonNode? node) => node is null ? JsonValueKind.Null : node.GetValueKind();

    /// <summary>True when <paramref name="node"/> is a JSON number with an integral value in the i64 range.</summary>
    public static bool TryGetInteger(JsonNode? node, out long value)
    {
        value = 0;
        if (node is not JsonValue v) return false;
        if (v.TryGetValue<JsonElement>(out var e)) return e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out value);
        if (v.TryGetValue(out value)) return true;
        if (v.TryGetValue<int>(out var i)) { value = i; return true; }
        if (v.TryGetValue<ulong>(out var u)) { value = (long)u; return u <= long.MaxValue; }
        if (v.TryGetValue<uint>(out var ui)) { value = ui; return true; }
        if (v.TryGetValue<short>(out var s)) { value = s; return true; }
        if (v.TryGetValue<ushort>(out var us)) { value = us; return true; }
        if (v.TryGetValue<byte>(out var b)) { value = b; return true; }
        if (v.TryGetValue<sbyte>(out var sb)) { value = sb; return true; }
        return false;
    }

    /// <summary>True when <paramref name="node"/> is any JSON number (integer or float), as a double.</summary>
    public static bool TryGetDouble(JsonNode? node, out double value)
    {
        value = 0;
        if (node is not JsonValue v) return false;
        if (v.TryGetValue<JsonElement>(out var e)) return e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out value);
        if (v.TryGetValue(out value)) return true;
        if (v.TryGetValue<float>(out var f)) { value = f; return true; }
        if (v.TryGetValue<decimal>(out var m)) { value = (double)m; return true; }
        if (v.TryGetValue<ulong>(out var u)) { value = u; return true; }
        if (TryGetInteger(node, out var l)) { value = l; return true; }
        return false;
    }

    /// <summary>True when <paramref name="node"/> is a JSON string.</summary>
    public static bool TryGetString(JsonNode? node, [NotNullWhen(true)] out string? value)
    {
        value = null;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.String) return false;
        value = v.GetValue<string>();
        return true;
    }

    /// <summary>True when <paramref name="node"/> is a JSON boolean.</summary>
    public static bool TryGetBool(JsonNode? node, out bool value)
    {
        value = false;
        if (node is not JsonValue v) return false;
        switch (v.GetValueKind())
        {
            case JsonValueKind.True: value = true; return true;
            case JsonValueKind.False: return true;
            default: return false;
        }
    }

    /// <summary>Reads a geo point payload value: an object with numeric <c>lon</c> and <c>lat</c>.</summary>
    public static bool TryGetGeoPoint(JsonNode? node, out GeoPoint point)
    {
        point = default;
        if (node is not JsonObject obj) return false;
        if (!obj.TryGetPropertyValue("lon", out var lon) || !TryGetDouble(lon, out var x)) return false;
        if (!obj.TryGetPropertyValue("lat", out var lat) || !TryGetDouble(lat, out var y)) return false;
        point = new GeoPoint(x, y);
        return true;
    }
}

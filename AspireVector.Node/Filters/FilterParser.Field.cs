using System.Text.Json;

namespace AspireVector.Node.Filters;

public static partial class FilterParser
{
    private static FieldCondition ParseFieldCondition(JsonElement json, string path)
    {
        var key = ParseKey(json.GetProperty("key"), $"{path}.key");
        MatchCondition? match = null;
        NumberRange? range = null;
        DatetimeRange? datetimeRange = null;
        GeoRadius? geoRadius = null;
        GeoBoundingBox? geoBoundingBox = null;
        GeoPolygon? geoPolygon = null;
        ValuesCount? valuesCount = null;
        // Unknown fields are ignored, as Qdrant's FieldCondition does; null parts count as absent.
        foreach (var property in json.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null) continue;
            var p = $"{path}.{property.Name}";
            switch (property.Name)
            {
                case "match": match = ParseMatch(property.Value, p); break;
                case "range": (range, datetimeRange) = ParseRange(property.Value, p); break;
                case "geo_radius": geoRadius = ParseGeoRadius(property.Value, p); break;
                case "geo_bounding_box": geoBoundingBox = ParseGeoBoundingBox(property.Value, p); break;
                case "geo_polygon": geoPolygon = ParseGeoPolygon(property.Value, p); break;
                case "values_count": valuesCount = ParseValuesCount(property.Value, p); break;
            }
        }
        if (match is null && range is null && datetimeRange is null && geoRadius is null && geoBoundingBox is null
            && geoPolygon is null && valuesCount is null)
            throw Error(path, "At least one field condition must be specified "
                + "(`match`, `range`, `geo_radius`, `geo_bounding_box`, `geo_polygon` or `values_count`)");
        return new FieldCondition(key, match, range, datetimeRange, geoRadius, geoBoundingBox, geoPolygon, valuesCount);
    }

    private static MatchCondition ParseMatch(JsonElement json, string path)
    {
        if (json.ValueKind != JsonValueKind.Object) throw Error(path, $"expected a match object, got {Describe(json)}");
        // The order follows Qdrant's untagged MatchInterface: the first shape that fits wins.
        if (json.TryGetProperty("value", out var value)) return ParseMatchValue(value, $"{path}.value");
        if (json.TryGetProperty("text", out var text)) return new MatchText(TextMatchKind.Text, ParseString(text, $"{path}.text"));
        if (json.TryGetProperty("text_any", out var textAny)) return new MatchText(TextMatchKind.TextAny, ParseString(textAny, $"{path}.text_any"));
        if (json.TryGetProperty("phrase", out var phrase)) return new MatchText(TextMatchKind.Phrase, ParseString(phrase, $"{path}.phrase"));
        if (json.TryGetProperty("any", out var any))
        {
            var (keywords, integers) = ParseAnyVariants(any, $"{path}.any");
            return keywords is not null ? new MatchAny(keywords) : new MatchAny(integers!);
        }
        if (json.TryGetProperty("except", out var except))
        {
            var (keywords, integers) = ParseAnyVariants(except, $"{path}.except");
            return keywords is not null ? new MatchExcept(keywords) : new MatchExcept(integers!);
        }
        throw Error(path, "unknown match condition: expected one of `value`, `text`, `text_any`, `phrase`, `any`, `except`");
    }

    private static MatchValue ParseMatchValue(JsonElement json, string path)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.String: return MatchValue.OfKeyword(json.GetString()!);
            case JsonValueKind.True: return MatchValue.OfBool(true);
            case JsonValueKind.False: return MatchValue.OfBool(false);
            case JsonValueKind.Number when json.TryGetInt64(out var integer): return MatchValue.OfInteger(integer);
            default:
                throw Error(path, $"expected a string, a 64-bit integer or a boolean, got {Describe(json)}"
                    + (json.ValueKind == JsonValueKind.Number ? " (use `range` for floating-point values)" : ""));
        }
    }

    private static (HashSet<string>? Keywords, HashSet<long>? Integers) ParseAnyVariants(JsonElement json, string path)
    {
        if (json.ValueKind != JsonValueKind.Array) throw Error(path, $"expected an array of strings or of integers, got {Describe(json)}");
        HashSet<string>? keywords = null;
        HashSet<long>? integers = null;
        var i = 0;
        foreach (var item in json.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && integers is null) (keywords ??= new HashSet<string>(StringComparer.Ordinal)).Add(item.GetString()!);
            else if (item.ValueKind == JsonValueKind.Number && keywords is null && item.TryGetInt64(out var n)) (integers ??= []).Add(n);
            else throw Error($"{path}[{i}]", $"expected all strings or all 64-bit integers, got {Describe(item)}");
            i++;
        }
        // An empty list reads as an empty keyword list, as in Qdrant.
        return integers is null ? (keywords ?? new HashSet<string>(StringComparer.Ordinal), null) : (null, integers);
    }

    private static string ParseString(JsonElement json, string path) =>
        json.ValueKind == JsonValueKind.String ? json.GetString()! : throw Error(path, $"expected a string, got {Describe(json)}");

    private static (NumberRange?, DatetimeRange?) ParseRange(JsonElement json, string path)
    {
        if (json.ValueKind != JsonValueKind.Object) throw Error(path, $"expected a range object (`gt`, `gte`, `lt`, `lte`), got {Describe(json)}");
        var anyString = false;
        var anyNumber = false;
        foreach (var bound in RangeBounds)
        {
            if (!json.TryGetProperty(bound, out var v)) continue;
            switch (v.ValueKind)
            {
                case JsonValueKind.Number: anyNumber = true; break;
                case JsonValueKind.String: anyString = true; break;
                case JsonValueKind.Null: break;
                default: throw Error($"{path}.{bound}", $"expected a number or an RFC 3339 datetime string, got {Describe(v)}");
            }
        }
        if (anyString && anyNumber) throw Error(path, "range bounds must be all numbers or all datetimes, not a mix");
        if (!anyString)
            return (new NumberRange(Number(json, "gt", path), Number(json, "gte", path), Number(json, "lt", path), Number(json, "lte", path)), null);
        return (null, new DatetimeRange(Datetime(json, "gt", path), Datetime(json, "gte", path), Datetime(json, "lt", path), Datetime(json, "lte", path)));
    }

    private static readonly string[] RangeBounds = ["gt", "gte", "lt", "lte"];

    private static double? Number(JsonElement json, string bound, string path)
    {
        if (!json.TryGetProperty(bound, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        var d = v.GetDouble();
        if (!double.IsFinite(d)) throw Error($"{path}.{bound}", $"expected a finite number, got {v.GetRawText()}");
        return d;
    }

    private static long? Datetime(JsonElement json, string bound, string path)
    {
        if (!json.TryGetProperty(bound, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        var text = v.GetString()!;
        if (!DatetimeParser.TryParseUtcTicks(text, out var ticks))
            throw Error($"{path}.{bound}", $"expected an RFC 3339 datetime such as \"2023-02-08T10:49:00Z\", got \"{text}\"");
        return ticks;
    }

    private static ValuesCount ParseValuesCount(JsonElement json, string path)
    {
        if (json.ValueKind != JsonValueKind.Object) throw Error(path, $"expected an object (`gt`, `gte`, `lt`, `lte`), got {Describe(json)}");
        long? Count(string bound)
        {
            if (!json.TryGetProperty(bound, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var n) || n < 0)
                throw Error($"{path}.{bound}", $"expected a non-negative integer, got {Describe(v)}");
            return n;
        }
        return new ValuesCount(Count("gt"), Count("gte"), Count("lt"), Count("lte"));
    }
}

using System.Globalization;
using System.Text.Json;

namespace AspireVector.Node.Filters;

public static partial class FilterParser
{
    private static GeoRadius ParseGeoRadius(JsonElement json, string path)
    {
        if (json.ValueKind != JsonValueKind.Object) throw Error(path, $"expected {{\"center\": ..., \"radius\": ...}}, got {Describe(json)}");
        if (!json.TryGetProperty("center", out var center)) throw Error(path, "missing field `center`");
        if (!json.TryGetProperty("radius", out var radius)) throw Error(path, "missing field `radius`");
        if (radius.ValueKind != JsonValueKind.Number || !double.IsFinite(radius.GetDouble()))
            throw Error($"{path}.radius", $"expected a number of metres, got {Describe(radius)}");
        return new GeoRadius(ParseGeoPoint(center, $"{path}.center"), radius.GetDouble());
    }

    private static GeoBoundingBox ParseGeoBoundingBox(JsonElement json, string path)
    {
        if (json.ValueKind != JsonValueKind.Object) throw Error(path, $"expected {{\"top_left\": ..., \"bottom_right\": ...}}, got {Describe(json)}");
        if (!json.TryGetProperty("top_left", out var topLeft)) throw Error(path, "missing field `top_left`");
        if (!json.TryGetProperty("bottom_right", out var bottomRight)) throw Error(path, "missing field `bottom_right`");
        return new GeoBoundingBox(ParseGeoPoint(topLeft, $"{path}.top_left"), ParseGeoPoint(bottomRight, $"{path}.bottom_right"));
    }

    private static GeoPolygon ParseGeoPolygon(JsonElement json, string path)
    {
        if (json.ValueKind != JsonValueKind.Object) throw Error(path, $"expected {{\"exterior\": ..., \"interiors\": ...}}, got {Describe(json)}");
        if (!json.TryGetProperty("exterior", out var exterior)) throw Error(path, "missing field `exterior`");
        var ring = ParseLineString(exterior, $"{path}.exterior");
        var holes = new List<IReadOnlyList<GeoPoint>>();
        if (json.TryGetProperty("interiors", out var interiors) && interiors.ValueKind != JsonValueKind.Null)
        {
            if (interiors.ValueKind != JsonValueKind.Array) throw Error($"{path}.interiors", $"expected an array of line strings, got {Describe(interiors)}");
            var i = 0;
            foreach (var interior in interiors.EnumerateArray()) holes.Add(ParseLineString(interior, $"{path}.interiors[{i++}]"));
        }
        return new GeoPolygon(ring, holes);
    }

    private static GeoPoint[] ParseLineString(JsonElement json, string path)
    {
        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("points", out var points) || points.ValueKind != JsonValueKind.Array)
            throw Error(path, "expected {\"points\": [{\"lon\": .., \"lat\": ..}, ...]}");
        var result = new GeoPoint[points.GetArrayLength()];
        var i = 0;
        foreach (var point in points.EnumerateArray())
        {
            result[i] = ParseGeoPoint(point, $"{path}.points[{i}]");
            i++;
        }
        if (result.Length <= 3)
            throw Error(path, $"polygon invalid, the size must be at least 4, got {result.Length.ToString(CultureInfo.InvariantCulture)}");
        if (Math.Abs(result[0].Lat - result[^1].Lat) > double.Epsilon || Math.Abs(result[0].Lon - result[^1].Lon) > double.Epsilon)
            throw Error(path, "polygon invalid, the first and the last points should be the same to form a closed line");
        return result;
    }

    private static GeoPoint ParseGeoPoint(JsonElement json, string path)
    {
        if (json.ValueKind != JsonValueKind.Object) throw Error(path, $"expected {{\"lon\": .., \"lat\": ..}}, got {Describe(json)}");
        if (!json.TryGetProperty("lon", out var lon) || lon.ValueKind != JsonValueKind.Number) throw Error(path, "missing or non-numeric field `lon`");
        if (!json.TryGetProperty("lat", out var lat) || lat.ValueKind != JsonValueKind.Number) throw Error(path, "missing or non-numeric field `lat`");
        var point = new GeoPoint(lon.GetDouble(), lat.GetDouble());
        if (!point.IsValid)
            throw Error(path, string.Create(CultureInfo.InvariantCulture,
                $"Wrong format of GeoPoint payload: expected `lat` = {point.Lat} within [-90;90] and `lon` = {point.Lon} within [-180;180]"));
        return point;
    }
}

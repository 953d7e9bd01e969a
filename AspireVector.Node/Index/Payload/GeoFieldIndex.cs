using System.Text.Json.Nodes;
using AspireVector.Node.Filters;

namespace AspireVector.Node.Index.Payload;

/// <summary>
/// A <c>geo</c> index: the points' coordinates in a flat table, so geo conditions are answered by a scan of
/// numbers instead of a payload read per point.
/// </summary>
public sealed class GeoFieldIndex : PayloadFieldIndex
{
    private readonly Dictionary<int, GeoPoint[]> _points = [];

    internal GeoFieldIndex(PayloadKey key, PayloadFieldSchema schema) : base(key, schema)
    {
    }

    private protected override void AddCore(int offset, List<JsonNode?> values)
    {
        var points = new List<GeoPoint>(values.Count);
        foreach (var value in values)
            if (PayloadValue.TryGetGeoPoint(value, out var p)) points.Add(p);
        if (points.Count > 0) _points[offset] = points.ToArray();
    }

    private protected override void RemoveCore(int offset) => _points.Remove(offset);

    private protected override int CountPoints() => _points.Count;

    private protected override IReadOnlyCollection<int>? CandidatesCore(FieldCondition condition)
    {
        Func<GeoPoint, bool>? inside = condition switch
        {
            { GeoRadius: { } radius } => radius.Contains,
            { GeoBoundingBox: { } box } => box.Contains,
            { GeoPolygon: { } polygon } => polygon.Contains,
            _ => null,
        };
        if (inside is null) return null;
        var result = new HashSet<int>();
        foreach (var (offset, points) in _points)
        {
            foreach (var p in points)
            {
                if (!inside(p)) continue;
                result.Add(offset);
                break;
            }
        }
        return result;
    }
}

namespace AspireVector.Node.Filters;

/// <summary>
/// <c>geo_polygon</c>: points in the interior of the polygon bounded by <see cref="Exterior"/> with holes
/// <see cref="Interiors"/> (planar lon/lat geometry, as Qdrant's geo crate). Points on any boundary are outside.
/// </summary>
public sealed class GeoPolygon
{
    /// <summary>Creates a polygon from closed rings (first point equals last, at least 4 points each).</summary>
    public GeoPolygon(IReadOnlyList<GeoPoint> exterior, IReadOnlyList<IReadOnlyList<GeoPoint>> interiors)
    {
        Exterior = exterior;
        Interiors = interiors;
        double minLon = double.MaxValue, minLat = double.MaxValue, maxLon = double.MinValue, maxLat = double.MinValue;
        foreach (var p in exterior)
        {
            minLon = Math.Min(minLon, p.Lon);
            maxLon = Math.Max(maxLon, p.Lon);
            minLat = Math.Min(minLat, p.Lat);
            maxLat = Math.Max(maxLat, p.Lat);
        }
        Bounds = (minLon, minLat, maxLon, maxLat);
    }

    /// <summary>The outer ring.</summary>
    public IReadOnlyList<GeoPoint> Exterior { get; }

    /// <summary>The holes.</summary>
    public IReadOnlyList<IReadOnlyList<GeoPoint>> Interiors { get; }

    /// <summary>The exterior's bounding rectangle (inclusive), used by the geo index to find candidates.</summary>
    public (double MinLon, double MinLat, double MaxLon, double MaxLat) Bounds { get; }

    /// <summary>True when <paramref name="point"/> lies strictly inside the polygon.</summary>
    public bool Contains(GeoPoint point)
    {
        if (Locate(Exterior, point) <= 0) return false;
        foreach (var hole in Interiors)
            if (Locate(hole, point) >= 0) return false;
        return true;
    }

    /// <summary>-1 outside the ring, 0 on its boundary, 1 inside (even-odd rule).</summary>
    private static int Locate(IReadOnlyList<GeoPoint> ring, GeoPoint p)
    {
        var inside = false;
        for (int i = 0, j = ring.Count - 1; i < ring.Count; j = i++)
        {
            var a = ring[j];
            var b = ring[i];
            if (OnSegment(a, b, p)) return 0;
            if ((b.Lat > p.Lat) != (a.Lat > p.Lat))
            {
                var lonAtLat = (a.Lon - b.Lon) * (p.Lat - b.Lat) / (a.Lat - b.Lat) + b.Lon;
                if (p.Lon < lonAtLat) inside = !inside;
            }
        }
        return inside ? 1 : -1;
    }

    private static bool OnSegment(GeoPoint a, GeoPoint b, GeoPoint p)
    {
        var cross = (b.Lon - a.Lon) * (p.Lat - a.Lat) - (b.Lat - a.Lat) * (p.Lon - a.Lon);
        if (cross != 0) return false;
        return p.Lon >= Math.Min(a.Lon, b.Lon) && p.Lon <= Math.Max(a.Lon, b.Lon)
            && p.Lat >= Math.Min(a.Lat, b.Lat) && p.Lat <= Math.Max(a.Lat, b.Lat);
    }
}

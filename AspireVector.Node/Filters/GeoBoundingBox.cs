namespace AspireVector.Node.Filters;

/// <summary>
/// <c>geo_bounding_box</c>: points strictly inside the rectangle; a box whose left edge is east of its right edge
/// crosses the antimeridian.
/// </summary>
public sealed record GeoBoundingBox(GeoPoint TopLeft, GeoPoint BottomRight)
{
    /// <summary>True when <paramref name="point"/> lies inside the box.</summary>
    public bool Contains(GeoPoint point)
    {
        var lonInside = TopLeft.Lon > BottomRight.Lon
            ? point.Lon > TopLeft.Lon || point.Lon < BottomRight.Lon
            : TopLeft.Lon < point.Lon && point.Lon < BottomRight.Lon;
        return lonInside && BottomRight.Lat < point.Lat && point.Lat < TopLeft.Lat;
    }
}

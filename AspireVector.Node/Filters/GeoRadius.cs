namespace AspireVector.Node.Filters;

/// <summary><c>geo_radius</c>: points strictly closer than <see cref="Radius"/> metres to <see cref="Center"/>.</summary>
public sealed record GeoRadius(GeoPoint Center, double Radius)
{
    /// <summary>True when <paramref name="point"/> lies inside the circle.</summary>
    public bool Contains(GeoPoint point) => Center.DistanceTo(point) < Radius;
}

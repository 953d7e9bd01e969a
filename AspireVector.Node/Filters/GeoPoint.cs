namespace AspireVector.Node.Filters;

/// <summary>A WGS84 point as Qdrant's payload and filters write it: <c>{"lon": .., "lat": ..}</c>.</summary>
/// <param name="Lon">Longitude in degrees, [-180, 180].</param>
/// <param name="Lat">Latitude in degrees, [-90, 90].</param>
public readonly record struct GeoPoint(double Lon, double Lat)
{
    /// <summary>The mean Earth radius in metres used by the haversine distance (the geo crate's value).</summary>
    public const double EarthRadiusMeters = 6371008.8;

    /// <summary>True when the coordinates lie in the valid ranges.</summary>
    public bool IsValid => Lon is >= -180 and <= 180 && Lat is >= -90 and <= 90;

    /// <summary>Great-circle distance in metres (haversine formula).</summary>
    public double DistanceTo(GeoPoint other)
    {
        var phi1 = DegreesToRadians(Lat);
        var phi2 = DegreesToRadians(other.Lat);
        var dPhi = DegreesToRadians(other.Lat - Lat);
        var dLambda = DegreesToRadians(other.Lon - Lon);
        var sinPhi = Math.Sin(dPhi / 2);
        var sinLambda = Math.Sin(dLambda / 2);
        var a = sinPhi * sinPhi + Math.Cos(phi1) * Math.Cos(phi2) * sinLambda * sinLambda;
        return 2 * EarthRadiusMeters * Math.Asin(Math.Sqrt(a));
    }

    private static double DegreesToRadians(double degrees) => degrees * (Math.PI / 180);
}

namespace AspireVector.Node.Filters;

/// <summary>
/// A datetime <c>range</c>: bounds are instants (UTC ticks), so <c>2020-01-01T01:00:00+01:00</c> equals
/// <c>2020-01-01T00:00:00Z</c>. Missing bounds are open.
/// </summary>
public sealed record DatetimeRange(long? Gt, long? Gte, long? Lt, long? Lte)
{
    /// <summary>True when the instant <paramref name="utcTicks"/> satisfies every present bound.</summary>
    public bool Contains(long utcTicks) =>
        (Lt is not { } lt || utcTicks < lt) && (Gt is not { } gt || utcTicks > gt)
        && (Lte is not { } lte || utcTicks <= lte) && (Gte is not { } gte || utcTicks >= gte);
}

namespace AspireVector.Node.Filters;

/// <summary>A numeric <c>range</c> (<c>gt</c>/<c>gte</c>/<c>lt</c>/<c>lte</c>); missing bounds are open.</summary>
public sealed record NumberRange(double? Gt, double? Gte, double? Lt, double? Lte)
{
    /// <summary>True when <paramref name="value"/> satisfies every present bound.</summary>
    public bool Contains(double value) =>
        (Lt is not { } lt || value < lt) && (Gt is not { } gt || value > gt)
        && (Lte is not { } lte || value <= lte) && (Gte is not { } gte || value >= gte);
}

namespace AspireVector.Node.Collections;

/// <summary>What one shard replica answered: points (search, scroll, retrieve) or a count.</summary>
/// <param name="Points">Points found, best first for search, in id order for scroll.</param>
/// <param name="Count">Count: points passing the filter.</param>
/// <param name="IndexedCount">Count without filter: vectors reachable through the graph index.</param>
public sealed record ShardReadResult(List<PointView> Points, long Count, long IndexedCount)
{
    /// <summary>Facet: points per value, keyed by the value's JSON text (<c>"red"</c>, <c>7</c>, <c>true</c>).</summary>
    public Dictionary<string, long>? Facets { get; init; }

    /// <summary>A result holding only points.</summary>
    public static ShardReadResult Of(List<PointView> points) => new(points, points.Count, 0);
}

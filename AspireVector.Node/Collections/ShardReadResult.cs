namespace AspireVector.Node.Collections;

/// <summary>What one shard replica answered: points (search, scroll, retrieve) or a count.</summary>
/// <param name="Points">Points found, best first for search, in id order for scroll.</param>
/// <param name="Count">Count: points passing the filter.</param>
/// <param name="IndexedCount">Count without filter: vectors reachable through the graph index.</param>
public sealed record ShardReadResult(List<PointView> Points, long Count, long IndexedCount)
{
    /// <summary>A result holding only points.</summary>
    public static ShardReadResult Of(List<PointView> points) => new(points, points.Count, 0);
}

namespace AspireVector.Node.Index;

/// <summary>
/// A restriction of a vector search to the points of a segment that pass a payload filter.
/// Implemented by the filter layer; consumed by <see cref="IVectorIndex"/> and its query planner.
/// </summary>
/// <remarks>Must be safe to call from the searching thread only; one instance serves one query.</remarks>
public abstract class PointFilter
{
    /// <summary>True when the point at <paramref name="offset"/> passes the filter.</summary>
    public abstract bool Matches(int offset);

    /// <summary>
    /// Estimated number of matching points (from payload index cardinalities), used by the planner to choose
    /// exact scoring over the candidates or filtered graph traversal. Null when unknown.
    /// </summary>
    public virtual int? EstimatedMatches => null;

    /// <summary>
    /// The matching offsets when a payload index can enumerate them cheaply; null otherwise.
    /// </summary>
    public virtual IEnumerable<int>? Candidates => null;
}

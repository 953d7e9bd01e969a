using System.Text.Json.Nodes;
using AspireVector.Node.Filters;
using AspireVector.Node.Points;

namespace AspireVector.Node.Index.Payload;

/// <summary>Binds a request's <see cref="Filter"/> to a segment's payload and indexes for the vector index.</summary>
public static class FilterPlanner
{
    /// <summary>
    /// Builds the <see cref="PointFilter"/> for one segment.
    /// </summary>
    /// <param name="filter">The parsed request filter.</param>
    /// <param name="indexes">The segment's payload indexes (null when it has none).</param>
    /// <param name="lookup">The point id and payload stored at a segment offset.</param>
    /// <param name="totalPoints">The number of points in the segment (for estimates).</param>
    /// <param name="offsetOf">The segment offset of a point id, when present in the segment; lets <c>has_id</c> enumerate candidates.</param>
    public static SegmentFilter Plan(Filter filter, PayloadIndexSet? indexes, Func<int, (PointId Id, JsonObject? Payload)> lookup,
        int totalPoints, Func<PointId, int?>? offsetOf = null) =>
        new(filter, indexes, lookup, totalPoints, offsetOf);
}

using AspireVector.Node.Index;
using AspireVector.Node.Storage;

namespace AspireVector.Node.Collections;

/// <summary>Adapts a <see cref="PointPredicate"/> to a segment's dense offsets for the vector index.</summary>
/// <remarks>Valid while the caller holds the segment's read lock.</remarks>
public sealed class PredicatePointFilter(Segment segment, PointPredicate predicate) : PointFilter
{
    /// <inheritdoc />
    public override bool Matches(int offset) => predicate(segment.IdAt(offset), segment.PayloadAt(offset), segment, offset);
}

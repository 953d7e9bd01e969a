using AspireVector.Node.Index;
using AspireVector.Node.Points;
using AspireVector.Node.Storage;

namespace AspireVector.Node.Collections;

public sealed partial class Collection
{
    /// <summary>Points with the given ids, in request order, skipping missing ones (as Qdrant does).</summary>
    public List<PointView> Retrieve(IReadOnlyList<PointId> ids, bool withVector)
    {
        var result = new List<PointView>(ids.Count);
        var seen = new HashSet<PointId>();
        foreach (var id in ids)
        {
            if (!seen.Add(id)) continue;
            var segment = _shards[ShardOf(id)].Segment;
            segment.Lock.EnterReadLock();
            try
            {
                if (segment.TryGetOffset(id, out int offset)) result.Add(View(segment, offset, null, withVector));
            }
            finally { segment.Lock.ExitReadLock(); }
        }
        return result;
    }

    /// <summary>The stored vector of <paramref name="id"/>, or null when the point does not exist.</summary>
    public float[]? VectorOf(PointId id)
    {
        var segment = _shards[ShardOf(id)].Segment;
        segment.Lock.EnterReadLock();
        try { return segment.TryGetOffset(id, out int offset) ? segment.VectorAt(offset) : null; }
        finally { segment.Lock.ExitReadLock(); }
    }

    /// <summary>
    /// A page of points in id order starting at <paramref name="offset"/>; also returns the id the next page
    /// starts at (null at the end).
    /// </summary>
    public (List<PointView> Points, PointId? NextOffset) Scroll(PointId? offset, int limit, PointPredicate? filter, bool withVector)
    {
        var merged = new List<PointView>();
        foreach (var shard in _shards)
        {
            var segment = shard.Segment;
            segment.Lock.EnterReadLock();
            try
            {
                int taken = 0;
                foreach (var id in segment.IdsFrom(offset))
                {
                    segment.TryGetOffset(id, out int o);
                    if (filter is not null && !filter(id, segment.PayloadAt(o))) continue;
                    merged.Add(View(segment, o, null, withVector));
                    if (++taken > limit) break;
                }
            }
            finally { segment.Lock.ExitReadLock(); }
        }
        merged.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        PointId? next = null;
        if (merged.Count > limit)
        {
            next = merged[limit].Id;
            merged.RemoveRange(limit, merged.Count - limit);
        }
        return (merged, next);
    }

    /// <summary>Number of points passing <paramref name="filter"/> (all points when null).</summary>
    public long Count(PointPredicate? filter)
    {
        if (filter is null) return PointsCount;
        long n = 0;
        foreach (var shard in _shards)
        {
            var segment = shard.Segment;
            segment.Lock.EnterReadLock();
            try
            {
                foreach (var id in segment.IdsFrom(null))
                {
                    segment.TryGetOffset(id, out int o);
                    if (filter(id, segment.PayloadAt(o))) n++;
                }
            }
            finally { segment.Lock.ExitReadLock(); }
        }
        return n;
    }

    /// <summary>
    /// Nearest neighbours of <paramref name="request"/>'s vector over all shards, best first, after offset and
    /// score threshold. <paramref name="exclude"/> drops one id (the query point of a query-by-id).
    /// </summary>
    public List<PointView> Search(SearchRequest request, PointId? exclude = null)
    {
        if (request.Vector.Length != Config.VectorSize)
            throw CollectionException.WrongInput($"Vector dimension error: expected dim: {Config.VectorSize}, got {request.Vector.Length}");
        var query = request.Vector;
        if (Config.Distance == Distance.Cosine)
        {
            query = (float[])query.Clone();
            Normalize(query);
        }
        bool higherIsBetter = Config.Distance is Distance.Cosine or Distance.Dot;
        int want = request.Offset + request.Limit + (exclude is null ? 0 : 1);
        var merged = new List<PointView>();
        var hits = new List<ScoredOffset>(want);
        foreach (var shard in _shards)
        {
            var segment = shard.Segment;
            segment.Lock.EnterReadLock();
            try
            {
                hits.Clear();
                var filter = request.Filter is null ? null : new PredicatePointFilter(segment, request.Filter);
                segment.Index.Search(query, want, request.Params, filter, hits);
                foreach (var hit in hits)
                {
                    if (request.ScoreThreshold is float t && (higherIsBetter ? hit.Score < t : hit.Score > t)) continue;
                    if (exclude is { } ex && segment.IdAt(hit.Offset) == ex) continue;
                    merged.Add(View(segment, hit.Offset, hit.Score, request.WithVector));
                }
            }
            finally { segment.Lock.ExitReadLock(); }
        }
        merged.Sort(higherIsBetter
            ? static (a, b) => b.Score!.Value.CompareTo(a.Score!.Value) is var c and not 0 ? c : a.Id.CompareTo(b.Id)
            : static (a, b) => a.Score!.Value.CompareTo(b.Score!.Value) is var c and not 0 ? c : a.Id.CompareTo(b.Id));
        int skip = Math.Min(request.Offset, merged.Count);
        int take = Math.Min(request.Limit, merged.Count - skip);
        return merged.GetRange(skip, take);
    }

    private static PointView View(Segment segment, int offset, float? score, bool withVector) =>
        new(segment.IdAt(offset), segment.VersionAt(offset), score, segment.PayloadAt(offset), withVector ? segment.VectorAt(offset) : null);
}

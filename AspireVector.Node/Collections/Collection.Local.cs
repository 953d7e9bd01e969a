using AspireVector.Node.Index;
using AspireVector.Node.Points;
using AspireVector.Node.Storage;

namespace AspireVector.Node.Collections;

public sealed partial class Collection
{
    /// <summary>Runs a shard read on a replica stored on this node.</summary>
    public ShardReadResult ReadLocal(LocalShard shard, ShardReadRequest request)
    {
        var segment = shard.Segment;
        var predicate = request.Filter?.Predicate;
        segment.Lock.EnterReadLock();
        try
        {
            switch (request.Kind)
            {
                case ShardReadKind.Retrieve:
                {
                    var found = new List<PointView>(request.Ids.Count);
                    foreach (var id in request.Ids)
                    {
                        if (segment.TryGetOffset(id, out int offset)) found.Add(View(segment, offset, null, request));
                    }

                    return ShardReadResult.Of(found);
                }

                case ShardReadKind.Scroll:
                {
                    var page = new List<PointView>();
                    foreach (var id in segment.IdsFrom(request.Offset))
                    {
                        segment.TryGetOffset(id, out int o);
                        if (predicate is not null && !predicate(id, segment.PayloadAt(o), segment, o)) continue;
                        page.Add(View(segment, o, null, request));
                        if (page.Count >= request.Limit) break;
                    }

                    return ShardReadResult.Of(page);
                }

                case ShardReadKind.Count:
                {
                    if (predicate is null) return new ShardReadResult([], segment.PointCount, segment.IndexedCount);
                    long n = 0;
                    foreach (var id in segment.IdsFrom(null))
                    {
                        segment.TryGetOffset(id, out int o);
                        if (predicate(id, segment.PayloadAt(o), segment, o)) n++;
                    }

                    return new ShardReadResult([], n, 0);
                }

                case ShardReadKind.Recommend:
                    return ShardReadResult.Of(RecommendLocal(segment, request));

                case ShardReadKind.Discover or ShardReadKind.Context:
                    return ShardReadResult.Of(DiscoverLocal(segment, request));

                case ShardReadKind.Facet:
                    return FacetLocal(segment, request);

                case ShardReadKind.Sample:
                    return ShardReadResult.Of(SampleLocal(segment, request));

                default:
                    return ShardReadResult.Of(SearchLocal(segment, request));
            }
        }
        finally { segment.Lock.ExitReadLock(); }
    }

    private List<PointView> SearchLocal(Segment segment, ShardReadRequest request)
    {
        if (request.Sparse is { } sparse) return SearchSparseLocal(segment, request, sparse);
        var index = SegmentIndex(segment, request.VectorName);
        bool higherIsBetter = index.Distance is Distance.Cosine or Distance.Dot;
        int want = request.Limit + (request.Exclude is null ? 0 : 1);
        var hits = new List<ScoredOffset>(want);
        var predicate = CandidatePredicate(request);
        var filter = predicate is null ? null : new PredicatePointFilter(segment, predicate);
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        index.Search(request.Vector!, want, request.Params, filter, hits);
        _telemetry?.OnVectorSearched(System.Diagnostics.Stopwatch.GetElapsedTime(started));
        var found = new List<PointView>(hits.Count);
        foreach (var hit in hits)
        {
            if (request.ScoreThreshold is float t && (higherIsBetter ? hit.Score < t : hit.Score > t)) continue;
            if (request.Exclude is { } ex && segment.IdAt(hit.Offset) == ex) continue;
            found.Add(View(segment, hit.Offset, hit.Score, request));
        }

        return found;
    }

    private List<PointView> SearchSparseLocal(Segment segment, ShardReadRequest request, Index.Sparse.SparseVector query)
    {
        if (!segment.SparseIndexes.TryGetValue(request.VectorName, out var index))
        {
            Config.Sparse(request.VectorName); // Qdrant's error for an unknown name
            throw new CollectionException(500, $"Service internal error: shard segment has no index for sparse vector `{request.VectorName}`");
        }

        bool idf = Config.IsSparse(request.VectorName) && Config.Sparse(request.VectorName).Idf;
        int want = request.Limit + (request.Exclude is null ? 0 : 1);
        var hits = new List<ScoredOffset>(Math.Min(want, 1024));
        var predicate = CandidatePredicate(request);
        index.Search(query, idf, want, predicate is null ? null : new PredicatePointFilter(segment, predicate), hits);
        var found = new List<PointView>(hits.Count);
        foreach (var hit in hits)
        {
            if (request.ScoreThreshold is float t && hit.Score < t) continue;
            if (request.Exclude is { } ex && segment.IdAt(hit.Offset) == ex) continue;
            found.Add(View(segment, hit.Offset, hit.Score, request));
        }

        return found;
    }

    /// <summary>Applies an update to the replica stored on this node; a filter is resolved under the shard's update lock.</summary>
    public Task<UpdateResult> UpdateLocalAsync(LocalShard shard, ShardOperation operation, QueryFilter? filter, bool wait, CancellationToken cancellationToken)
    {
        if (filter is null) return shard.UpdateAsync(operation, wait, cancellationToken);
        var predicate = filter.Predicate;
        return shard.UpdateAsync(segment => Resolve(segment, operation, predicate), wait, cancellationToken);
    }

    /// <summary>The request's filter and its excluded ids as one predicate; null when every point is a candidate.</summary>
    private static PointPredicate? CandidatePredicate(ShardReadRequest request)
    {
        var filter = request.Filter?.Predicate;
        if (request.ExcludeIds.Count == 0) return filter;
        var excluded = new HashSet<PointId>(request.ExcludeIds);
        return filter is null
            ? (id, _, _, _) => !excluded.Contains(id)
            : (id, payload, vectors, offset) => !excluded.Contains(id) && filter(id, payload, vectors, offset);
    }

    private static PointView View(Segment segment, int offset, float? score, ShardReadRequest request) =>
        new(segment.IdAt(offset), segment.VersionAt(offset), score, segment.PayloadAt(offset),
            request.WithVector.Enabled ? segment.VectorsAt(offset, request.WithVector.Names) : null)
        {
            Sparse = request.WithVector.Enabled ? segment.SparseVectorsAt(offset, request.WithVector.Names) : null,
        };

    /// <summary>The index of vector <paramref name="name"/> in a local segment; 400 when the collection has no such vector.</summary>
    private IVectorIndex SegmentIndex(Segment segment, string name)
    {
        if (segment.Indexes.TryGetValue(name, out var index)) return index;
        Config.Vector(name); // Qdrant's error for an unknown name (or a sparse one)
        throw new CollectionException(500, $"Service internal error: shard segment has no index for vector `{name}`");
    }
}

using AspireVector.Node.Points;
using AspireVector.Node.Sharding;
using AspireVector.Node.Storage;

namespace AspireVector.Node.Collections;

public sealed partial class Collection
{
    /// <summary>
    /// Score of a point of a scroll-like query (random sample, or no <c>query</c> at all: id order): Qdrant gives every
    /// such point the same score, 1.
    /// </summary>
    internal const float ScrollLikeScore = 1f;

    /// <summary>
    /// Up to <paramref name="limit"/> points passing <paramref name="filter"/>, drawn at random (Qdrant's
    /// <c>{"sample": "random"}</c> query): every shard draws up to <paramref name="limit"/> of its own, and the
    /// coordinator draws the answer from their union.
    /// </summary>
    /// <remarks>
    /// Each shard's draw is uniform over its points; the union is drawn in proportion to what each shard returned, not to
    /// its size, which is uniform when shards are balanced (as the hash ring keeps them) and close enough otherwise for
    /// what sampling is used for. Nothing depends on the order, so the randomness is not injected.
    /// </remarks>
    public async Task<List<PointView>> SampleAsync(int limit, QueryFilter? filter, WithVectors withVector, ReadConsistency consistency = default,
        CancellationToken cancellationToken = default)
    {
        StrictMode.CheckRead(Config, limit, filter);
        var request = new ShardReadRequest { Kind = ShardReadKind.Sample, Limit = limit, Filter = filter, WithVector = withVector };
        var union = new List<PointView>();
        foreach (var r in await ReadAllShardsAsync(request, consistency, cancellationToken).ConfigureAwait(false)) union.AddRange(r.Points);
        var drawn = union.ToArray();
        Random.Shared.Shuffle(drawn);
        var page = new List<PointView>(Math.Min(limit, drawn.Length));
        for (int i = 0; i < page.Capacity; i++) page.Add(drawn[i] with { Score = ScrollLikeScore });
        return page;
    }

    /// <summary>A uniform draw of up to <c>Limit</c> points of a local replica passing the filter (reservoir sampling).</summary>
    private static List<PointView> SampleLocal(Segment segment, ShardReadRequest request)
    {
        var predicate = request.Filter?.Predicate;
        var kept = new List<int>(Math.Min(request.Limit, 1024));
        long seen = 0;
        foreach (var id in segment.IdsFrom(null))
        {
            segment.TryGetOffset(id, out int offset);
            if (predicate is not null && !predicate(id, segment.PayloadAt(offset), segment, offset)) continue;
            seen++;
            if (kept.Count < request.Limit) kept.Add(offset);
            else if (Random.Shared.NextInt64(seen) is var slot && slot < request.Limit) kept[(int)slot] = offset;
        }

        var found = new List<PointView>(kept.Count);
        foreach (int offset in kept) found.Add(View(segment, offset, ScrollLikeScore, request));
        return found;
    }
}

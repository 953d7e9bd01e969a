using AspireVector.Node.Index;
using AspireVector.Node.Points;
using AspireVector.Node.Sharding;
using AspireVector.Node.Storage;

namespace AspireVector.Node.Collections;

public sealed partial class Collection
{
    /// <summary>Rust's <c>f32::EPSILON</c> (not .NET's <see cref="float.Epsilon"/>, the smallest subnormal): Qdrant's context margin.</summary>
    private const float ContextMargin = 1.1920929e-7f;

    /// <summary>
    /// Discovery (with a target) or context search (without one), best first; the examples given by id are never
    /// returned. Discovery scores a point by its rank over the pairs (+1 for each pair whose positive is more similar
    /// than its negative, -1 for each the other way round, 0 for a tie) plus the target similarity squashed into
    /// (0, 1), so the rank decides and the target breaks ties. Context search scores by a loss: the sum over pairs of
    /// <c>s(d) = d / (1 + |d|)</c> of <c>min(sim(positive) - sim(negative) - ε, 0)</c>, 0 at best.
    /// </summary>
    /// <remarks>
    /// Every candidate passing the filter is scored exactly in each shard: the graph index ranks by one query
    /// vector only, and neither score is a distance to one vector. Qdrant walks its HNSW graph with such a scorer
    /// instead, which is approximate and faster on large shards.
    /// </remarks>
    public async Task<List<PointView>> DiscoverAsync(DiscoverRequest request, ReadConsistency consistency = default, CancellationToken cancellationToken = default)
    {
        StrictMode.CheckSearch(Config, request.Search);
        if (request.Target is null && request.Context.Count == 0)
            throw new CollectionException(400, "Bad request: target and/or context_pairs must be specified");
        var examples = new List<RecommendExample>(1 + 2 * request.Context.Count);
        if (request.Target is { } target) examples.Add(target);
        var positives = new List<RecommendExample>(request.Context.Count);
        var negatives = new List<RecommendExample>(request.Context.Count);
        foreach (var pair in request.Context)
        {
            positives.Add(pair.Positive);
            negatives.Add(pair.Negative);
        }

        examples.AddRange(positives);
        examples.AddRange(negatives);
        var vector = Config.Vector(request.Search.VectorName);
        var (ids, stored) = await ExampleVectorsAsync(examples, request.Search.VectorName, request.LookupFrom, consistency, cancellationToken).ConfigureAwait(false);
        // Qdrant prepares every vector of such a query as a query vector: normalised for Cosine, as stored ones are.
        var search = request.Search;
        var shardRequest = new ShardReadRequest
        {
            Kind = request.Target is null ? ShardReadKind.Context : ShardReadKind.Discover,
            Vector = request.Target is { } t ? Vectors([t], stored, vector, normalize: true)[0] : null,
            Positives = Vectors(positives, stored, vector, normalize: true),
            Negatives = Vectors(negatives, stored, vector, normalize: true),
            VectorName = search.VectorName,
            Limit = search.Offset + search.Limit,
            ScoreThreshold = search.ScoreThreshold,
            ExcludeIds = ids,
            Filter = search.Filter,
            WithVector = search.WithVector,
        };
        return await RankedPageAsync(shardRequest, SortByRecommendScore, search.Offset, search.Limit, consistency, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The distinct ids among <paramref name="examples"/> that results leave out, and the stored vectors of all of
    /// them: read from this collection's vector <paramref name="name"/>, or from <paramref name="lookup"/>'s; 404
    /// when one does not exist.
    /// </summary>
    private async Task<(List<PointId> Excluded, Dictionary<PointId, float[]> Stored)> ExampleVectorsAsync(IEnumerable<RecommendExample> examples,
        string name, VectorLookup? lookup, ReadConsistency consistency, CancellationToken cancellationToken)
    {
        var ids = new List<PointId>();
        foreach (var e in examples)
        {
            if (e.Id is { } id && !ids.Contains(id)) ids.Add(id);
        }

        var stored = new Dictionary<PointId, float[]>();
        if (ids.Count == 0) return (ids, stored);
        var source = lookup?.Source ?? this;
        string sourceName = lookup?.VectorName ?? name;
        foreach (var p in await source.RetrieveAsync(ids, new WithVectors(true, [sourceName]), consistency, cancellationToken).ConfigureAwait(false))
        {
            stored[p.Id] = p.VectorNamed(sourceName) ?? throw MissingVector(sourceName);
        }
        foreach (var id in ids) if (!stored.ContainsKey(id)) throw CollectionException.PointNotFound(id);
        return (lookup is { ExcludeIds: false } && lookup.Source.Name != Name ? [] : ids, stored);
    }

    /// <summary>Scores every candidate of a local replica for a discovery or context request; the best <c>Limit</c>, best first.</summary>
    private List<PointView> DiscoverLocal(Segment segment, ShardReadRequest request)
    {
        var index = SegmentIndex(segment, request.VectorName);
        var distance = index.Distance;
        int rows = RowSize(index);
        return request.Kind == ShardReadKind.Discover
            ? RankEveryCandidate(segment, request, candidate => DiscoveryScore(distance, rows, request, candidate))
            : RankEveryCandidate(segment, request, candidate => ContextScore(distance, rows, request, candidate));
    }

    /// <summary>
    /// Scores every candidate of a local replica (filter and excluded ids applied) with <paramref name="score"/>, higher
    /// being better; the best <c>Limit</c> at or above the score threshold, best first, ties by id.
    /// </summary>
    private List<PointView> RankEveryCandidate(Segment segment, ShardReadRequest request, Func<float[], float> score)
    {
        var predicate = CandidatePredicate(request);
        var index = SegmentIndex(segment, request.VectorName);
        var candidate = new float[index.Dimension];
        // Worst kept first: the lowest score, and among equal scores the highest id.
        var kept = new PriorityQueue<int, (float Score, PointId Id)>(Comparer<(float Score, PointId Id)>.Create(static (a, b) =>
            a.Score.CompareTo(b.Score) is var c and not 0 ? c : b.Id.CompareTo(a.Id)));
        foreach (var id in segment.IdsFrom(null))
        {
            segment.TryGetOffset(id, out int offset);
            if (!index.Contains(offset)) continue; // only points holding the vector compared
            if (predicate is not null && !predicate(id, segment.PayloadAt(offset), segment, offset)) continue;
            int length = index.VectorLength(offset);
            if (candidate.Length != length) candidate = new float[length]; // a multivector's rows vary per point
            index.CopyVector(offset, candidate);
            float s = score(candidate);
            if (request.ScoreThreshold is float t && s < t) continue;
            kept.Enqueue(offset, (s, id));
            if (kept.Count > request.Limit) kept.Dequeue();
        }

        var found = new List<PointView>(kept.Count);
        while (kept.TryDequeue(out int offset, out var key)) found.Add(View(segment, offset, key.Score, request));
        found.Reverse();
        return found;
    }

    /// <summary>Rank over the context pairs (an integer) plus the target similarity squashed into (0, 1).</summary>
    private static float DiscoveryScore(Distance distance, int rows, ShardReadRequest request, float[] candidate)
    {
        int rank = 0;
        for (int i = 0; i < request.Positives.Count; i++)
        {
            rank += Math.Sign(Similarity(distance, request.Positives[i], candidate, rows).CompareTo(Similarity(distance, request.Negatives[i], candidate, rows)));
        }

        return rank + ScaledSigmoid(Similarity(distance, request.Vector!, candidate, rows));
    }

    /// <summary>The summed context loss: 0 when the candidate is on the positive side of every pair, down to -1 per pair.</summary>
    private static float ContextScore(Distance distance, int rows, ShardReadRequest request, float[] candidate)
    {
        float loss = 0;
        for (int i = 0; i < request.Positives.Count; i++)
        {
            float difference = Similarity(distance, request.Positives[i], candidate, rows) - Similarity(distance, request.Negatives[i], candidate, rows) - ContextMargin;
            loss += FastSigmoid(MathF.Min(difference, 0f));
        }

        return loss;
    }

    private static float FastSigmoid(float x) => x / (1f + MathF.Abs(x));
}

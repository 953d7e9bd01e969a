using AspireVector.Node.Index;
using AspireVector.Node.Index.Kernels;
using AspireVector.Node.Points;
using AspireVector.Node.Sharding;
using AspireVector.Node.Storage;

namespace AspireVector.Node.Collections;

public sealed partial class Collection
{
    /// <summary>
    /// Points like the positive examples and unlike the negative ones, best first; the examples given by id are never
    /// returned. <c>average_vector</c> is one search for <c>avg_pos + avg_pos - avg_neg</c>; <c>best_score</c> and
    /// <c>sum_scores</c> score every candidate against every example (exactly, in each shard), higher being better
    /// whatever the distance.
    /// </summary>
    public async Task<List<PointView>> RecommendAsync(RecommendRequest request, ReadConsistency consistency = default, CancellationToken cancellationToken = default)
    {
        StrictMode.CheckSearch(Config, request.Search);
        if (request.Strategy == RecommendStrategy.AverageVector && request.Positive.Count == 0)
            throw new CollectionException(400, "Bad request: At least one positive vector ID required with this strategy");
        if (request.Positive.Count == 0 && request.Negative.Count == 0)
            throw new CollectionException(400, "Bad request: At least one positive or negative vector ID required with this strategy");

        string name = request.Search.VectorName;
        var vector = Config.Vector(name);
        var (ids, stored) = await ExampleVectorsAsync(request.Positive.Concat(request.Negative), name, request.LookupFrom, consistency, cancellationToken).ConfigureAwait(false);

        // As in Qdrant, raw examples are averaged as given (the search normalises the result for Cosine), while the
        // per-example strategies compare each one as a query, normalised.
        bool normalize = request.Strategy != RecommendStrategy.AverageVector;
        var positives = Vectors(request.Positive, stored, vector, normalize);
        var negatives = Vectors(request.Negative, stored, vector, normalize);
        var search = request.Search;
        if (request.Strategy == RecommendStrategy.AverageVector)
        {
            float[] query;
            if (vector.Multivector) query = Concatenated(positives, negatives);
            else
            {
                query = Average(positives);
                if (negatives.Count > 0)
                {
                    var negative = Average(negatives);
                    for (int i = 0; i < query.Length; i++) query[i] = query[i] + query[i] - negative[i];
                }
            }

            return await SearchAsync(new SearchRequest
            {
                Vector = query, Limit = search.Limit, Offset = search.Offset, ScoreThreshold = search.ScoreThreshold,
                Filter = search.Filter, Params = search.Params, WithVector = search.WithVector, ExcludeIds = ids, VectorName = name,
            }, null, consistency, cancellationToken).ConfigureAwait(false);
        }

        var shardRequest = new ShardReadRequest
        {
            Kind = ShardReadKind.Recommend,
            Strategy = request.Strategy,
            Positives = positives,
            Negatives = negatives,
            Limit = search.Offset + search.Limit,
            ScoreThreshold = search.ScoreThreshold,
            ExcludeIds = ids,
            Filter = search.Filter,
            WithVector = search.WithVector,
            VectorName = name,
        };
        return await RankedPageAsync(shardRequest, SortByRecommendScore, search.Offset, search.Limit, consistency, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The examples' vectors; with <paramref name="normalize"/>, raw ones normalised (copies) for Cosine, as stored vectors are.</summary>
    private static List<float[]> Vectors(IReadOnlyList<RecommendExample> examples, Dictionary<PointId, float[]> stored, VectorParams vector, bool normalize)
    {
        var list = new List<float[]>(examples.Count);
        foreach (var e in examples)
        {
            if (e.Id is { } id)
            {
                list.Add(stored[id]);
                continue;
            }

            var v = (float[])e.Vector!.Clone();
            CheckQueryVector(vector, v);
            if (normalize && vector.Distance == Distance.Cosine) NormalizeRows(v, vector.Multivector ? vector.Size : 0);
            list.Add(v);
        }

        return list;
    }

    /// <summary>
    /// Qdrant's <c>average_vector</c> over multivectors: the rows of every positive example one after the other, then
    /// those of every negative one negated.
    /// </summary>
    private static float[] Concatenated(List<float[]> positives, List<float[]> negatives)
    {
        int length = 0;
        foreach (var v in positives) length += v.Length;
        foreach (var v in negatives) length += v.Length;
        var query = new float[length];
        int at = 0;
        foreach (var v in positives)
        {
            v.CopyTo(query, at);
            at += v.Length;
        }

        foreach (var v in negatives)
        {
            System.Numerics.Tensors.TensorPrimitives.Negate(v, query.AsSpan(at, v.Length));
            at += v.Length;
        }

        return query;
    }

    private static float[] Average(List<float[]> vectors)
    {
        var sum = new float[vectors[0].Length];
        foreach (var v in vectors) System.Numerics.Tensors.TensorPrimitives.Add(sum, v, sum);
        System.Numerics.Tensors.TensorPrimitives.Divide(sum, vectors.Count, sum);
        return sum;
    }

    private static void SortByRecommendScore(List<PointView> points) =>
        points.Sort(static (a, b) => b.Score!.Value.CompareTo(a.Score!.Value) is var c and not 0 ? c : a.Id.CompareTo(b.Id));

    /// <summary>Scores every candidate of a local replica against the examples; the best <c>Limit</c>, best first.</summary>
    private List<PointView> RecommendLocal(Segment segment, ShardReadRequest request)
    {
        var index = SegmentIndex(segment, request.VectorName);
        var distance = index.Distance;
        int rows = RowSize(index);
        return request.Strategy == RecommendStrategy.SumScores
            ? RankEveryCandidate(segment, request, candidate => SumScores(distance, rows, request, candidate))
            : RankEveryCandidate(segment, request, candidate => BestScore(distance, rows, request, candidate));
    }

    /// <summary>
    /// Qdrant's similarity: higher is closer for every distance (the negated internal distance); max_sim (summed over
    /// the example's rows) when <paramref name="rowSize"/> is a multivector's row size, 0 for a plain vector.
    /// </summary>
    private static float Similarity(Distance distance, float[] example, float[] candidate, int rowSize = 0) =>
        rowSize > 0 ? -MaxSimKernel.Distance(distance, example, candidate, rowSize) : -DistanceKernels.Distance(distance, example, candidate);

    /// <summary>The row size of a multivector index, 0 for a plain one (see <see cref="Similarity"/>).</summary>
    private static int RowSize(IVectorIndex index) => index is MultiVectorIndex ? index.Dimension : 0;

    private static float BestScore(Distance distance, int rows, ShardReadRequest request, float[] candidate)
    {
        float bestPositive = float.NegativeInfinity, bestNegative = float.NegativeInfinity;
        foreach (var p in request.Positives) bestPositive = MathF.Max(bestPositive, Similarity(distance, p, candidate, rows));
        foreach (var n in request.Negatives) bestNegative = MathF.Max(bestNegative, Similarity(distance, n, candidate, rows));
        // Squashed into (0, 1) when a positive is closest, into (-1, 0) otherwise: positives always rank first.
        return bestPositive > bestNegative ? ScaledSigmoid(bestPositive) : -ScaledSigmoid(bestNegative);
    }

    private static float SumScores(Distance distance, int rows, ShardReadRequest request, float[] candidate)
    {
        float score = 0;
        foreach (var p in request.Positives) score += Similarity(distance, p, candidate, rows);
        foreach (var n in request.Negatives) score -= Similarity(distance, n, candidate, rows);
        return score;
    }

    private static float ScaledSigmoid(float x) => 0.5f * (x / (1f + MathF.Abs(x)) + 1f);
}

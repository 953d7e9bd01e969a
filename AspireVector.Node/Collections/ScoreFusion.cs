using AspireVector.Node.Points;

namespace AspireVector.Node.Collections;

/// <summary>
/// Qdrant's fusion of several ranked lists (the results of a query's prefetches) into one: reciprocal rank fusion
/// and distribution-based score fusion. A point found by several lists is kept once, with the summed score.
/// </summary>
/// <remarks>Pure functions over the lists; the fused list is sorted best first, ties broken by id.</remarks>
public static class ScoreFusion
{
    /// <summary>Qdrant's default RRF constant <c>k</c> (a plain <c>{"fusion": "rrf"}</c>).</summary>
    public const int DefaultRrfK = 2;

    /// <summary>
    /// Reciprocal rank fusion: a point at 0-based position <c>p</c> of a list with weight <c>w</c> earns
    /// <c>1 / ((p + 1) / w + k - 1)</c>, which is <c>1 / (p + k)</c> for the default weight 1; scores are ignored.
    /// </summary>
    /// <param name="lists">The ranked lists, best first.</param>
    /// <param name="k">The RRF constant (at least 1).</param>
    /// <param name="weights">One weight per list, or null for all 1; a weight at or below 0 adds nothing.</param>
    public static List<PointView> Rrf(IReadOnlyList<List<PointView>> lists, int k, IReadOnlyList<float>? weights = null)
    {
        if (weights is not null && weights.Count != lists.Count)
            throw new CollectionException(400, $"Bad request: Number of weights in RRF should match number of pre-fetches: got {weights.Count}, expected {lists.Count}");
        var fused = new Dictionary<PointId, (PointView Point, float Score)>();
        for (int i = 0; i < lists.Count; i++)
        {
            float weight = weights?[i] ?? 1f;
            var list = lists[i];
            for (int position = 0; position < list.Count; position++)
            {
                float score = weight <= 0f ? 0f : 1f / ((position + 1) / weight + k - 1f);
                Add(fused, list[position], score);
            }
        }

        return Sorted(fused);
    }

    /// <summary>
    /// Distribution-based score fusion: each list's scores are mapped linearly so that mean − 3σ becomes 0 and
    /// mean + 3σ becomes 1 (σ the sample standard deviation; a single point, or equal bounds, gives 0.5), then summed.
    /// </summary>
    /// <param name="lists">The ranked lists, best first.</param>
    /// <param name="lowerIsBetter">Per list: are its scores distances (Euclid, Manhattan)? They are negated first so higher is better.</param>
    public static List<PointView> Dbsf(IReadOnlyList<List<PointView>> lists, IReadOnlyList<bool> lowerIsBetter)
    {
        var fused = new Dictionary<PointId, (PointView Point, float Score)>();
        for (int i = 0; i < lists.Count; i++)
        {
            var list = lists[i];
            float sign = lowerIsBetter[i] ? -1f : 1f;
            var (min, max) = Bounds(list, sign);
            foreach (var p in list)
            {
                float s = sign * p.Score!.Value;
                Add(fused, p, list.Count < 2 || min == max ? 0.5f : (s - min) / (max - min));
            }
        }

        return Sorted(fused);
    }

    /// <summary>mean ∓ 3σ of the list's (signed) scores, with Welford's one-pass mean and variance.</summary>
    private static (float Min, float Max) Bounds(List<PointView> list, float sign)
    {
        if (list.Count < 2) return (0f, 0f);
        float mean = 0f, aggregate = 0f;
        for (int i = 0; i < list.Count; i++)
        {
            float s = sign * list[i].Score!.Value;
            float before = s - mean;
            mean += before / (i + 1);
            aggregate += before * (s - mean);
        }

        float deviation = MathF.Sqrt(aggregate / (list.Count - 1));
        return (mean - 3f * deviation, mean + 3f * deviation);
    }

    private static void Add(Dictionary<PointId, (PointView Point, float Score)> fused, PointView p, float score)
    {
        fused[p.Id] = fused.TryGetValue(p.Id, out var seen) ? (seen.Point, seen.Score + score) : (p, score);
    }

    private static List<PointView> Sorted(Dictionary<PointId, (PointView Point, float Score)> fused)
    {
        var result = new List<PointView>(fused.Count);
        foreach (var (point, score) in fused.Values) result.Add(point with { Score = score });
        result.Sort(static (a, b) => b.Score!.Value.CompareTo(a.Score!.Value) is var c and not 0 ? c : a.Id.CompareTo(b.Id));
        return result;
    }
}

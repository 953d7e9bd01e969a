using AspireVector.Node.Index;
using AspireVector.Node.Index.Kernels;
using AspireVector.Node.Points;
using AspireVector.Node.Sharding;

namespace AspireVector.Node.Collections;

public sealed partial class Collection
{
    /// <summary>
    /// Qdrant's distance matrix: <paramref name="sample"/> points drawn at random among those passing
    /// <paramref name="filter"/> (sorted by id), each with its <paramref name="limit"/> nearest other sampled points,
    /// best first. Scores are exact: the sampled vectors are compared with each other here.
    /// </summary>
    /// <remarks>Drawing the sample reads the ids of every matching point (one scroll), then the sampled vectors.</remarks>
    public async Task<(List<PointId> Ids, List<List<(PointId Id, float Score)>> Nearest)> DistanceMatrixAsync(int sample, int limit, QueryFilter? filter,
        Random random, ReadConsistency consistency = default, CancellationToken cancellationToken = default, string vectorName = "")
    {
        var vector = Config.Vector(vectorName);
        // Only points holding the vector compared are sampled, as Qdrant does.
        filter = WithVectorRequired(filter, vectorName);
        long matching = await CountAsync(filter, consistency, cancellationToken).ConfigureAwait(false);
        var (all, _) = await ScrollAsync(null, (int)Math.Min(matching, int.MaxValue - 1), filter, withVector: false, consistency, cancellationToken).ConfigureAwait(false);
        var ids = all.Select(p => p.Id).ToList();
        for (int i = 0; i < Math.Min(sample, ids.Count); i++)
        {
            int j = random.Next(i, ids.Count);
            (ids[i], ids[j]) = (ids[j], ids[i]);
        }

        if (ids.Count > sample) ids.RemoveRange(sample, ids.Count - sample);
        var points = await RetrieveAsync(ids, new WithVectors(true, [vectorName]), consistency, cancellationToken).ConfigureAwait(false);
        points.RemoveAll(p => p.VectorNamed(vectorName) is null); // lost its vector since the ids were read
        points.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        if (points.Count < 2) return ([], []);

        bool higherIsBetter = vector.Distance is Distance.Cosine or Distance.Dot;
        var nearest = new List<List<(PointId, float)>>(points.Count);
        foreach (var a in points)
        {
            var row = new List<(PointId Id, float Score)>(points.Count - 1);
            foreach (var b in points)
            {
                if (b.Id != a.Id) row.Add((b.Id, PairScore(vector, a.VectorNamed(vectorName)!, b.VectorNamed(vectorName)!)));
            }

            row.Sort((x, y) => (higherIsBetter ? y.Score.CompareTo(x.Score) : x.Score.CompareTo(y.Score)) is var c and not 0 ? c : x.Id.CompareTo(y.Id));
            if (row.Count > limit) row.RemoveRange(limit, row.Count - limit);
            nearest.Add(row);
        }

        return ([.. points.Select(p => p.Id)], nearest);
    }

    /// <summary>The score Qdrant reports for <paramref name="a"/> searched against <paramref name="b"/> (max_sim for a multivector).</summary>
    private static float PairScore(VectorParams vector, float[] a, float[] b) =>
        vector.Multivector
            ? DistanceKernels.ToScore(vector.Distance, MaxSimKernel.Distance(vector.Distance, a, b, vector.Size))
            : DistanceKernels.Score(vector.Distance, a, b);
}

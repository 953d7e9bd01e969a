using AspireVector.Node.Index;
using AspireVector.Node.Index.Kernels;

namespace AspireVector.Tests.Index;

/// <summary>Seeded clustered vectors and a brute-force oracle for recall and filter tests.</summary>
internal sealed class TestVectors
{
    public TestVectors(int count, int dimension, int seed, bool normalise = false, int clusters = 20)
    {
        Count = count;
        Dimension = dimension;
        var random = new Random(seed);
        var centres = new float[clusters][];
        for (int c = 0; c < clusters; c++) centres[c] = Gaussian(random, dimension, 1f);
        Data = new float[count * dimension];
        for (int i = 0; i < count; i++)
        {
            var centre = centres[random.Next(clusters)];
            for (int d = 0; d < dimension; d++) Data[i * dimension + d] = centre[d] + Normal(random) * 0.3f;
            if (normalise) Normalise(Data.AsSpan(i * dimension, dimension));
        }
        Queries = new float[100][];
        for (int q = 0; q < Queries.Length; q++)
        {
            var centre = centres[random.Next(clusters)];
            var v = new float[dimension];
            for (int d = 0; d < dimension; d++) v[d] = centre[d] + Normal(random) * 0.3f;
            if (normalise) Normalise(v);
            Queries[q] = v;
        }
    }

    public int Count { get; }
    public int Dimension { get; }
    public float[] Data { get; }
    public float[][] Queries { get; }

    public ReadOnlySpan<float> Vector(int i) => Data.AsSpan(i * Dimension, Dimension);

    /// <summary>Brute-force top <paramref name="k"/> offsets among those passing <paramref name="keep"/>.</summary>
    public int[] Nearest(float[] query, int k, Distance distance, Func<int, bool>? keep = null)
    {
        var scored = new List<(float Distance, int Offset)>();
        for (int i = 0; i < Count; i++)
        {
            if (keep is not null && !keep(i)) continue;
            scored.Add((DistanceKernels.Distance(distance, query, Vector(i)), i));
        }
        scored.Sort((x, y) => x.Distance != y.Distance ? x.Distance.CompareTo(y.Distance) : x.Offset.CompareTo(y.Offset));
        return scored.Take(k).Select(s => s.Offset).ToArray();
    }

    /// <summary>Mean recall@k of <paramref name="index"/> against the oracle.</summary>
    public double Recall(IVectorIndex index, int k, SearchParams parameters, Func<int, bool>? keep = null, Func<PointFilter>? filter = null)
    {
        int found = 0, expected = 0;
        var hits = new List<ScoredOffset>();
        foreach (var query in Queries)
        {
            var truth = Nearest(query, k, index.Distance, keep);
            hits.Clear();
            index.Search(query, k, parameters, filter?.Invoke(), hits);
            expected += truth.Length;
            foreach (var hit in hits) if (truth.Contains(hit.Offset)) found++;
        }
        return expected == 0 ? 1 : found / (double)expected;
    }

    private static float[] Gaussian(Random random, int dimension, float sigma)
    {
        var v = new float[dimension];
        for (int d = 0; d < dimension; d++) v[d] = Normal(random) * sigma;
        return v;
    }

    private static float Normal(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));

    private static void Normalise(Span<float> v)
    {
        float norm = System.Numerics.Tensors.TensorPrimitives.Norm(v);
        System.Numerics.Tensors.TensorPrimitives.Divide(v, norm, v);
    }
}

using System.Numerics.Tensors;

namespace AspireVector.Benchmarks.Ann;

/// <summary>Base vectors, queries and ground truth of a TEXMEX-style dataset directory.</summary>
public sealed class AnnDataset
{
    private readonly float[] _queries;
    private readonly int[] _truth;
    private readonly int _truthWidth;

    private AnnDataset(float[] baseVectors, int count, int dimension, float[] queries, int queryCount, int[] truth, int truthWidth)
    {
        Base = baseVectors;
        Count = count;
        Dimension = dimension;
        _queries = queries;
        QueryCount = queryCount;
        _truth = truth;
        _truthWidth = truthWidth;
    }

    public float[] Base { get; }
    public int Count { get; }
    public int Dimension { get; }
    public int QueryCount { get; }

    /// <summary>Loads base.fvecs, query.fvecs and gt_l2.ivecs or gt_cos.ivecs; cosine data is normalised as on write.</summary>
    public static AnnDataset Load(string directory, string metric)
    {
        var baseVectors = TexmexReader.ReadFvecs(Path.Combine(directory, "base.fvecs"), out int dimension, out int count);
        var queries = TexmexReader.ReadFvecs(Path.Combine(directory, "query.fvecs"), out int queryDimension, out int queryCount);
        if (queryDimension != dimension) throw new InvalidDataException("query and base dimensions differ");
        var truth = TexmexReader.ReadIvecs(Path.Combine(directory, metric == "cosine" ? "gt_cos.ivecs" : "gt_l2.ivecs"), out int width, out int truthCount);
        if (truthCount != queryCount) throw new InvalidDataException("ground truth and queries differ in count");
        if (metric == "cosine")
        {
            Normalise(baseVectors, dimension);
            Normalise(queries, dimension);
        }
        return new AnnDataset(baseVectors, count, dimension, queries, queryCount, truth, width);
    }

    public ReadOnlySpan<float> Query(int q) => _queries.AsSpan(q * Dimension, Dimension);

    /// <summary>How many of <paramref name="hits"/> are among the true <paramref name="k"/> nearest neighbours.</summary>
    public int CountHits(int q, List<Node.Index.ScoredOffset> hits, int k)
    {
        var truth = _truth.AsSpan(q * _truthWidth, Math.Min(k, _truthWidth));
        int found = 0;
        foreach (var hit in hits) if (truth.Contains(hit.Offset)) found++;
        return found;
    }

    private static void Normalise(float[] vectors, int dimension)
    {
        for (int i = 0; i < vectors.Length; i += dimension)
        {
            var v = vectors.AsSpan(i, dimension);
            float norm = TensorPrimitives.Norm(v);
            if (norm > 0) TensorPrimitives.Divide(v, norm, v);
        }
    }
}

using AspireVector.Node.Index;

namespace AspireVector.Node.Storage;

/// <summary>
/// What a segment needs to know about its collection to build its indexes: one <see cref="SegmentVectorConfig"/> per
/// vector name, in ordinal name order, and the names of its sparse vectors (each has its own inverted index). A
/// collection with a single unnamed vector has the one name <c>""</c>; a sparse-only collection has no dense name.
/// </summary>
public sealed class SegmentConfig : IEquatable<SegmentConfig>
{
    /// <summary>A single unnamed vector (the name <c>""</c>).</summary>
    public SegmentConfig(int dimension, Distance distance, HnswIndexConfig? hnsw = null, QuantizationConfig? quantization = null)
        : this([new KeyValuePair<string, SegmentVectorConfig>("", new SegmentVectorConfig(dimension, distance, hnsw, quantization))])
    {
    }

    /// <summary>Several named vectors and the sparse vector names (at least one vector of either kind).</summary>
    public SegmentConfig(IEnumerable<KeyValuePair<string, SegmentVectorConfig>> vectors, IEnumerable<string>? sparseVectors = null)
    {
        var list = vectors.ToList();
        var sparse = sparseVectors?.ToList() ?? [];
        if (list.Count == 0 && sparse.Count == 0) throw new ArgumentException("a segment needs at least one vector", nameof(vectors));
        list.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        sparse.Sort(StringComparer.Ordinal);
        Vectors = list;
        SparseVectors = sparse;
    }

    /// <summary>Every vector name with its parameters, in ordinal name order.</summary>
    public IReadOnlyList<KeyValuePair<string, SegmentVectorConfig>> Vectors { get; }

    /// <summary>The sparse vector names, in ordinal order.</summary>
    public IReadOnlyList<string> SparseVectors { get; }

    /// <summary>Dimension of the first vector (the unnamed one in a single-vector collection).</summary>
    public int Dimension => Vectors[0].Value.Dimension;

    /// <summary>Distance of the first vector.</summary>
    public Distance Distance => Vectors[0].Value.Distance;

    /// <summary>HNSW parameters of the first vector.</summary>
    public HnswIndexConfig? Hnsw => Vectors[0].Value.Hnsw;

    /// <summary>The parameters of vector <paramref name="name"/>, or null when the segment has no such vector.</summary>
    public SegmentVectorConfig? Find(string name)
    {
        foreach (var (n, v) in Vectors) if (n == name) return v;
        return null;
    }

    /// <inheritdoc />
    public bool Equals(SegmentConfig? other)
    {
        if (other is null || other.Vectors.Count != Vectors.Count || !other.SparseVectors.SequenceEqual(SparseVectors)) return false;
        for (int i = 0; i < Vectors.Count; i++)
        {
            if (Vectors[i].Key != other.Vectors[i].Key || !Vectors[i].Value.Equals(other.Vectors[i].Value)) return false;
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SegmentConfig);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Vectors.Count, SparseVectors.Count);
}

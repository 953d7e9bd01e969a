namespace AspireVector.Node.Index;

/// <summary>Creates and loads the vector index of a segment from its collection's configuration.</summary>
public static class VectorIndexFactory
{
    /// <summary>
    /// A new, empty index. HNSW for every collection (small segments are still searched exactly below
    /// <see cref="HnswIndexConfig.FullScanThresholdKb"/>); int8 codes when <paramref name="quantization"/> is set.
    /// </summary>
    public static IVectorIndex Create(int dimension, Distance distance, HnswIndexConfig? hnsw = null,
        QuantizationConfig? quantization = null, Random? random = null) =>
        new HnswVectorIndex(dimension, distance, hnsw ?? HnswIndexConfig.Default, quantization, random);

    /// <summary>Loads an index written by <see cref="IVectorIndex.Save"/> under <paramref name="directory"/>.</summary>
    public static IVectorIndex Load(string directory, Distance distance) =>
        MultiVectorIndex.Exists(directory) ? MultiVectorIndex.Load(directory, distance)
        : HnswVectorIndex.Exists(directory)
            ? HnswVectorIndex.Load(directory)
            : ExactVectorIndex.Load(directory, distance);
}

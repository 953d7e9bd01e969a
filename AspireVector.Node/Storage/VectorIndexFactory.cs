using AspireVector.Node.Index;

namespace AspireVector.Node.Storage;

/// <summary>
/// The one place that chooses the vector index of a segment, so the HNSW index replaces the exact one here.
/// </summary>
public static class VectorIndexFactory
{
    /// <summary>Creates an empty index for a new segment.</summary>
    public static IVectorIndex Create(SegmentConfig config) => new ExactVectorIndex(config.Dimension, config.Distance);

    /// <summary>Loads the index a segment saved under <paramref name="directory"/>.</summary>
    public static IVectorIndex Load(string directory, SegmentConfig config) => ExactVectorIndex.Load(directory, config.Distance);
}

using AspireVector.Node.Index;

namespace AspireVector.Node.Storage;

/// <summary>What a segment needs to know about its collection to build its index.</summary>
/// <param name="Dimension">Vector size.</param>
/// <param name="Distance">Similarity function.</param>
/// <param name="Hnsw">HNSW parameters (null for the defaults).</param>
public sealed record SegmentConfig(int Dimension, Distance Distance, HnswIndexConfig? Hnsw = null);

using AspireVector.Node.Index;

namespace AspireVector.Node.Storage;

/// <summary>The parameters of one (named or unnamed) vector of a segment: each name has its own index.</summary>
/// <param name="Dimension">Vector size.</param>
/// <param name="Distance">Similarity function.</param>
/// <param name="Hnsw">HNSW parameters (null for the defaults).</param>
/// <param name="Quantization">Scalar (int8) quantization, or null for full precision only.</param>
/// <param name="Multivector">
/// True when each point holds a matrix of rows of <paramref name="Dimension"/> (max_sim), kept in a
/// <see cref="MultiVectorIndex"/>.
/// </param>
public sealed record SegmentVectorConfig(int Dimension, Distance Distance, HnswIndexConfig? Hnsw = null, QuantizationConfig? Quantization = null, bool Multivector = false);

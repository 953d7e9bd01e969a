using AspireVector.Node.Index;

namespace AspireVector.Node.Storage;

/// <summary>What a segment needs to know about its collection to build its index.</summary>
/// <param name="Dimension">Vector size.</param>
/// <param name="Distance">Similarity function.</param>
/// <param name="HnswM">HNSW <c>m</c>.</param>
/// <param name="HnswEfConstruct">HNSW <c>ef_construct</c>.</param>
/// <param name="FullScanThreshold">HNSW <c>full_scan_threshold</c> (KB).</param>
public sealed record SegmentConfig(int Dimension, Distance Distance, int HnswM = 16, int HnswEfConstruct = 100, int FullScanThreshold = 10_000);

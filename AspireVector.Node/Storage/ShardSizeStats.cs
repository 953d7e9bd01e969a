namespace AspireVector.Node.Storage;

/// <summary>
/// Sizes of one shard replica's data, as Qdrant's <c>SizeStats</c> reports them in cluster telemetry.
/// </summary>
/// <param name="NumPoints">Live points.</param>
/// <param name="NumVectors">Stored vectors over every vector name.</param>
/// <param name="NumVectorsByName">Stored vectors per vector name (<c>""</c> for the unnamed one).</param>
/// <param name="VectorsSizeBytes">Estimated bytes of the full-precision vectors (dimension x 4 per vector).</param>
/// <param name="PayloadsSizeBytes">Estimated bytes of the payloads as JSON (sampled on large shards).</param>
/// <param name="IndexedVectors">Vectors linked into their HNSW graph.</param>
/// <param name="IndexingBacklog">Vectors still waiting for the background linker.</param>
public sealed record ShardSizeStats(
    long NumPoints,
    long NumVectors,
    IReadOnlyDictionary<string, long> NumVectorsByName,
    long VectorsSizeBytes,
    long PayloadsSizeBytes,
    long IndexedVectors,
    long IndexingBacklog);

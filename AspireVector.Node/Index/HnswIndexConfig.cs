namespace AspireVector.Node.Index;

/// <summary>A collection's <c>hnsw_config</c>, with Qdrant's defaults.</summary>
public sealed record HnswIndexConfig
{
    public static readonly HnswIndexConfig Default = new();

    /// <summary><c>m</c>: links per node on upper layers (2·m on layer 0).</summary>
    public int M { get; init; } = 16;

    /// <summary><c>ef_construct</c>: beam width while building; also the default search ef.</summary>
    public int EfConstruct { get; init; } = 100;

    /// <summary>
    /// <c>full_scan_threshold</c> in kilobytes of vectors: below it (for the whole segment, or for the points a
    /// filter leaves) exact scoring is cheaper than the graph and is used instead.
    /// </summary>
    public int FullScanThresholdKb { get; init; } = 10_000;

    /// <summary><c>max_indexing_threads</c>: 0 means all cores.</summary>
    public int MaxIndexingThreads { get; init; }

    /// <summary>Tombstone ratio above which <see cref="HnswVectorIndex.Optimize"/> rebuilds the graph.</summary>
    public double RebuildTombstoneRatio { get; init; } = 0.2;
}

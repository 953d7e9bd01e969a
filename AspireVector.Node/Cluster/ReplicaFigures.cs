using AspireVector.Node.Storage;

namespace AspireVector.Node.Cluster;

/// <summary>
/// What cluster telemetry reports about one shard replica held by the peer that measured it (Qdrant's
/// <c>DistributedReplicaTelemetry</c> minus peer and state, which come from the agreed placement).
/// </summary>
/// <param name="Status">green, or yellow while vectors wait for the background linker (Qdrant's <c>ShardStatus</c>).</param>
/// <param name="TotalOptimizedPoints">Vectors linked into their HNSW graph: the work this node's optimizer (the linker) did.</param>
/// <param name="Size">Point, vector and byte counts.</param>
public sealed record ReplicaFigures(string Status, long TotalOptimizedPoints, ShardSizeStats Size)
{
    /// <summary>Measures <paramref name="shard"/>.</summary>
    public static ReplicaFigures Of(LocalShard shard)
    {
        var size = shard.Segment.ReadSizeStats();
        return new ReplicaFigures(size.IndexingBacklog > 0 ? "yellow" : "green", size.IndexedVectors, size);
    }
}

namespace AspireVector.Node.Telemetry;

/// <summary>What <c>/metrics</c> reports about one collection on this peer (Qdrant's per-collection families).</summary>
/// <param name="Name">Collection name: the <c>id</c> label of <c>collection_points</c> and transfer gauges.</param>
/// <param name="Points">Approximate number of points (<c>collection_points</c>).</param>
/// <param name="VectorsByName">Vector count per vector name, <c>""</c> for the unnamed default vector (<c>collection_vectors</c>).</param>
/// <param name="ActiveReplicasMin">Fewest active replicas of any shard; null when the collection has no shards.</param>
/// <param name="ActiveReplicasMax">Most active replicas of any shard; null when the collection has no shards.</param>
/// <param name="DeadReplicas">Replicas of this collection's shards in a non-active state (dead, partial, initializing, listener...).</param>
/// <param name="IncomingTransfers">Shard transfers running towards this peer.</param>
/// <param name="OutgoingTransfers">Shard transfers running from this peer.</param>
public sealed record CollectionTelemetry(
    string Name,
    long Points,
    IReadOnlyDictionary<string, long> VectorsByName,
    int? ActiveReplicasMin,
    int? ActiveReplicasMax,
    int DeadReplicas,
    int IncomingTransfers,
    int OutgoingTransfers);

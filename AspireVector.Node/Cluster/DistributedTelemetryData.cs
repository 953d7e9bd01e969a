namespace AspireVector.Node.Cluster;

/// <summary>
/// <c>GET /cluster/telemetry</c>'s result (Qdrant's <c>DistributedTelemetryData</c>): every collection's shards with
/// each replica's agreed state and, when its peer answered, its figures; transfers in flight; and every peer with
/// its consensus details when it answered in time.
/// </summary>
/// <param name="Collections">Collections by name, in ordinal order.</param>
/// <param name="Cluster">The peers; <c>enabled: false</c> with no peers in single-node mode.</param>
public sealed record DistributedTelemetryData(IReadOnlyList<DistributedTelemetryData.CollectionEntry> Collections, DistributedTelemetryData.ClusterEntry Cluster)
{
    /// <summary>One collection: shards by id, transfers in flight.</summary>
    public sealed record CollectionEntry(string Id, IReadOnlyList<ShardEntry> Shards, IReadOnlyList<ShardTransferInfo> Transfers);

    /// <summary>One shard with its replicas ordered by peer id.</summary>
    public sealed record ShardEntry(uint Id, IReadOnlyList<ReplicaEntry> Replicas);

    /// <summary>One replica; <paramref name="Figures"/> is null when its peer did not answer or does not hold it yet.</summary>
    public sealed record ReplicaEntry(ulong PeerId, ReplicaState State, ReplicaFigures? Figures);

    /// <summary>The cluster section.</summary>
    public sealed record ClusterEntry(bool Enabled, int? NumberOfPeers, IReadOnlyList<PeerEntry> Peers);

    /// <summary>One peer; <paramref name="Details"/> is null when it did not answer in time (<c>responsive: false</c>).</summary>
    public sealed record PeerEntry(ulong PeerId, string Uri, PeerDetails? Details);
}

namespace AspireVector.Node.Cluster;

/// <summary>One peer's answer to a cluster telemetry request: its consensus details and its local replicas' figures.</summary>
/// <param name="PeerId">The answering peer.</param>
/// <param name="Details">Its consensus details.</param>
/// <param name="Replicas">Figures of the replicas it holds, by collection and shard.</param>
/// <param name="TransferComments">Progress of the transfers it sends, by collection, shard and receiving peer.</param>
public sealed record PeerTelemetry(
    ulong PeerId,
    PeerDetails Details,
    IReadOnlyDictionary<(string Collection, uint ShardId), ReplicaFigures> Replicas,
    IReadOnlyDictionary<(string Collection, uint ShardId, ulong To), string> TransferComments);

namespace AspireVector.Dashboard.Monitoring;

/// <summary>One cell of a placement grid: the replica of a shard on a peer, if any.</summary>
/// <param name="PeerId">Peer of the column.</param>
/// <param name="State">Replica state (Active, Partial, Dead, Initializing, Listener, ...); null when the peer holds no replica.</param>
/// <param name="PointsCount">Points in the replica, known when the peer itself answered.</param>
public sealed record ReplicaCell(ulong PeerId, string? State, ulong? PointsCount);

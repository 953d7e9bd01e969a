using AspireVector.Node.Storage;

namespace AspireVector.Node.Collections;

/// <summary>
/// What a collection needs from the cluster to reach replicas on other peers. Absent in single-node mode,
/// where every shard is local.
/// </summary>
public interface IShardReplicas
{
    /// <summary>This peer's id.</summary>
    ulong LocalPeerId { get; }

    /// <summary>
    /// True once this peer applied everything it knows to be committed: before that its placement may be stale, and a
    /// write routed by it could miss a replica the cluster already moved, or a read reach a replica that is behind.
    /// </summary>
    bool CanCoordinateWrites { get; }

    /// <summary>The replicas of <paramref name="shardId"/> as the cluster agrees right now.</summary>
    IReadOnlyList<ShardReplica> ReplicasOf(string collection, uint shardId);

    /// <summary>Applies <paramref name="operation"/> (or, with <paramref name="filter"/>, the template to every match) on the replica held by <paramref name="peerId"/>.</summary>
    /// <remarks>
    /// <paramref name="coordinatorIndex"/> is the metadata index the coordinator routed by; the replica refuses the write
    /// when its shard's placement changed after it (0: transfer traffic, never refused).
    /// </remarks>
    Task<UpdateResult> UpdateRemoteAsync(ulong peerId, string collection, uint shardId, ShardOperation operation, QueryFilter? filter, bool wait, ulong coordinatorIndex, CancellationToken cancellationToken);

    /// <summary>Index of the last metadata entry this peer applied.</summary>
    ulong AppliedIndex { get; }

    /// <summary>Asks the shard's primary on <paramref name="peerId"/> to coordinate an ordered write to all replicas.</summary>
    Task<UpdateResult> CoordinateRemoteAsync(ulong peerId, string collection, uint shardId, ShardOperation operation, QueryFilter? filter, bool wait, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="request"/> on the replica held by <paramref name="peerId"/>.</summary>
    Task<ShardReadResult> ReadRemoteAsync(ulong peerId, string collection, uint shardId, ShardReadRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// A replica missed a write that is about to be acknowledged: completes once the cluster agreed it is dead; throws a
    /// 503 <see cref="CollectionException"/> when that cannot be agreed (then the write must not be acknowledged).
    /// </summary>
    Task MarkReplicaDeadAsync(string collection, uint shardId, ulong peerId, string error);

    /// <summary>How long an acknowledged write waits for replicas beyond the write consistency factor before marking them dead.</summary>
    TimeSpan ReplicaWriteGrace { get; }

    /// <summary>How long a read waits for one remote replica before asking the next one too (zero: no hedging).</summary>
    TimeSpan ReadHedgeDelay { get; }

    /// <summary>Recent read latency of <paramref name="peerId"/> in milliseconds, or null when nothing recent is known.</summary>
    double? LatencyOf(ulong peerId);

    /// <summary>A replica failed a write: the cluster marks it dead (it must be recovered before it serves again).</summary>
    void ReportFailedReplica(string collection, uint shardId, ulong peerId, string error);
}

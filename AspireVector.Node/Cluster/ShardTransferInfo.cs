namespace AspireVector.Node.Cluster;

/// <summary>A shard transfer in flight, as <c>GET /collections/{name}/cluster</c> lists it.</summary>
/// <param name="ShardId">The shard being copied.</param>
/// <param name="From">Peer sending its replica.</param>
/// <param name="To">Peer receiving a new replica (<see cref="ReplicaState.Partial"/> until done).</param>
/// <param name="Sync">True for <c>replicate_shard</c> (the source keeps its replica), false for <c>move_shard</c>.</param>
/// <param name="Method">Transfer method, <c>stream_records</c>.</param>
public sealed record ShardTransferInfo(uint ShardId, ulong From, ulong To, bool Sync, string Method)
{
    /// <summary>Human-readable progress, updated by the sender (not replicated).</summary>
    public string? Comment { get; init; }
}

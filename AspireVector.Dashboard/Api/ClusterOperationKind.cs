namespace AspireVector.Dashboard.Api;

/// <summary>The collection cluster operations the dashboard can send.</summary>
public enum ClusterOperationKind
{
    /// <summary><c>move_shard</c>.</summary>
    MoveShard,

    /// <summary><c>replicate_shard</c>.</summary>
    ReplicateShard,

    /// <summary><c>abort_transfer</c>.</summary>
    AbortTransfer,

    /// <summary><c>drop_replica</c>.</summary>
    DropReplica,
}

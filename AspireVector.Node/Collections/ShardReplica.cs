using AspireVector.Node.Cluster;

namespace AspireVector.Node.Collections;

/// <summary>One replica of a shard: the peer holding it and its state.</summary>
public readonly record struct ShardReplica(ulong PeerId, ReplicaState State)
{
    /// <summary>
    /// Takes writes from coordinators. A partial replica does not: during its transfer the sender forwards every
    /// update to it in its own order, which is what keeps transferred batches and live writes consistent.
    /// </summary>
    public bool IsUpdatable => State is ReplicaState.Active or ReplicaState.Listener or ReplicaState.Initializing;

    /// <summary>Serves reads (active only: listeners and partial replicas never do).</summary>
    public bool IsReadable => State is ReplicaState.Active;
}

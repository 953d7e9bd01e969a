namespace AspireVector.Node.Cluster;

/// <summary>State of one shard replica on one peer, with Qdrant's names.</summary>
public enum ReplicaState
{
    /// <summary>Up to date: serves reads and takes writes.</summary>
    Active,

    /// <summary>Failed a write or its peer is gone: neither reads nor writes until recovered.</summary>
    Dead,

    /// <summary>Receiving a shard transfer: takes writes, serves no reads until the transfer completes.</summary>
    Partial,

    /// <summary>Just created with its collection, not yet confirmed by its peer.</summary>
    Initializing,

    /// <summary>On a listener node: takes writes, never serves reads.</summary>
    Listener,
}

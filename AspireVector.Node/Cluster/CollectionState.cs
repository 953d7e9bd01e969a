namespace AspireVector.Node.Cluster;

/// <summary>What the cluster agrees on about one collection: its config, its shard placement and transfers.</summary>
public sealed class CollectionState
{
    /// <summary>The collection config as persisted JSON (a create-collection body).</summary>
    public required string Config { get; set; }

    /// <summary>Raft index of the entry that created this incarnation of the collection.</summary>
    public ulong CreatedIndex { get; set; }

    /// <summary>Shard id to the replicas holding it (peer id to replica state).</summary>
    public SortedDictionary<uint, SortedDictionary<ulong, ReplicaState>> Shards { get; set; } = [];

    /// <summary>Shard id to the Raft index of the last change of its replicas (placement or states).</summary>
    public SortedDictionary<uint, ulong> ShardsChangedAt { get; set; } = [];

    /// <summary>Transfers in flight.</summary>
    public List<ShardTransferInfo> Transfers { get; set; } = [];
}

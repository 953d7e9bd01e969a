namespace AspireVector.Node.Cluster;

/// <summary>
/// The replicated cluster metadata: peers and collections with their placement. Serialised as JSON for Raft
/// snapshots; mutated only by <see cref="ClusterMetadata"/> on the consensus loop.
/// </summary>
public sealed class ClusterStateData
{
    /// <summary>Peer id to its P2P uri.</summary>
    public SortedDictionary<ulong, string> Peers { get; set; } = [];

    /// <summary>Peers removed from the cluster: they may never join again with the same id.</summary>
    public SortedSet<ulong> RemovedPeers { get; set; } = [];

    /// <summary>The peer that founded the cluster.</summary>
    public ulong FirstPeerId { get; set; }

    /// <summary>Raft index of the last command applied to this state (travels with snapshots).</summary>
    public ulong AppliedIndex { get; set; }

    /// <summary>Request ids of the most recently applied commands (bounded), to apply a re-proposed command once.</summary>
    public List<Guid> RecentRequests { get; set; } = [];

    /// <summary>Collections by name.</summary>
    public SortedDictionary<string, CollectionState> Collections { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Alias to the collection it points to.</summary>
    public SortedDictionary<string, string> Aliases { get; set; } = new(StringComparer.Ordinal);
}

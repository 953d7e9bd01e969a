namespace AspireVector.Dashboard.Api.Models;

/// <summary>Answer of <c>GET /collections/{name}/cluster</c>: the shard layout as seen by one peer.</summary>
public sealed record CollectionClusterInfo
{
    /// <summary>Id of the peer that answered.</summary>
    public ulong PeerId { get; init; }

    /// <summary>Number of shards of the collection.</summary>
    public uint ShardCount { get; init; }

    /// <summary>Replicas held by the answering peer, with their point counts.</summary>
    public List<LocalShardInfo> LocalShards { get; init; } = [];

    /// <summary>Replicas held by other peers, as the answering peer knows them.</summary>
    public List<RemoteShardInfo> RemoteShards { get; init; } = [];

    /// <summary>Shard transfers in flight.</summary>
    public List<ShardTransferInfo> ShardTransfers { get; init; } = [];
}

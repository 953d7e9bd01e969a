using AspireVector.Node.Cluster;
using AspireVector.Node.Collections;

namespace AspireVector.Node.Api.Rest;

/// <summary>
/// What <c>GET /collections/{name}/cluster</c> (and gRPC's <c>CollectionClusterInfo</c>) report: this peer's
/// shards with their point counts and states, the replicas on other peers, and transfers in flight.
/// </summary>
public sealed record CollectionClusterView(
    ulong PeerId,
    int ShardCount,
    IReadOnlyList<CollectionClusterView.LocalShardView> LocalShards,
    IReadOnlyList<CollectionClusterView.RemoteShardView> RemoteShards,
    IReadOnlyList<CollectionClusterView.TransferView> Transfers)
{
    /// <summary>Gathers the view of <paramref name="c"/>; without cluster mode every local shard is active.</summary>
    public static CollectionClusterView Read(Collection c, ClusterNode? node, ClusterCollections? cluster)
    {
        ulong self = node?.PeerId ?? 0;
        CollectionState? state = null;
        node?.Metadata.Current.Collections.TryGetValue(c.Name, out state);
        var config = c.Config;
        var local = new List<LocalShardView>();
        for (uint shard = 0; shard < c.ShardCount; shard++)
        {
            if (c.LocalShard(shard) is not { } localShard) continue;
            var replicaState = ReplicaState.Active;
            if (state is not null && state.Shards.TryGetValue(shard, out var replicas) && replicas.TryGetValue(self, out var s)) replicaState = s;
            else if (state is not null) continue;
            local.Add(new LocalShardView(shard, localShard.Segment.PointCount, replicaState, config.KeyOf(shard)));
        }

        var remote = new List<RemoteShardView>();
        var transfers = new List<TransferView>();
        if (state is not null)
        {
            foreach (var (shard, replicas) in state.Shards)
            {
                foreach (var (peer, s) in replicas)
                {
                    if (peer != self) remote.Add(new RemoteShardView(shard, peer, s, config.KeyOf(shard)));
                }
            }

            foreach (var t in state.Transfers) transfers.Add(new TransferView(t, cluster?.TransferComment(c.Name, t.ShardId, t.To)));
        }

        return new CollectionClusterView(self, state?.Shards.Count ?? config.ShardIds.Count, local, remote, transfers);
    }

    /// <summary>A shard replica on this peer.</summary>
    public sealed record LocalShardView(uint ShardId, long PointsCount, ReplicaState State, Sharding.ShardKey? ShardKey = null);

    /// <summary>A shard replica on another peer.</summary>
    public sealed record RemoteShardView(uint ShardId, ulong PeerId, ReplicaState State, Sharding.ShardKey? ShardKey = null);

    /// <summary>A transfer in flight, with the sender's progress comment when this peer knows it.</summary>
    public sealed record TransferView(ShardTransferInfo Transfer, string? Comment);
}

using AspireVector.Node.Telemetry;

namespace AspireVector.Node.Cluster;

/// <summary>
/// The cluster-mode source of the per-collection gauges: replica and transfer counts come from the agreed placement,
/// points from the replicas that placement puts on this peer (<c>/metrics</c> describes one peer, as in Qdrant).
/// </summary>
public sealed partial class ClusterCollections : ICollectionsTelemetrySource
{
    /// <inheritdoc />
    /// <remarks>Reads the published metadata and the local shards' counters; never waits on the consensus loop.</remarks>
    public IReadOnlyList<CollectionTelemetry> GetCollections()
    {
        var state = _node.Metadata.Current;
        var self = _node.PeerId;
        var list = new List<CollectionTelemetry>(state.Collections.Count);
        foreach (var (name, collection) in state.Collections)
        {
            var local = _toc is not null && _toc.Exists(name) ? _toc.Get(name) : null;
            long points = 0;
            int? activeMin = null, activeMax = null;
            int dead = 0;
            foreach (var (shardId, replicas) in collection.Shards)
            {
                int active = 0;
                foreach (var replica in replicas.Values) if (replica == ReplicaState.Active) active++;
                activeMin = Math.Min(activeMin ?? active, active);
                activeMax = Math.Max(activeMax ?? active, active);
                dead += replicas.Count - active;
                if (replicas.ContainsKey(self) && local?.LocalShard(shardId) is { } shard) points += shard.Segment.PointCount;
            }

            int incoming = 0, outgoing = 0;
            foreach (var transfer in collection.Transfers)
            {
                if (transfer.To == self) incoming++;
                if (transfer.From == self) outgoing++;
            }

            list.Add(new CollectionTelemetry(name, points, new Dictionary<string, long> { [""] = points }, activeMin, activeMax, dead, incoming, outgoing));
        }

        return list;
    }
}

using AspireVector.Dashboard.Api;
using AspireVector.Dashboard.Api.Models;

namespace AspireVector.Dashboard.Monitoring;

public sealed partial class ClusterSnapshotLoader
{
    /// <summary>Reads the cluster, then every collection's summary and per-node shard layout.</summary>
    public async Task<CollectionsSnapshot> LoadCollectionsAsync(CancellationToken cancellationToken)
    {
        var cluster = await LoadClusterAsync(cancellationToken);
        IReadOnlyList<string> names;
        try
        {
            names = await api.ListCollectionsAsync(cancellationToken);
        }
        catch (ClusterApiException ex)
        {
            return new CollectionsSnapshot(cluster, [], ex.Message);
        }

        var views = await Task.WhenAll(names.Select(name => LoadCollectionAsync(name, cluster, cancellationToken)));
        return new CollectionsSnapshot(cluster, views, null);
    }

    /// <summary>Counts the replicas a peer holds across all collections (for the remove-peer warning).</summary>
    public async Task<int> CountReplicasOnPeerAsync(ulong peerId, CancellationToken cancellationToken)
    {
        var snapshot = await LoadCollectionsAsync(cancellationToken);
        return snapshot.Collections.Sum(c => c.Shards.Count(s => s.Cells.Any(cell => cell.PeerId == peerId && cell.State is not null)));
    }

    private async Task<CollectionView> LoadCollectionAsync(string name, ClusterSnapshot cluster, CancellationToken cancellationToken)
    {
        var summaryTask = api.GetCollectionAsync(name, cancellationToken);
        var layoutTask = api.GetCollectionClusterFromEachNodeAsync(name, cancellationToken);
        var errors = new List<string>();
        CollectionSummary? summary = null;
        try
        {
            summary = await summaryTask;
        }
        catch (ClusterApiException ex)
        {
            errors.Add(ex.Message);
        }

        var layouts = await layoutTask;
        errors.AddRange(layouts.Where(a => a.Reachable && a.Error is not null).Select(a => $"{a.Node.Name}: {a.Error}"));
        return BuildCollection(name, summary, layouts.Where(a => a.Value is not null).Select(a => a.Value!).ToList(), cluster, errors);
    }

    /// <summary>Builds the placement grid (pure). A peer that answered is authoritative for its own column.</summary>
    internal static CollectionView BuildCollection(string name, CollectionSummary? summary, IReadOnlyList<CollectionClusterInfo> layouts, ClusterSnapshot cluster, IReadOnlyList<string> errors)
    {
        var columns = cluster.Peers.Select(p => p.PeerId).ToList();
        var answered = layouts.Select(l => l.PeerId).ToHashSet();
        var cells = new Dictionary<(uint Shard, ulong Peer), ReplicaCell>();

        // Remote views first (state only); the leader's view wins over others when they disagree.
        foreach (var layout in layouts.OrderBy(l => l.PeerId == cluster.LeaderId))
        {
            foreach (var remote in layout.RemoteShards)
            {
                if (!answered.Contains(remote.PeerId))
                {
                    cells[(remote.ShardId, remote.PeerId)] = new ReplicaCell(remote.PeerId, remote.State, null);
                }
            }
        }

        foreach (var layout in layouts)
        {
            foreach (var local in layout.LocalShards)
            {
                cells[(local.ShardId, layout.PeerId)] = new ReplicaCell(layout.PeerId, local.State, local.PointsCount);
            }
        }

        foreach (var peer in cells.Keys.Select(k => k.Peer).Distinct().Order())
        {
            if (!columns.Contains(peer))
            {
                columns.Add(peer);
            }
        }

        var shardCount = Math.Max(layouts.Count == 0 ? 0 : layouts.Max(l => l.ShardCount), summary?.Config?.Params?.ShardNumber ?? 0);
        var rows = new List<ShardRow>();
        for (uint shard = 0; shard < shardCount; shard++)
        {
            rows.Add(new ShardRow(shard, [.. columns.Select(peer => cells.TryGetValue((shard, peer), out var cell) ? cell : new ReplicaCell(peer, null, null))]));
        }

        var transfers = new Dictionary<(uint, ulong, ulong), TransferRow>();
        foreach (var transfer in layouts.SelectMany(l => l.ShardTransfers))
        {
            var key = (transfer.ShardId, transfer.From, transfer.To);
            if (!transfers.TryGetValue(key, out var existing) || (existing.Comment is null && transfer.Comment is not null))
            {
                transfers[key] = new TransferRow(transfer.ShardId, transfer.From, transfer.To, transfer.Sync, transfer.Method, transfer.Comment);
            }
        }

        return new CollectionView
        {
            Name = name,
            Status = summary?.Status,
            PointsCount = summary?.PointsCount,
            IndexedVectorsCount = summary?.IndexedVectorsCount,
            ShardCount = shardCount,
            ReplicationFactor = summary?.Config?.Params?.ReplicationFactor,
            PeerColumns = columns,
            Shards = rows,
            Transfers = [.. transfers.Values.OrderBy(t => t.ShardId).ThenBy(t => t.From).ThenBy(t => t.To)],
            Errors = errors,
        };
    }
}

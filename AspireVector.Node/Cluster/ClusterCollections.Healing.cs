using AspireVector.Node.Consensus;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AspireVector.Node.Cluster;

/// <summary>
/// Self-healing, run by the leader when <c>cluster.self_healing</c> is on (beyond open-source Qdrant): dead replicas
/// on reachable peers are recovered by a transfer from an active replica, and the replicas of a peer unreachable for
/// longer than <c>cluster.peer_dead_after_sec</c> are re-created on other peers to restore the replication factor.
/// </summary>
public sealed partial class ClusterCollections : IHostedService
{
    private static readonly TimeSpan HealPeriod = TimeSpan.FromSeconds(1);
    private readonly Dictionary<ulong, DateTime> _unreachableSince = [];
    private readonly CancellationTokenSource _stopHealing = new();
    private Task? _healing;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.Cluster.SelfHealing) _healing = Task.Run(HealLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopHealing.CancelAsync().ConfigureAwait(false);
        if (_healing is not null) await _healing.ConfigureAwait(false);
    }

    private async Task HealLoopAsync()
    {
        var ct = _stopHealing.Token;
        using var timer = new PeriodicTimer(HealPeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                try
                {
                    if (!_node.IsRemoved && _node.Status.Role == RaftRole.Leader) await HealOnceAsync(ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    _logger.LogDebug("Healing round failed: {Error}", e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>One healing round: at most one new transfer per shard, within the transfer limits.</summary>
    internal async Task HealOnceAsync(CancellationToken ct)
    {
        var state = _node.Metadata.Current;
        var reachable = ReachablePeers(state);
        var deadAfter = TimeSpan.FromSeconds(Math.Max(1, _options.Cluster.PeerDeadAfterSec));
        var incoming = new Dictionary<ulong, int>();
        var outgoing = new Dictionary<ulong, int>();
        foreach (var c in state.Collections.Values)
        {
            foreach (var t in c.Transfers)
            {
                incoming[t.To] = incoming.GetValueOrDefault(t.To) + 1;
                outgoing[t.From] = outgoing.GetValueOrDefault(t.From) + 1;
            }
        }

        bool healed = false;
        foreach (var (name, c) in state.Collections)
        {
            int replicationFactor = ReplicationFactorOf(c);
            foreach (var (shardId, replicas) in c.Shards)
            {
                if (c.Transfers.Exists(t => t.ShardId == shardId)) continue;
                ulong source = 0;
                foreach (var (peer, s) in replicas)
                {
                    if (s == ReplicaState.Active && reachable.Contains(peer)) { source = peer; break; }
                }

                if (source == 0 || outgoing.GetValueOrDefault(source) >= Math.Max(1, _options.Storage.OutgoingShardTransfersLimit)) continue;

                // 1. A dead replica on a peer that answers again: recover it in place.
                ulong target = 0;
                foreach (var (peer, s) in replicas)
                {
                    if (s == ReplicaState.Dead && reachable.Contains(peer)) { target = peer; break; }
                }

                // 2. Too few live replicas because a peer is gone for good: copy to a peer without one.
                if (target == 0)
                {
                    int live = 0;
                    foreach (var (peer, s) in replicas)
                    {
                        if (s != ReplicaState.Dead && !IsGone(peer, deadAfter)) live++;
                    }

                    if (live < replicationFactor)
                    {
                        foreach (var peer in LeastLoaded(state, reachable))
                        {
                            if (!replicas.ContainsKey(peer)) { target = peer; break; }
                        }
                    }
                    else
                    {
                        await DropGoneReplicaAsync(name, shardId, replicas, deadAfter, ct).ConfigureAwait(false);
                    }
                }

                if (target == 0 || incoming.GetValueOrDefault(target) >= Math.Max(1, _options.Storage.IncomingShardTransfersLimit)) continue;
                healed = true;
                _logger.LogInformation("Healing: replicating shard {Shard} of {Collection} from peer {From} to peer {To}", shardId, name, source, target);
                await StartTransferAsync(name, new ShardTransferInfo(shardId, source, target, Sync: true, DefaultTransferMethod), ct).ConfigureAwait(false);
                incoming[target] = incoming.GetValueOrDefault(target) + 1;
                outgoing[source] = outgoing.GetValueOrDefault(source) + 1;
            }
        }

        if (!healed && _unreachableSince.Count == 0) await RebalanceOnceAsync(state, reachable, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Evens out placement (a peer joined, or replicas piled up): when the most loaded reachable peer holds at least
    /// two replicas more than the least loaded one, moves one of its replicas there. One move at a time, and only
    /// while nothing else is being transferred or healed.
    /// </summary>
    private async Task<bool> RebalanceOnceAsync(ClusterStateData state, HashSet<ulong> reachable, CancellationToken ct)
    {
        foreach (var c in state.Collections.Values)
        {
            if (c.Transfers.Count > 0) return false;
            foreach (var replicas in c.Shards.Values)
            {
                foreach (var r in replicas.Values) if (r != ReplicaState.Active && r != ReplicaState.Listener) return false;
            }
        }

        var load = LeastLoaded(state, reachable);
        if (load.Count < 2) return false;
        var counts = new Dictionary<ulong, int>();
        foreach (var p in load) counts[p] = 0;
        foreach (var c in state.Collections.Values)
        {
            foreach (var replicas in c.Shards.Values)
            {
                foreach (var p in replicas.Keys) if (counts.ContainsKey(p)) counts[p]++;
            }
        }

        ulong least = load[0], most = load[^1];
        if (counts[most] - counts[least] < 2) return false;
        foreach (var (name, c) in state.Collections)
        {
            foreach (var (shardId, replicas) in c.Shards)
            {
                if (!replicas.TryGetValue(most, out var s) || s != ReplicaState.Active || replicas.ContainsKey(least)) continue;
                _logger.LogInformation("Rebalancing: moving shard {Shard} of {Collection} from peer {From} ({FromCount} replicas) to peer {To} ({ToCount})",
                    shardId, name, most, counts[most], least, counts[least]);
                await StartTransferAsync(name, new ShardTransferInfo(shardId, most, least, Sync: false, DefaultTransferMethod), ct).ConfigureAwait(false);
                return true;
            }
        }

        return false;
    }

    private async Task DropGoneReplicaAsync(string name, uint shardId, SortedDictionary<ulong, ReplicaState> replicas, TimeSpan deadAfter, CancellationToken ct)
    {
        int active = 0;
        foreach (var s in replicas.Values) if (s == ReplicaState.Active) active++;
        foreach (var (peer, s) in replicas)
        {
            if (s == ReplicaState.Dead && IsGone(peer, deadAfter) && active >= 1)
            {
                _logger.LogInformation("Healing: dropping the replica of shard {Shard} of {Collection} on peer {Peer}, gone for over {Seconds} s", shardId, name, peer, deadAfter.TotalSeconds);
                await _node.ProposeAsync(new RemoveReplicaCommand(name, shardId, peer), ct).ConfigureAwait(false);
                return;
            }
        }
    }

    private HashSet<ulong> ReachablePeers(ClusterStateData state)
    {
        var failures = _node.SendFailures.Snapshot();
        var reachable = new HashSet<ulong>();
        var now = DateTime.UtcNow;
        foreach (var (peer, uri) in state.Peers)
        {
            if (peer == _node.PeerId || !failures.ContainsKey(uri))
            {
                reachable.Add(peer);
                _unreachableSince.Remove(peer);
            }
            else if (!_unreachableSince.ContainsKey(peer))
            {
                _unreachableSince[peer] = now;
            }
        }

        return reachable;
    }

    private bool IsGone(ulong peer, TimeSpan deadAfter) =>
        !_node.Metadata.Current.Peers.ContainsKey(peer)
        || (_unreachableSince.TryGetValue(peer, out var since) && DateTime.UtcNow - since >= deadAfter);

    private static List<ulong> LeastLoaded(ClusterStateData state, HashSet<ulong> candidates)
    {
        var load = new Dictionary<ulong, int>();
        foreach (var p in candidates) load[p] = 0;
        foreach (var c in state.Collections.Values)
        {
            foreach (var replicas in c.Shards.Values)
            {
                foreach (var p in replicas.Keys) if (load.ContainsKey(p)) load[p]++;
            }
        }

        return [.. load.OrderBy(kv => kv.Value).ThenBy(kv => kv.Key).Select(kv => kv.Key)];
    }

    private static int ReplicationFactorOf(CollectionState c)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(c.Config);
        return doc.RootElement.TryGetProperty("replication_factor", out var rf) && rf.TryGetInt32(out int v) ? v : 1;
    }
}

using System.Text.Json;
using AspireVector.Node.Collections;
using Microsoft.Extensions.Logging;

namespace AspireVector.Node.Cluster;

/// <summary>
/// Recovering a collection or shard snapshot on one peer of a cluster, as Qdrant does: the collection is created through
/// consensus when absent (this peer holding every shard the snapshot has), this peer's replicas of those shards are
/// replaced by the snapshot's data, and the <c>priority</c> decides which copy wins where other active replicas exist.
/// </summary>
/// <remarks>
/// Priorities: <c>replica</c> (the default) keeps the cluster's data: the recovered replica is refilled by a transfer
/// from an active one. <c>snapshot</c> makes the recovered replica the source of truth: the others are marked dead and
/// refilled from it, one transfer after another, in the background. <c>no_sync</c> activates the recovered replica and
/// leaves the others as they are. A replica with no other active copy is simply activated. Writes acknowledged while a
/// replica is being recovered may be overwritten by the snapshot's data, as in Qdrant: recover while writes are paused.
/// </remarks>
public sealed partial class ClusterCollections
{
    private static readonly TimeSpan RecoverySyncDeadline = TimeSpan.FromHours(6);

    /// <summary>
    /// Recovers this peer's replicas of <paramref name="shardFolders"/> (shard id → validated shard folder) of
    /// collection <paramref name="name"/>; shards the cluster placed elsewhere are skipped. 400 when the snapshot's
    /// vectors or shard number differ from the existing collection's.
    /// </summary>
    public async Task RecoverFromSnapshotAsync(string name, CollectionConfig snapshotConfig, IReadOnlyDictionary<uint, string> shardFolders,
        string? priority, CancellationToken cancellationToken)
    {
        if (!_node.Metadata.Current.Collections.ContainsKey(name))
        {
            using var body = JsonDocument.Parse(snapshotConfig.ToPersistedJson());
            try { await CreateAsync(name, snapshotConfig, body.RootElement, [.. shardFolders.Keys], cancellationToken).ConfigureAwait(false); }
            catch (CollectionException e) when (e.StatusCode == 409) { } // created meanwhile: checked like any existing one
        }

        var existing = await LocalCollectionAsync(name, cancellationToken).ConfigureAwait(false);
        if (snapshotConfig.VectorSpaces() != existing.Config.VectorSpaces())
            throw CollectionException.WrongInput($"Snapshot is not compatible with existing collection: Collection vectors: {existing.Config.VectorSpaces()} Snapshot Vectors: {snapshotConfig.VectorSpaces()}");
        if (snapshotConfig.ShardNumber != existing.Config.ShardNumber)
            throw CollectionException.WrongInput($"Snapshot is not compatible with existing collection: Collection shard number: {existing.Config.ShardNumber} Snapshot shard number: {snapshotConfig.ShardNumber}");

        foreach (var (shardId, folder) in shardFolders.OrderBy(s => s.Key))
        {
            if (!ReplicasOf(name, shardId).Any(r => r.PeerId == _node.PeerId))
            {
                _logger.LogInformation("Snapshot recovery of {Collection}: shard {Shard} has no replica on this peer, skipped", name, shardId);
                continue;
            }

            await RecoverReplicaAsync(name, shardId, folder, priority ?? "replica", cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RecoverReplicaAsync(string name, uint shardId, string folder, string priority, CancellationToken cancellationToken)
    {
        // Partial while its data is replaced: the replica keeps taking writes but serves no reads.
        await _node.ProposeAsync(new SetReplicaStateCommand(name, shardId, _node.PeerId, ReplicaState.Partial), cancellationToken).ConfigureAwait(false);
        var collection = await LocalCollectionAsync(name, cancellationToken).ConfigureAwait(false);
        lock (_reconcileLock)
        {
            if (collection.LocalShard(shardId) is null)
                throw new CollectionException(409, $"Conflict: the replica of shard {shardId} of `{name}` left this peer during the recovery");
            collection.ReplaceLocalShard(shardId, folder);
        }

        _logger.LogInformation("Recovered shard {Shard} of {Collection} from a snapshot (priority {Priority})", shardId, name, priority);
        var others = ReplicasOf(name, shardId).Where(r => r.PeerId != _node.PeerId && r.State == ReplicaState.Active).Select(r => r.PeerId).ToList();
        if (others.Count == 0 || priority == "no_sync")
        {
            await _node.ProposeAsync(new SetReplicaStateCommand(name, shardId, _node.PeerId, ReplicaState.Active, ReplicaState.Partial), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (priority == "snapshot")
        {
            await _node.ProposeAsync(new SetReplicaStateCommand(name, shardId, _node.PeerId, ReplicaState.Active, ReplicaState.Partial), cancellationToken).ConfigureAwait(false);
            foreach (var peer in others)
                await _node.ProposeAsync(new SetReplicaStateCommand(name, shardId, peer, ReplicaState.Dead, ReplicaState.Active), cancellationToken).ConfigureAwait(false);
            _ = Task.Run(() => RefillFromHereAsync(name, shardId, others), CancellationToken.None);
            return;
        }

        // "replica": the cluster's copy wins; this replica is emptied and refilled from an active one.
        await _node.ProposeAsync(new SetReplicaStateCommand(name, shardId, _node.PeerId, ReplicaState.Dead, ReplicaState.Partial), cancellationToken).ConfigureAwait(false);
        await StartTransferAsync(name, new ShardTransferInfo(shardId, others[0], _node.PeerId, Sync: true, DefaultTransferMethod), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Refills the dead replicas <paramref name="peers"/> of a shard from this peer's recovered one, one transfer at a time.</summary>
    private async Task RefillFromHereAsync(string name, uint shardId, IReadOnlyList<ulong> peers)
    {
        using var cts = new CancellationTokenSource(RecoverySyncDeadline);
        try
        {
            foreach (var peer in peers)
            {
                while (true)
                {
                    if (!ReplicasOf(name, shardId).Any(r => r.PeerId == peer && r.State == ReplicaState.Dead)) break; // refilled, moved or dropped meanwhile
                    if (!TransferOfShardRunning(name, shardId))
                    {
                        try
                        {
                            await StartTransferAsync(name, new ShardTransferInfo(shardId, _node.PeerId, peer, Sync: true, DefaultTransferMethod), cts.Token).ConfigureAwait(false);
                        }
                        catch (CollectionException e)
                        {
                            _logger.LogDebug("Refilling shard {Shard} of {Collection} on peer {Peer}: {Error}", shardId, name, peer, e.Message);
                        }
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(200), cts.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or CollectionException)
        {
            _logger.LogWarning("Refilling shard {Shard} of {Collection} from the recovered snapshot stopped: {Error}", shardId, name, e.Message);
        }
    }

    private bool TransferOfShardRunning(string name, uint shardId) =>
        _node.Metadata.Current.Collections.TryGetValue(name, out var c) && c.Transfers.Exists(t => t.ShardId == shardId);

    /// <summary>The local collection once this peer applied its creation (at most the bootstrap timeout).</summary>
    private async Task<Collection> LocalCollectionAsync(string name, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(Math.Max(1, _options.Cluster.BootstrapTimeoutSec));
        while (true)
        {
            if (Toc.Exists(name)) return Toc.Get(name);
            if (DateTime.UtcNow >= deadline) throw new CollectionException(503, $"Service unavailable: collection `{name}` is not open on this peer yet");
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }
}

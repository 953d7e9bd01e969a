using System.Collections.Concurrent;
using AspireVector.Node.Collections;
using AspireVector.Node.Points;
using AspireVector.Node.Storage;
using Microsoft.Extensions.Logging;

namespace AspireVector.Node.Cluster;

/// <summary>
/// Shard transfers, run by the sending peer: it fills the receiver by <c>stream_records</c> (below) or <c>snapshot</c>
/// (<c>ClusterCollections.SnapshotTransfer.cs</c>) while forwarding every live update of the shard; then proposes completion.
/// </summary>
public sealed partial class ClusterCollections
{
    private const int TransferBatchSize = 256;
    private readonly ConcurrentDictionary<(string, uint, ulong), byte> _runningTransfers = new();
    private readonly Lock _runningTransfersLock = new();
    private readonly ConcurrentDictionary<(string, uint, ulong), string> _transferProgress = new();

    /// <summary>Progress of a transfer this peer is sending, for the collection cluster info.</summary>
    public string? TransferComment(string collection, uint shardId, ulong to) =>
        _transferProgress.TryGetValue((collection, shardId, to), out var comment) ? comment : null;

    /// <summary>Starts a transfer through consensus; the sender picks it up when it applies the entry.</summary>
    public Task StartTransferAsync(string collection, ShardTransferInfo transfer, CancellationToken cancellationToken) =>
        _node.ProposeAsync(new StartTransferCommand(collection, transfer), cancellationToken);

    /// <remarks>
    /// One runner per shard at a time: a runner keeps forwarding after its transfer left the metadata (see
    /// <see cref="RunTransferAsync"/>), and the shard has a single forwarder, so a next transfer of the same shard
    /// (say a move right after a replication) starts once the previous runner stopped; it looks again when it ends.
    /// Were they to overlap, the first one stopping its forwarding would silently stop the second one's, and the second
    /// receiver would miss every write acknowledged from then until it became active.
    /// </remarks>
    private void StartOwnTransfers(ClusterStateData state)
    {
        foreach (var (name, c) in state.Collections)
        {
            foreach (var t in c.Transfers)
            {
                if (t.From != _node.PeerId) continue;
                if (!c.Shards.TryGetValue(t.ShardId, out var replicas) || !replicas.TryGetValue(_node.PeerId, out var own) || own != ReplicaState.Active) continue;
                var key = (name, t.ShardId, t.To);
                lock (_runningTransfersLock)
                {
                    if (IsRunningTransferOf(name, t.ShardId)) continue;
                    _runningTransfers[key] = 0;
                }

                _ = Task.Run(async () =>
                {
                    try { await RunTransferAsync(name, t).ConfigureAwait(false); }
                    finally
                    {
                        _runningTransfers.TryRemove(key, out _);
                        _transferProgress.TryRemove(key, out _);
                    }

                    // A new transfer of the same shard, committed while this runner was still winding down, was skipped
                    // above and no later metadata change may come to start it: look again now.
                    StartOwnTransfers(_node.Metadata.Current);
                });
            }
        }
    }

    /// <summary>Whether a runner of a transfer of this shard (to any peer) is still running here. Hold <see cref="_runningTransfersLock"/>.</summary>
    private bool IsRunningTransferOf(string name, uint shardId)
    {
        foreach (var (collection, shard, _) in _runningTransfers.Keys)
        {
            if (shard == shardId && collection == name) return true;
        }

        return false;
    }

    private async Task RunTransferAsync(string name, ShardTransferInfo transfer)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromHours(6));
        var ct = cts.Token;
        var key = (name, transfer.ShardId, transfer.To);
        LocalShard? shard = null;
        Func<ShardOperation, Task> send = op => UpdateRemoteAsync(transfer.To, name, transfer.ShardId, op, null, wait: true, 0, ct);
        var queued = transfer.Method == SnapshotTransferMethod ? new QueuedForwarder(send) : null;
        // The shard's forwarder for this transfer; stopped below by identity, so it never stops another transfer's.
        Func<ShardOperation, Task> forward = queued is null ? send : queued.ForwardAsync;
        // True once a finish or abort of this very transfer is committed: its outcome is final, so the runner need not wait
        // for the metadata to drop it (an identical transfer started right after would otherwise look like this one).
        bool settled = false;
        try
        {
            var collection = Toc.Get(name);
            shard = collection.LocalShard(transfer.ShardId) ?? throw new InvalidOperationException($"no local replica of shard {transfer.ShardId}");
            _logger.LogInformation("Transfer of shard {Shard} of {Collection} to peer {To} starting", transfer.ShardId, name, transfer.To);
            await _client.Channels.CallAsync(_node.Transport.UriOf(transfer.To) ?? throw new InvalidOperationException($"peer {transfer.To} has no known address"),
                P2P.P2PMethods.ShardsStartTransfer,
                new P2P.Protos.ShardTransferRequest { Collection = name, ShardId = transfer.ShardId, FromPeer = transfer.From, ToPeer = transfer.To },
                P2P.Protos.Empty.Parser, null, ct).ConfigureAwait(false);

            if (queued is not null) await SendSnapshotAsync(name, transfer, shard, queued, forward, key, ct).ConfigureAwait(false);
            else await StreamRecordsAsync(name, transfer, shard, forward, key, ct).ConfigureAwait(false);
            if (shard.ForwardFailure is { } lost) throw new InvalidOperationException("forwarding a live update failed: " + lost);

            // Keep forwarding until every reachable peer routes writes by the new placement: a coordinator still on the old
            // one writes only here, and that write must reach the new replica too.
            await _node.ProposeAndSyncAsync(new FinishTransferCommand(name, transfer.ShardId, transfer.From, transfer.To), ct).ConfigureAwait(false);
            settled = true;
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct).ConfigureAwait(false);
            _logger.LogInformation("Transfer of shard {Shard} of {Collection} to peer {To} by {Method} finished", transfer.ShardId, name, transfer.To, transfer.Method);
        }
        catch (Exception e)
        {
            _logger.LogWarning("Transfer of shard {Shard} of {Collection} to peer {To} failed: {Error}", transfer.ShardId, name, transfer.To, e.Message);
            if (StillTransferring(name, transfer))
            {
                try
                {
                    await _node.ProposeAsync(new AbortTransferCommand(name, transfer.ShardId, transfer.From, transfer.To, e.Message), CancellationToken.None).ConfigureAwait(false);
                    settled = true;
                }
                catch (Exception abortError)
                {
                    _logger.LogWarning("Could not abort the transfer: {Error}", abortError.Message);
                }
            }
        }
        finally
        {
            if (shard is not null)
            {
                // A finish or abort proposal may still be committed after this runner gave up on it: until the metadata
                // no longer lists the transfer, the receiver may yet become active, so it must keep getting every update.
                var settle = DateTime.UtcNow + TimeSpan.FromMinutes(1);
                while (!settled && StillTransferring(name, transfer) && DateTime.UtcNow < settle && !_node.IsRemoved)
                {
                    await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
                }

                string? lostForward = shard.ForwardFailure;
                try { await shard.StopForwardingAsync(forward).ConfigureAwait(false); }
                catch (ObjectDisposedException) { }
                if (lostForward is not null && ReplicasOf(name, transfer.ShardId).Any(r => r.PeerId == transfer.To && r.State == ReplicaState.Active))
                {
                    // The receiver missed a forwarded update yet became active: it must not serve until recovered.
                    ReportFailedReplica(name, transfer.ShardId, transfer.To, "forwarding a live update failed: " + lostForward);
                }

                // A moved-away replica was kept open while forwarding; now it can go.
                Reconcile(_node.Metadata.Current, _node.Metadata.AppliedIndex);
            }
        }
    }

    /// <summary>
    /// <c>stream_records</c>: forwards every live update and, between updates, streams the shard's points in id order.
    /// </summary>
    private async Task StreamRecordsAsync(string name, ShardTransferInfo transfer, LocalShard shard, Func<ShardOperation, Task> forward,
        (string, uint, ulong) key, CancellationToken ct)
    {
        await shard.SetForwarderAsync(forward).ConfigureAwait(false);
        long total = shard.Segment.PointCount, sent = 0;
        PointId? offset = null;
        bool done = false;
        while (!done)
        {
            if (!StillTransferring(name, transfer)) throw new OperationCanceledException("the transfer was aborted");
            (offset, int count) = await shard.WithUpdatesPausedAsync(async segment =>
            {
                var (batch, next) = ReadBatch(segment, offset);
                if (batch.Count > 0)
                    await UpdateRemoteAsync(transfer.To, name, transfer.ShardId, ShardOperation.Upsert(batch), null, wait: true, 0, ct).ConfigureAwait(false);
                return (next, batch.Count);
            }, ct).ConfigureAwait(false);
            sent += count;
            done = offset is null;
            _transferProgress[key] = $"Transferring records ({sent}/{Math.Max(total, sent)}), started {DateTime.UtcNow:O}";
            if (shard.ForwardFailure is { } failure) throw new InvalidOperationException("forwarding a live update failed: " + failure);
        }
    }

    private bool StillTransferring(string name, ShardTransferInfo transfer) =>
        _node.Metadata.Current.Collections.TryGetValue(name, out var c)
        && c.Transfers.Exists(t => t.ShardId == transfer.ShardId && t.From == transfer.From && t.To == transfer.To);

    private static (List<PointRecord> Batch, PointId? Next) ReadBatch(Segment segment, PointId? offset)
    {
        var batch = new List<PointRecord>(TransferBatchSize);
        segment.Lock.EnterReadLock();
        try
        {
            foreach (var id in segment.IdsFrom(offset))
            {
                if (batch.Count == TransferBatchSize) return (batch, id);
                segment.TryGetOffset(id, out int o);
                batch.Add(new PointRecord(id, segment.VectorsAt(o), segment.PayloadAt(o)) { Sparse = segment.SparseVectorsAt(o) ?? PointRecord.NoSparse });
            }
        }
        finally { segment.Lock.ExitReadLock(); }
        return (batch, null);
    }

    /// <summary>The receiver's side of a transfer start: once the metadata shows its partial replica, empty it.</summary>
    private async Task PrepareReceiveAsync(P2P.Protos.ShardTransferRequest request, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + CatchUpWait;
        while (true)
        {
            var state = _node.Metadata.Current;
            if (state.Collections.TryGetValue(request.Collection, out var c)
                && c.Shards.TryGetValue(request.ShardId, out var replicas)
                && replicas.TryGetValue(_node.PeerId, out var s) && s == ReplicaState.Partial
                && _toc is not null && _toc.Exists(request.Collection))
            {
                lock (_reconcileLock)
                {
                    _toc.Get(request.Collection).ResetLocalShard(request.ShardId);
                }

                return;
            }

            if (DateTime.UtcNow >= deadline)
                throw new P2P.Grpc.GrpcException(P2P.Grpc.GrpcStatusCode.FailedPrecondition, $"peer {_node.PeerId} has no partial replica of shard {request.ShardId} of `{request.Collection}` to receive into");
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }
}

using AspireVector.Node.Points;
using AspireVector.Node.Sharding;
using AspireVector.Node.Storage;
using AspireVector.Node.Telemetry;

namespace AspireVector.Node.Collections;

public sealed partial class Collection
{
    /// <summary>
    /// Reads one shard: from the local replica in single-node mode; in cluster mode from readable replicas
    /// (the local one first), as many as <paramref name="consistency"/> asks, merging their answers.
    /// </summary>
    private async Task<ShardReadResult> ReadShardAsync(uint shardId, ShardReadRequest request, ReadConsistency consistency, CancellationToken cancellationToken)
    {
        var result = await ReadShardUntaggedAsync(shardId, request, consistency, cancellationToken).ConfigureAwait(false);
        return Config.KeyOf(shardId) is { } key ? WithShardKey(result, key) : result;
    }

    /// <summary>Marks the points a custom-sharded shard answered with its key (Qdrant's <c>shard_key</c> on returned points).</summary>
    private static ShardReadResult WithShardKey(ShardReadResult result, Sharding.ShardKey key)
    {
        if (result.Points.Count == 0) return result;
        var tagged = new List<PointView>(result.Points.Count);
        foreach (var p in result.Points) tagged.Add(p with { ShardKey = key });
        return result with { Points = tagged };
    }

    private async Task<ShardReadResult> ReadShardUntaggedAsync(uint shardId, ShardReadRequest request, ReadConsistency consistency, CancellationToken cancellationToken)
    {
        if (Replicas is null)
        {
            var local = LocalShard(shardId) ?? throw NotOpen(shardId);
            return ReadLocalTraced(shardId, local, request);
        }

        if (!Replicas.CanCoordinateWrites)
            throw new CollectionException(503, "Service unavailable: this peer is catching up with the cluster's metadata; retry in a moment or through another peer");
        var readable = ReadableReplicas(shardId);
        if (readable.Count == 0)
            throw new CollectionException(503, $"Service unavailable: No active replica of shard {shardId} of collection `{Name}` can serve reads right now");
        int required = consistency.Kind == ReadConsistencyKind.Factor && consistency.Factor <= 1 ? 1 : consistency.RequiredResponses(readable.Count);
        if (required == 1) return await ReadFirstAnswerAsync(shardId, readable, request, cancellationToken).ConfigureAwait(false);

        var answers = new List<ShardReadResult>(required);
        var errors = new List<string>();
        int next = 0;
        while (answers.Count < required && next < readable.Count)
        {
            int batch = Math.Min(required - answers.Count, readable.Count - next);
            var tasks = new Task<ShardReadResult>[batch];
            for (int i = 0; i < batch; i++) tasks[i] = ReadReplicaAsync(readable[next + i], shardId, request, cancellationToken);
            next += batch;
            foreach (var t in tasks)
            {
                try { answers.Add(await t.ConfigureAwait(false)); }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested) { errors.Add(e.Message); }
            }
        }

        if (answers.Count < required)
            throw new CollectionException(503, $"Service unavailable: read consistency of {required} replicas cannot be met for shard {shardId} of collection `{Name}` ({answers.Count} answered): {string.Join("; ", errors)}");
        return MergeConsistent(answers, consistency.RequiredPresence(answers.Count), request);
    }

    /// <summary>Keeps points present in at least <paramref name="presence"/> answers, each in its newest version.</summary>
    private ShardReadResult MergeConsistent(List<ShardReadResult> answers, int presence, ShardReadRequest request)
    {
        var kind = request.Kind;
        if (kind == ShardReadKind.Count)
        {
            long max = 0, indexed = 0;
            foreach (var a in answers) { max = Math.Max(max, a.Count); indexed = Math.Max(indexed, a.IndexedCount); }
            return new ShardReadResult([], max, indexed);
        }

        if (kind == ShardReadKind.Facet)
        {
            var facets = new Dictionary<string, long>();
            foreach (var a in answers)
            {
                foreach (var (value, count) in a.Facets ?? []) facets[value] = Math.Max(facets.GetValueOrDefault(value), count);
            }

            return new ShardReadResult([], 0, 0) { Facets = facets };
        }

        var seen = new Dictionary<PointId, (PointView Point, int Count)>();
        foreach (var a in answers)
        {
            foreach (var p in a.Points)
            {
                seen[p.Id] = seen.TryGetValue(p.Id, out var s) ? (p.Version > s.Point.Version ? p : s.Point, s.Count + 1) : (p, 1);
            }
        }

        var kept = new List<PointView>(seen.Count);
        foreach (var (point, count) in seen.Values) if (count >= presence) kept.Add(point);
        if (kind == ShardReadKind.Search) SortByScore(kept, Config.ScoreDistance(request.VectorName));
        else if (kind is ShardReadKind.Recommend or ShardReadKind.Discover or ShardReadKind.Context) SortByRecommendScore(kept);
        else kept.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        return ShardReadResult.Of(kept);
    }

    /// <summary>
    /// Reads one replica with hedging: replicas are asked in order (see <see cref="ReadableReplicas"/>); when the one
    /// asked has not answered within <see cref="IShardReplicas.ReadHedgeDelay"/>, the next one is asked too, and the
    /// first successful answer wins (the others are cancelled). A failed replica makes way for the next one at once.
    /// </summary>
    /// <remarks>
    /// Reads are idempotent, so a duplicate costs only work. The delay is fixed rather than derived from a peer's recent
    /// latency: on loopback or a LAN a shard read takes a few ms, and a latency-derived delay that small would duplicate
    /// reads at every GC pause, adding load exactly when the cluster is busy; a bound well above a healthy search's p99
    /// keeps duplicates rare while capping a slow peer's effect on the tail. The latency ordering does the rest: after one
    /// slow answer the peer is no longer asked first.
    /// </remarks>
    private async Task<ShardReadResult> ReadFirstAnswerAsync(uint shardId, List<ulong> readable, ShardReadRequest request, CancellationToken cancellationToken)
    {
        using var race = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var hedge = Replicas!.ReadHedgeDelay;
        var running = new List<Task<ShardReadResult>>(2);
        var waitOn = new List<Task>(3);
        Exception? last = null;
        int next = 0;
        try
        {
            while (true)
            {
                if (running.Count == 0)
                {
                    if (next == readable.Count)
                        throw new CollectionException(503, $"Service unavailable: every replica of shard {shardId} of collection `{Name}` failed: {last?.Message}");
                    running.Add(StartRead(readable[next++], shardId, request, race.Token));
                }

                waitOn.Clear();
                waitOn.AddRange(running);
                Task? hedgeTimer = hedge > TimeSpan.Zero && next < readable.Count ? Task.Delay(hedge, race.Token) : null;
                if (hedgeTimer is not null) waitOn.Add(hedgeTimer);
                var done = await Task.WhenAny(waitOn).ConfigureAwait(false);
                if (done == hedgeTimer)
                {
                    running.Add(StartRead(readable[next++], shardId, request, race.Token));
                    continue;
                }

                var read = (Task<ShardReadResult>)done;
                running.Remove(read);
                if (read.IsCompletedSuccessfully) return read.Result;
                cancellationToken.ThrowIfCancellationRequested();
                last = read.Exception?.GetBaseException() ?? new OperationCanceledException("the read was cancelled");
            }
        }
        finally
        {
            await race.CancelAsync().ConfigureAwait(false); // the losers and the pending hedge timer
        }
    }

    private Task<ShardReadResult> StartRead(ulong peerId, uint shardId, ShardReadRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return ReadReplicaAsync(peerId, shardId, request, cancellationToken);
        }
        catch (Exception e)
        {
            return Task.FromException<ShardReadResult>(e); // a local replica fails synchronously
        }
    }

    /// <summary>Readable replicas of a shard: the local one first, then the others by their recent latency, fastest first.</summary>
    private List<ulong> ReadableReplicas(uint shardId)
    {
        var local = Replicas!.LocalPeerId;
        var list = new List<ulong>();
        var latency = new List<double>();
        bool hasLocal = false;
        foreach (var r in Replicas.ReplicasOf(Name, shardId))
        {
            if (!r.IsReadable) continue;
            if (r.PeerId == local) { hasLocal = true; continue; }

            // Insertion keeps placement order among equals; a peer with no recent estimate counts as fast, so it gets probed.
            double ms = Replicas.LatencyOf(r.PeerId) ?? 0;
            int at = latency.Count;
            while (at > 0 && latency[at - 1] > ms) at--;
            latency.Insert(at, ms);
            list.Insert(at, r.PeerId);
        }

        if (hasLocal) list.Insert(0, local);
        return list;
    }

    private Task<ShardReadResult> ReadReplicaAsync(ulong peerId, uint shardId, ShardReadRequest request, CancellationToken cancellationToken)
    {
        if (peerId != Replicas!.LocalPeerId) return Replicas.ReadRemoteAsync(peerId, Name, shardId, request, cancellationToken);
        var local = LocalShard(shardId) ?? throw (ShardFailure(shardId) is { } failure
            ? new CollectionException(500, failure)
            : new CollectionException(503, $"Service unavailable: the local replica of shard {shardId} is not open yet"));
        return Task.FromResult(ReadLocalTraced(shardId, local, request));
    }

    /// <summary>A read of the local replica inside its shard-call span (remote replicas get theirs from <see cref="Replicas"/>).</summary>
    private ShardReadResult ReadLocalTraced(uint shardId, LocalShard local, ShardReadRequest request)
    {
        using var span = NodeActivities.StartShardCall(NodeActivities.OperationName(request.Kind), Name, shardId, null);
        try
        {
            return ReadLocal(local, request);
        }
        catch (Exception e)
        {
            NodeActivities.Fail(span, e);
            throw;
        }
    }

    /// <summary>An update of the local replica inside its shard-call span, which ends when the update does.</summary>
    private async Task<UpdateResult> UpdateLocalTracedAsync(uint shardId, LocalShard local, ShardOperation operation, QueryFilter? filter, bool wait, CancellationToken cancellationToken)
    {
        using var span = NodeActivities.StartShardCall(NodeActivities.OperationName(operation.Kind), Name, shardId, null);
        try
        {
            return await UpdateLocalAsync(local, operation, filter, wait, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            NodeActivities.Fail(span, e);
            throw;
        }
    }

    /// <summary>
    /// Writes to one shard: locally in single-node mode; in cluster mode to every updatable replica in parallel,
    /// answering once <c>write_consistency_factor</c> of them applied it. Replicas that fail are reported dead.
    /// </summary>
    private async Task<UpdateResult> WriteShardAsync(uint shardId, ShardOperation operation, QueryFilter? filter, bool wait, WriteOrdering ordering, CancellationToken cancellationToken)
    {
        if (Replicas is null)
        {
            var local = LocalShard(shardId) ?? throw NotOpen(shardId);
            return await UpdateLocalTracedAsync(shardId, local, operation, filter, wait, cancellationToken).ConfigureAwait(false);
        }

        if (!Replicas.CanCoordinateWrites)
            throw new CollectionException(503, "Service unavailable: this peer is catching up with the cluster's metadata; retry in a moment or through another peer");
        if (ordering == WriteOrdering.Weak) return await WithRerouteAsync(() => FanOutWriteAsync(shardId, operation, filter, wait)).ConfigureAwait(false);
        ulong primary = PrimaryOf(shardId);
        if (primary != 0 && primary != Replicas.LocalPeerId)
            return await Replicas.CoordinateRemoteAsync(primary, Name, shardId, operation, filter, wait, cancellationToken).ConfigureAwait(false);
        return await WithRerouteAsync(() => CoordinateWriteAsync(shardId, operation, filter, wait, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// Retries a write whose replicas answered "not here" (a transfer just moved the shard and this peer has not
    /// applied the new placement yet). Writes are idempotent, so replicas that took the first attempt take it again.
    /// </summary>
    private static async Task<UpdateResult> WithRerouteAsync(Func<Task<UpdateResult>> write)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await write().ConfigureAwait(false);
            }
            catch (CollectionException e) when (e.StatusCode == 503 && attempt < 50
                && (e.Message.Contains(MovedMarker, StringComparison.Ordinal) || e.Message.Contains(StaleMarker, StringComparison.Ordinal)))
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }

    private const string MovedMarker = "has no replica on peer";
    private const string StaleMarker = "Stale placement";

    /// <summary>
    /// Writes one shard as its primary: one write at a time per shard, so every replica applies them in the same order
    /// (<c>ordering=medium|strong</c>, also what a peer forwarding such a write asks of this one).
    /// </summary>
    public async Task<UpdateResult> CoordinateWriteAsync(uint shardId, ShardOperation operation, QueryFilter? filter, bool wait, CancellationToken cancellationToken)
    {
        if (shardId >= _orderingGates.Length) EnsureCapacity((int)shardId + 1);
        var gate = _orderingGates[shardId];
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await FanOutWriteAsync(shardId, operation, filter, wait).ConfigureAwait(false);
        }
        finally { gate.Release(); }
    }

    /// <summary>The shard's primary: its active replica with the lowest peer id (0 when none is active).</summary>
    private ulong PrimaryOf(uint shardId)
    {
        ulong primary = 0;
        foreach (var r in Replicas!.ReplicasOf(Name, shardId))
        {
            if (r.IsReadable && (primary == 0 || r.PeerId < primary)) primary = r.PeerId;
        }

        return primary;
    }

    private async Task<UpdateResult> FanOutWriteAsync(uint shardId, ShardOperation operation, QueryFilter? filter, bool wait)
    {
        // The index first, then the placement it covers: a replica whose placement changed since refuses the write.
        ulong routedBy = Replicas!.AppliedIndex;
        var targets = new List<ulong>();
        foreach (var r in Replicas.ReplicasOf(Name, shardId)) if (r.IsUpdatable) targets.Add(r.PeerId);
        int needed = Math.Min(Math.Max(1, Config.WriteConsistencyFactor), Math.Max(1, Config.ReplicationFactor));
        if (targets.Count < needed)
            throw new CollectionException(503, $"Service unavailable: write consistency factor {needed} cannot be met: shard {shardId} of collection `{Name}` has {targets.Count} replicas able to take writes");

        // Replicas keep applying after the client got its answer; the caller's cancellation must not cut them short.
        var pending = new List<Task<UpdateResult>>(targets.Count);
        var peers = new Dictionary<Task<UpdateResult>, ulong>(targets.Count);
        foreach (var peer in targets)
        {
            var task = WriteReplicaAsync(peer, shardId, operation, filter, wait, routedBy);
            pending.Add(task);
            peers[task] = peer;
        }

        int acknowledged = 0;
        ulong opId = 0;
        var errors = new List<string>();
        var broken = new List<ulong>();
        while (pending.Count > 0 && acknowledged < needed)
        {
            var done = await Task.WhenAny(pending).ConfigureAwait(false);
            pending.Remove(done);
            if (done.IsCompletedSuccessfully)
            {
                acknowledged++;
                opId = Math.Max(opId, done.Result.OperationId);
            }
            else
            {
                errors.Add(Failed(done, peers[done], broken));
            }
        }

        if (acknowledged < needed)
        {
            // Not acknowledged. When some replica applied the write, the ones that failed now differ from it: they get
            // marked dead in the background and recovered from it. When none did, the fault is more likely this peer's
            // (or an overloaded moment) than every replica's: marking them all dead would leave the shard with no
            // replica to read or to recover from, so they stay as they are (as Qdrant does).
            if (acknowledged == 0)
                throw new CollectionException(503, $"Service unavailable: no replica of shard {shardId} of collection `{Name}` applied the write: {string.Join("; ", errors)}");
            foreach (var peer in broken) Replicas.ReportFailedReplica(Name, shardId, peer, "a write failed");
            foreach (var rest in pending)
            {
                var peer = peers[rest];
                _ = rest.ContinueWith(t => { if (!t.IsCompletedSuccessfully) Replicas.ReportFailedReplica(Name, shardId, peer, t.Exception?.GetBaseException().Message ?? "cancelled"); },
                    CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            throw new CollectionException(503, $"Service unavailable: write consistency factor {needed} not met for shard {shardId} of collection `{Name}`: {string.Join("; ", errors)}");
        }

        // Acknowledging means every replica that did not take the write is out of service first: give the slower ones
        // a bounded time, then have the cluster mark the rest dead (they are recovered by a transfer) before answering.
        if (pending.Count > 0)
        {
            await Task.WhenAny(Task.WhenAll(pending), Task.Delay(Replicas.ReplicaWriteGrace)).ConfigureAwait(false);
            foreach (var rest in pending)
            {
                if (rest.IsCompletedSuccessfully) continue;
                if (rest.IsCompleted) errors.Add(Failed(rest, peers[rest], broken));
                else broken.Add(peers[rest]);
            }
        }

        // A replica refused because this peer routed by an outdated placement, or answered that it no longer holds the
        // shard (a moved-away replica closed once its transfer settled, while this write was on its way): the replica
        // that replaced it may have been missed, so the write is not acknowledged as is; it is sent again once this peer
        // caught up (writes are idempotent).
        if (errors.Exists(e => e.Contains(StaleMarker, StringComparison.Ordinal) || e.Contains(MovedMarker, StringComparison.Ordinal)))
            throw new CollectionException(503, $"Service unavailable: {StaleMarker} for shard {shardId} of collection `{Name}`: {string.Join("; ", errors)}");

        foreach (var peer in broken)
        {
            await Replicas.MarkReplicaDeadAsync(Name, shardId, peer, string.Join("; ", errors)).ConfigureAwait(false);
        }

        return new UpdateResult(opId, wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged);
    }

    /// <summary>Records why a replica's write failed; a broken replica (not a refused input) joins <paramref name="broken"/>.</summary>
    private static string Failed(Task task, ulong peer, List<ulong> broken)
    {
        string error = task.Exception?.GetBaseException().Message ?? "cancelled";
        if (task.Exception?.GetBaseException() is CollectionException { StatusCode: < 500 }) return error; // refused input, not a broken replica
        broken.Add(peer);
        return $"peer {peer}: {error}";
    }

    private Task<UpdateResult> WriteReplicaAsync(ulong peerId, uint shardId, ShardOperation operation, QueryFilter? filter, bool wait, ulong routedBy)
    {
        if (peerId != Replicas!.LocalPeerId) return Replicas.UpdateRemoteAsync(peerId, Name, shardId, operation, filter, wait, routedBy, CancellationToken.None);
        var local = LocalShard(shardId);
        return local is null
            ? Task.FromException<UpdateResult>(ShardFailure(shardId) is { } failure
                ? new CollectionException(500, failure)
                : new CollectionException(503, $"Service unavailable: the local replica of shard {shardId} is not open"))
            : UpdateLocalTracedAsync(shardId, local, operation, filter, wait, CancellationToken.None);
    }

    /// <summary>The error for a single-node shard that is not open: its load failure, if it has one.</summary>
    private CollectionException NotOpen(uint shardId) =>
        new(500, ShardFailure(shardId) ?? $"Service internal error: shard {shardId} of collection `{Name}` is not open");
}

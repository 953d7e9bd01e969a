using System.Collections.Concurrent;
using System.Text.Json;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using AspireVector.Node.P2P;
using AspireVector.Node.P2P.Grpc;
using AspireVector.Node.P2P.Protos;
using AspireVector.Node.Storage;
using AspireVector.Node.Telemetry;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace AspireVector.Node.Cluster;

/// <summary>
/// Collections in cluster mode: keeps this node's <see cref="TableOfContents"/> in step with the agreed metadata,
/// reaches replicas on other peers over P2P (<see cref="IShardReplicas"/>), and proposes collection changes
/// through consensus (<see cref="ICollectionMetaOperations"/>).
/// </summary>
public sealed partial class ClusterCollections : IShardReplicas, ICollectionMetaOperations
{
    private readonly ClusterNode _node;
    private readonly P2PClient _client;
    private readonly NodeOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<(string, uint, ulong), byte> _settlingProposals = new();
    private TableOfContents? _toc;

    /// <summary>Creates the bridge; call <see cref="Attach"/> once the table of contents exists.</summary>
    public ClusterCollections(ClusterNode node, P2PClient client, NodeOptions options, ILoggerFactory loggerFactory)
    {
        _node = node;
        _client = client;
        _options = options;
        _logger = loggerFactory.CreateLogger<ClusterCollections>();
    }

    /// <summary>This node's collections.</summary>
    public TableOfContents Toc => _toc ?? throw new InvalidOperationException("table of contents not attached");

    /// <inheritdoc />
    public ulong LocalPeerId => _node.PeerId;

    /// <inheritdoc />
    public bool CanCoordinateWrites => _node.CanRoute;

    /// <summary>Starts following the metadata with <paramref name="toc"/> (and catches up with what is applied already).</summary>
    public void Attach(TableOfContents toc)
    {
        _toc = toc;
        _node.Metadata.Changed += Reconcile;
        Reconcile(_node.Metadata.Current, _node.Metadata.AppliedIndex);
    }

    private readonly Lock _reconcileLock = new();

    private void Reconcile(ClusterStateData state, ulong appliedIndex)
    {
        if (_toc is null) return;
        // Replaying history after a restart: act only on the state reached at the end of the replay.
        if (appliedIndex < _node.StartupCommit) return;
        lock (_reconcileLock)
        {
            foreach (var (name, c) in state.Collections)
            {
                var local = new List<uint>();
                foreach (var (shardId, replicas) in c.Shards)
                {
                    if (replicas.ContainsKey(_node.PeerId)) local.Add(shardId);
                }

                try
                {
                    using var doc = JsonDocument.Parse(c.Config);
                    _toc.SyncFromCluster(name, CollectionConfig.FromCreateRequest(doc.RootElement), c.CreatedIndex, local);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or CollectionException)
                {
                    _logger.LogError(e, "Could not open collection {Name} as the cluster placed it", name);
                }
            }

            foreach (var name in _toc.Names.ToArray())
            {
                if (!state.Collections.ContainsKey(name)) _toc.DropUnlessNewer(name, appliedIndex);
            }

            _toc.SetAliases(state.Aliases);
        }

        StartOwnTransfers(state);
        if (_options.Storage.NodeType == "Listener") MarkListenerReplicas(state);
    }

    /// <summary>
    /// <c>POST /cluster/recover</c>: waits until this peer applied everything the leader has committed (Raft sends a
    /// snapshot when the leader's log no longer reaches back far enough), then makes local storage match the agreed
    /// metadata again: missing collections and replicas are created, stale ones dropped, own transfers resumed.
    /// </summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        var status = _node.Status;
        if (status.Leader == 0 || _node.IsRemoved)
            throw new CollectionException(503, "Service unavailable: No leader elected: the cluster has no quorum right now, try again later");
        ulong target = status.Commit;
        if (status.Leader != _node.PeerId && _node.Transport.UriOf(status.Leader) is { } leaderUri)
        {
            try { target = (await _client.GetCommitAsync(leaderUri, cancellationToken).ConfigureAwait(false)).Commit; }
            catch (GrpcException e) { throw new CollectionException(503, $"Service unavailable: the leader did not answer: {e.Detail}"); }
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(Math.Max(1, _options.Cluster.BootstrapTimeoutSec));
        while (_node.Status.Applied < target)
        {
            if (DateTime.UtcNow >= deadline) throw new CollectionException(504, $"Timeout: this peer applied {_node.Status.Applied} of the leader's {target} entries");
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }

        Reconcile(_node.Metadata.Current, _node.Metadata.AppliedIndex);
    }

    /// <summary>A listener node's replicas take writes but never serve reads: they are marked as such once active.</summary>
    private void MarkListenerReplicas(ClusterStateData state)
    {
        foreach (var (name, c) in state.Collections)
        {
            foreach (var (shardId, replicas) in c.Shards)
            {
                if (!replicas.TryGetValue(_node.PeerId, out var s) || s != ReplicaState.Active) continue;
                var key = (name, shardId, _node.PeerId);
                ProposeUntilSettled(key, new SetReplicaStateCommand(name, shardId, _node.PeerId, ReplicaState.Listener, ReplicaState.Active),
                    () => !ReplicasOf(name, shardId).Any(r => r.PeerId == _node.PeerId && r.State == ReplicaState.Active));
            }
        }
    }

    /// <summary>
    /// Proposes <paramref name="command"/> in the background until <paramref name="settled"/> holds (an election may
    /// be under way), at most five minutes; one such loop per <paramref name="key"/> at a time.
    /// </summary>
    private void ProposeUntilSettled((string, uint, ulong) key, ClusterCommand command, Func<bool> settled)
    {
        if (!_settlingProposals.TryAdd(key, 0)) return;
        _ = Task.Run(async () =>
        {
            try
            {
                var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
                while (DateTime.UtcNow < deadline && !_node.IsRemoved && !settled())
                {
                    try
                    {
                        await _node.ProposeAsync(command).ConfigureAwait(false);
                    }
                    catch (CollectionException e) when (e.StatusCode >= 500)
                    {
                        _logger.LogDebug("Proposal {Command} not committed yet: {Error}", command, e.Message);
                        await Task.Delay(250).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception e)
            {
                _logger.LogWarning("Proposal {Command} failed: {Error}", command, e.Message);
            }
            finally
            {
                _settlingProposals.TryRemove(key, out _);
            }
        });
    }

    /// <inheritdoc />
    public IReadOnlyList<ShardReplica> ReplicasOf(string collection, uint shardId)
    {
        if (!_node.Metadata.Current.Collections.TryGetValue(collection, out var c) || !c.Shards.TryGetValue(shardId, out var replicas)) return [];
        var list = new List<ShardReplica>(replicas.Count);
        foreach (var (peer, state) in replicas) list.Add(new ShardReplica(peer, state));
        return list;
    }

    /// <inheritdoc />
    public Task<UpdateResult> UpdateRemoteAsync(ulong peerId, string collection, uint shardId, ShardOperation operation, QueryFilter? filter, bool wait, ulong coordinatorIndex, CancellationToken cancellationToken) =>
        SendUpdateAsync(peerId, collection, shardId, operation, filter, wait, coordinate: false, cancellationToken, coordinatorIndex);

    /// <inheritdoc />
    public ulong AppliedIndex => _node.Metadata.AppliedIndex;

    /// <inheritdoc />
    public Task<UpdateResult> CoordinateRemoteAsync(ulong peerId, string collection, uint shardId, ShardOperation operation, QueryFilter? filter, bool wait, CancellationToken cancellationToken) =>
        SendUpdateAsync(peerId, collection, shardId, operation, filter, wait, coordinate: true, cancellationToken);

    private async Task<UpdateResult> SendUpdateAsync(ulong peerId, string collection, uint shardId, ShardOperation operation, QueryFilter? filter, bool wait, bool coordinate, CancellationToken cancellationToken, ulong coordinatorIndex = 0)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        ShardOperationCodec.Encode(0, operation, buffer);
        var request = new ShardUpdateRequest
        {
            Collection = collection,
            ShardId = shardId,
            Operation = UnsafeByteOperations.UnsafeWrap(buffer.WrittenMemory),
            FilterJson = filter?.Json ?? "",
            Wait = wait,
            Coordinate = coordinate,
            CoordinatorIndex = coordinatorIndex,
        };
        var reply = await CallShardAsync(peerId, NodeActivities.OperationName(operation.Kind), collection, shardId,
            P2PMethods.ShardsUpdate, request, ShardUpdateReply.Parser, cancellationToken).ConfigureAwait(false);
        return new UpdateResult(reply.OperationId, wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged);
    }

    /// <inheritdoc />
    public async Task<ShardReadResult> ReadRemoteAsync(ulong peerId, string collection, uint shardId, Collections.ShardReadRequest request, CancellationToken cancellationToken)
    {
        var message = new P2P.Protos.ShardReadRequest
        {
            Collection = collection,
            ShardId = shardId,
            RequestJson = ByteString.CopyFrom(ShardReadCodec.Encode(request)),
        };
        var reply = await CallShardAsync(peerId, NodeActivities.OperationName(request.Kind), collection, shardId,
            P2PMethods.ShardsRead, message, ShardReadReply.Parser, cancellationToken).ConfigureAwait(false);
        return ShardReadCodec.DecodeResult(reply.ResultJson.Span);
    }

    /// <inheritdoc />
    public TimeSpan ReplicaWriteGrace => TimeSpan.FromMilliseconds(_options.Cluster.ReplicaWriteGraceMs);

    /// <inheritdoc />
    public TimeSpan ReadHedgeDelay => TimeSpan.FromMilliseconds(_options.Cluster.ReadHedgeDelayMs);

    /// <inheritdoc />
    public double? LatencyOf(ulong peerId) => _node.Transport.UriOf(peerId) is { } uri ? _client.Channels.Latencies.Milliseconds(uri) : null;

    /// <inheritdoc />
    public async Task MarkReplicaDeadAsync(string collection, uint shardId, ulong peerId, string error)
    {
        if (ReplicasOf(collection, shardId).All(r => r.PeerId != peerId || r.State == ReplicaState.Dead)) return;
        _logger.LogWarning("Replica of shard {Shard} of {Collection} on peer {Peer} missed an acknowledged write ({Error}); marking it dead", shardId, collection, peerId, error);
        try
        {
            await _node.ProposeAsync(new SetReplicaStateCommand(collection, shardId, peerId, ReplicaState.Dead)).ConfigureAwait(false);
        }
        catch (CollectionException e) when (e.StatusCode >= 500)
        {
            ReportFailedReplica(collection, shardId, peerId, error);
            throw new CollectionException(503, $"Service unavailable: the write reached too few replicas and the cluster could not take the others out of service: {e.Message}");
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// A write was acknowledged without this replica, so it must not serve reads again until recovered: keep
    /// proposing until the cluster agrees (an election may be under way), for as long as the replica is still listed.
    /// </remarks>
    public void ReportFailedReplica(string collection, uint shardId, ulong peerId, string error)
    {
        _logger.LogWarning("Replica of shard {Shard} of {Collection} on peer {Peer} failed a write ({Error}); marking it dead", shardId, collection, peerId, error);
        ProposeUntilSettled((collection, shardId, peerId), new SetReplicaStateCommand(collection, shardId, peerId, ReplicaState.Dead),
            () => ReplicasOf(collection, shardId).All(r => r.PeerId != peerId || r.State == ReplicaState.Dead));
    }

    /// <summary>
    /// Calls a replica on another peer inside a shard-call span; the channel sends that span as <c>traceparent</c>,
    /// so the peer's handling joins the coordinator's trace.
    /// </summary>
    private async Task<TResponse> CallShardAsync<TRequest, TResponse>(ulong peerId, string operation, string collection, uint shardId,
        string method, TRequest request, MessageParser<TResponse> parser, CancellationToken cancellationToken)
        where TRequest : IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        string uri = _node.Transport.UriOf(peerId) ?? throw new CollectionException(503, $"Service unavailable: the address of peer {peerId} is not known");
        using var span = NodeActivities.StartShardCall(operation, collection, shardId, uri);
        try
        {
            return await _client.Channels.CallAsync(uri, method, request, parser, null, cancellationToken).ConfigureAwait(false);
        }
        catch (GrpcException e) when (e.StatusCode is GrpcStatusCode.InvalidArgument or GrpcStatusCode.NotFound or GrpcStatusCode.FailedPrecondition)
        {
            NodeActivities.Fail(span, e);
            throw new CollectionException(e.StatusCode == GrpcStatusCode.NotFound ? 404 : 400, e.Detail);
        }
        catch (GrpcException e)
        {
            NodeActivities.Fail(span, e);
            throw new CollectionException(503, $"Service unavailable: peer {peerId} at {uri}: {e.Detail}");
        }
    }
}

using AspireVector.Node.Collections;
using AspireVector.Node.P2P;
using AspireVector.Node.P2P.Grpc;
using AspireVector.Node.P2P.Protos;
using Microsoft.Extensions.Logging;

namespace AspireVector.Node.Cluster;

/// <summary>
/// <c>GET /cluster/telemetry</c> in cluster mode: placement, replica states and transfers come from the agreed
/// metadata; every peer is asked in parallel over P2P (<c>Telemetry.GetPeer</c>) for its consensus details and its
/// local replicas' figures. A peer that does not answer within the timeout is reported unresponsive, without details,
/// and its replicas carry only their peer and state — as Qdrant reports it.
/// </summary>
/// <remarks>Thread-safe: reads the published metadata and local shards' counters, never waits on the consensus loop.</remarks>
public sealed partial class DistributedTelemetry
{
    private readonly ClusterNode _node;
    private readonly ClusterCollections _collections;
    private readonly P2PClient _client;
    private readonly string _version;
    private readonly ILogger _logger;

    /// <summary>Creates the service; <paramref name="version"/> is what this node reports as its version.</summary>
    public DistributedTelemetry(ClusterNode node, ClusterCollections collections, P2PClient client, string version, ILoggerFactory loggerFactory)
    {
        _node = node;
        _collections = collections;
        _client = client;
        _version = version;
        _logger = loggerFactory.CreateLogger<DistributedTelemetry>();
    }

    /// <summary>Asks every peer (this one answers locally) and assembles the cluster's view.</summary>
    /// <param name="timeout">How long to wait for the peers; the answer comes within it even when some peer hangs.</param>
    /// <param name="cancellationToken">The request's token.</param>
    public async Task<DistributedTelemetryData> CollectAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var state = _node.Metadata.Current;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var asks = new List<Task<PeerTelemetry?>>(state.Peers.Count);
        foreach (var (peerId, uri) in state.Peers) asks.Add(AskAsync(peerId, uri, timeout, deadline.Token));
        var answers = await Task.WhenAll(asks).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        var byPeer = new Dictionary<ulong, PeerTelemetry>(answers.Length);
        foreach (var answer in answers) if (answer is not null) byPeer[answer.PeerId] = answer;
        return Resolve(state, byPeer);
    }

    private async Task<PeerTelemetry?> AskAsync(ulong peerId, string uri, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (peerId == _node.PeerId) return LocalReport();
        try
        {
            var request = new PeerTelemetryRequest { Timeout = (ulong)Math.Ceiling(timeout.TotalSeconds) };
            var reply = await _client.Channels.CallAsync(uri, P2PMethods.TelemetryGetPeer, request, PeerTelemetryReply.Parser,
                new P2PCallOptions { Timeout = timeout }, cancellationToken).ConfigureAwait(false);
            if (reply.PeerId == peerId) return FromReply(reply);
            _logger.LogWarning("Telemetry from {Uri} came from peer {Answered}, not peer {Expected}", uri, reply.PeerId, peerId);
            return null;
        }
        catch (Exception e) when (e is GrpcException or OperationCanceledException or HttpRequestException)
        {
            _logger.LogInformation("Internal telemetry service failed for peer {PeerId}: {Error}", peerId, e.Message);
            return null;
        }
    }

    /// <summary>Qdrant's aggregation: placement from the metadata, figures from the peers that answered.</summary>
    private static DistributedTelemetryData Resolve(ClusterStateData state, IReadOnlyDictionary<ulong, PeerTelemetry> byPeer)
    {
        var collections = new List<DistributedTelemetryData.CollectionEntry>(state.Collections.Count);
        foreach (var (name, collection) in state.Collections)
        {
            var shards = new List<DistributedTelemetryData.ShardEntry>(collection.Shards.Count);
            foreach (var (shardId, replicas) in collection.Shards)
            {
                var entries = new List<DistributedTelemetryData.ReplicaEntry>(replicas.Count);
                foreach (var (peerId, replicaState) in replicas)
                {
                    ReplicaFigures? figures = byPeer.TryGetValue(peerId, out var peer) && peer.Replicas.TryGetValue((name, shardId), out var f) ? f : null;
                    entries.Add(new(peerId, replicaState, figures));
                }

                shards.Add(new(shardId, entries));
            }

            var transfers = new List<ShardTransferInfo>(collection.Transfers.Count);
            foreach (var t in collection.Transfers)
            {
                // The sender knows the progress (Qdrant: "available only on the source peer").
                string? comment = byPeer.TryGetValue(t.From, out var source) && source.TransferComments.TryGetValue((name, t.ShardId, t.To), out var c) ? c : null;
                transfers.Add(t with { Comment = comment });
            }

            collections.Add(new(name, shards, transfers));
        }

        var peers = new List<DistributedTelemetryData.PeerEntry>(state.Peers.Count);
        foreach (var (peerId, uri) in state.Peers) peers.Add(new(peerId, uri, byPeer.TryGetValue(peerId, out var p) ? p.Details : null));
        return new DistributedTelemetryData(collections, new DistributedTelemetryData.ClusterEntry(true, state.Peers.Count, peers));
    }

    /// <summary>
    /// The answer without a cluster: this node's collections, every shard a single active replica on peer 0 (as
    /// <c>GET /collections/{name}/cluster</c> reports it), and <c>cluster: {enabled: false}</c>.
    /// </summary>
    /// <remarks>
    /// Qdrant 1.18 answers a standalone node with a 500 ("Could not get telemetry from cluster": it has no peer to ask,
    /// not even itself); this node gives its own view instead, in the same shape as a cluster's.
    /// </remarks>
    public static DistributedTelemetryData Standalone(TableOfContents toc)
    {
        var collections = new List<DistributedTelemetryData.CollectionEntry>();
        foreach (var collection in toc.Collections.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            var ids = collection.Config.ShardIds;
            var shards = new List<DistributedTelemetryData.ShardEntry>(ids.Count);
            foreach (uint shardId in ids)
            {
                var figures = collection.LocalShard(shardId) is { } shard ? ReplicaFigures.Of(shard) : null;
                shards.Add(new(shardId, [new(0, figures is null ? ReplicaState.Dead : ReplicaState.Active, figures)]));
            }

            collections.Add(new(collection.Name, shards, []));
        }

        return new DistributedTelemetryData(collections, new DistributedTelemetryData.ClusterEntry(false, null, []));
    }
}

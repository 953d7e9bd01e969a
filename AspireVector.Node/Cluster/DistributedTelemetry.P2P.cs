using AspireVector.Node.Collections;
using AspireVector.Node.Consensus;
using AspireVector.Node.P2P;
using AspireVector.Node.P2P.Grpc;
using AspireVector.Node.P2P.Protos;
using AspireVector.Node.Storage;

namespace AspireVector.Node.Cluster;

/// <summary>The peer side of cluster telemetry: <c>Telemetry.GetPeer</c> and its wire form.</summary>
public sealed partial class DistributedTelemetry : IP2PServiceMapper
{
    /// <inheritdoc />
    public void Map(GrpcServiceRegistry registry) =>
        registry.MapUnary<PeerTelemetryRequest, PeerTelemetryReply>(P2PMethods.TelemetryGetPeer, (_, _) =>
            Task.FromResult(ToReply(LocalReport() ?? throw new GrpcException(GrpcStatusCode.Unavailable, "consensus is not running on this peer"))));

    /// <summary>This peer's details and the figures of the replicas the agreed placement puts here; null before consensus starts.</summary>
    private PeerTelemetry? LocalReport()
    {
        RaftStatus status;
        TableOfContents toc;
        try { (status, toc) = (_node.Status, _collections.Toc); }
        catch (InvalidOperationException) { return null; } // consensus not started or storage not open yet

        var self = _node.PeerId;
        var state = _node.Metadata.Current;
        var replicas = new Dictionary<(string, uint), ReplicaFigures>();
        var comments = new Dictionary<(string, uint, ulong), string>();
        foreach (var (name, collection) in state.Collections)
        {
            var local = toc.Exists(name) ? toc.Get(name) : null;
            foreach (var (shardId, placed) in collection.Shards)
            {
                if (placed.ContainsKey(self) && local?.LocalShard(shardId) is { } shard) replicas[(name, shardId)] = ReplicaFigures.Of(shard);
            }

            foreach (var t in collection.Transfers)
            {
                if (t.From == self && _collections.TransferComment(name, t.ShardId, t.To) is { } comment) comments[(name, t.ShardId, t.To)] = comment;
            }
        }

        return new PeerTelemetry(self, PeerDetails.Of(_version, status), replicas, comments);
    }

    private static PeerTelemetryReply ToReply(PeerTelemetry report)
    {
        var d = report.Details;
        var reply = new PeerTelemetryReply
        {
            PeerId = report.PeerId,
            Version = d.Version,
            Role = d.Role.ToString(),
            IsVoter = d.IsVoter,
            Term = d.Term,
            Commit = d.Commit,
            PendingOperations = d.PendingOperations,
            ConsensusThreadStatus = d.ThreadState.ToString(),
            LastUpdateUnixMicros = (d.LastUpdate - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond,
            ConsensusError = d.Error ?? "",
        };
        foreach (var ((collection, shardId), f) in report.Replicas)
        {
            var r = new ReplicaTelemetry
            {
                Collection = collection,
                ShardId = shardId,
                Status = f.Status,
                TotalOptimizedPoints = (ulong)f.TotalOptimizedPoints,
                NumPoints = (ulong)f.Size.NumPoints,
                NumVectors = (ulong)f.Size.NumVectors,
                VectorsSizeBytes = (ulong)f.Size.VectorsSizeBytes,
                PayloadsSizeBytes = (ulong)f.Size.PayloadsSizeBytes,
                IndexingBacklog = (ulong)f.Size.IndexingBacklog,
            };
            foreach (var (name, count) in f.Size.NumVectorsByName) r.NumVectorsByName[name] = (ulong)count;
            reply.Replicas.Add(r);
        }

        foreach (var ((collection, shardId, to), comment) in report.TransferComments)
            reply.TransferComments.Add(new TransferComment { Collection = collection, ShardId = shardId, To = to, Comment = comment });
        return reply;
    }

    private static PeerTelemetry FromReply(PeerTelemetryReply reply)
    {
        var details = new PeerDetails(
            reply.Version,
            Enum.TryParse<RaftRole>(reply.Role, out var role) ? role : RaftRole.Follower,
            reply.IsVoter,
            reply.Term,
            reply.Commit,
            reply.PendingOperations,
            Enum.TryParse<ConsensusThreadState>(reply.ConsensusThreadStatus, out var thread) ? thread : ConsensusThreadState.Stopped,
            DateTimeOffset.UnixEpoch + TimeSpan.FromTicks(reply.LastUpdateUnixMicros * TimeSpan.TicksPerMicrosecond),
            reply.ConsensusError.Length == 0 ? null : reply.ConsensusError);
        var replicas = new Dictionary<(string, uint), ReplicaFigures>(reply.Replicas.Count);
        foreach (var r in reply.Replicas)
        {
            var byName = new Dictionary<string, long>(r.NumVectorsByName.Count, StringComparer.Ordinal);
            foreach (var (name, count) in r.NumVectorsByName) byName[name] = (long)count;
            var size = new ShardSizeStats((long)r.NumPoints, (long)r.NumVectors, byName, (long)r.VectorsSizeBytes, (long)r.PayloadsSizeBytes,
                (long)r.TotalOptimizedPoints, (long)r.IndexingBacklog);
            replicas[(r.Collection, r.ShardId)] = new ReplicaFigures(r.Status, (long)r.TotalOptimizedPoints, size);
        }

        var comments = new Dictionary<(string, uint, ulong), string>(reply.TransferComments.Count);
        foreach (var c in reply.TransferComments) comments[(c.Collection, c.ShardId, c.To)] = c.Comment;
        return new PeerTelemetry(reply.PeerId, details, replicas, comments);
    }
}

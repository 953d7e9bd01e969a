namespace AspireVector.Node.P2P;

/// <summary>Full gRPC method paths of the P2P services declared in <c>Protos/p2p.proto</c>.</summary>
public static class P2PMethods
{
    /// <summary>RaftService.Send: one opaque Raft message.</summary>
    public const string RaftSend = "/aspirevector.p2p.RaftService/Send";
    /// <summary>RaftService.WhoIs: peer id to uri.</summary>
    public const string RaftWhoIs = "/aspirevector.p2p.RaftService/WhoIs";
    /// <summary>RaftService.AddPeerToKnown: join announcement.</summary>
    public const string RaftAddPeerToKnown = "/aspirevector.p2p.RaftService/AddPeerToKnown";
    /// <summary>Health.Ping: liveness of a peer's P2P endpoint.</summary>
    public const string HealthPing = "/aspirevector.p2p.Health/Ping";
    /// <summary>Consensus.GetCommit: the peer's term, commit and leader.</summary>
    public const string ConsensusGetCommit = "/aspirevector.p2p.Consensus/GetCommit";
    /// <summary>Consensus.WaitOnCommit: wait until the peer applied a commit.</summary>
    public const string ConsensusWaitOnCommit = "/aspirevector.p2p.Consensus/WaitOnCommit";
    /// <summary>Shards.Update: apply a write to one shard replica.</summary>
    public const string ShardsUpdate = "/aspirevector.p2p.Shards/Update";
    /// <summary>Shards.Read: search, scroll, count or retrieve on one shard replica.</summary>
    public const string ShardsRead = "/aspirevector.p2p.Shards/Read";
    /// <summary>Shards.Batch: a page of a shard's points for a transfer.</summary>
    public const string ShardsBatch = "/aspirevector.p2p.Shards/Batch";
    /// <summary>Shards.StartTransfer: the receiver of a transfer starts pulling.</summary>
    public const string ShardsStartTransfer = "/aspirevector.p2p.Shards/StartTransfer";
    /// <summary>Shards.SnapshotChunk: a piece of a shard snapshot for a <c>snapshot</c> transfer.</summary>
    public const string ShardsSnapshotChunk = "/aspirevector.p2p.Shards/SnapshotChunk";
    /// <summary>Telemetry.GetPeer: a peer's consensus details and local replica figures, for <c>GET /cluster/telemetry</c>.</summary>
    public const string TelemetryGetPeer = "/aspirevector.p2p.Telemetry/GetPeer";
}

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
}

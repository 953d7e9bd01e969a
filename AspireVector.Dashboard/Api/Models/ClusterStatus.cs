namespace AspireVector.Dashboard.Api.Models;

/// <summary>Answer of <c>GET /cluster</c> (Qdrant's <c>ClusterStatus</c>) as seen by one peer.</summary>
public sealed record ClusterStatus
{
    /// <summary><c>enabled</c> in cluster mode, <c>disabled</c> for a standalone node.</summary>
    public string Status { get; init; } = "disabled";

    /// <summary>Id of the peer that answered.</summary>
    public ulong PeerId { get; init; }

    /// <summary>Every peer of the cluster by id, with its P2P uri.</summary>
    public Dictionary<ulong, PeerInfo> Peers { get; init; } = [];

    /// <summary>Raft state of the answering peer; absent when cluster mode is disabled.</summary>
    public RaftInfo? RaftInfo { get; init; }

    /// <summary>Health of the answering peer's consensus thread.</summary>
    public ConsensusThreadStatus? ConsensusThreadStatus { get; init; }

    /// <summary>Consecutive consensus message send failures by target P2P uri.</summary>
    public Dictionary<string, MessageSendErrors> MessageSendFailures { get; init; } = [];

    /// <summary>True when the node runs in cluster mode.</summary>
    public bool IsEnabled => string.Equals(Status, "enabled", StringComparison.OrdinalIgnoreCase);
}

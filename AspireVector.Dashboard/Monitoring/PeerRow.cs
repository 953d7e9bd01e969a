namespace AspireVector.Dashboard.Monitoring;

/// <summary>One peer of the cluster overview.</summary>
public sealed record PeerRow
{
    /// <summary>Peer id (kept as <see cref="ulong"/>; ids exceed JavaScript's safe integers).</summary>
    public required ulong PeerId { get; init; }

    /// <summary>Peer id as shown: exact decimal text.</summary>
    public string PeerIdText => PeerId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>P2P uri.</summary>
    public required string Uri { get; init; }

    /// <summary>Name of the configured node whose REST API is this peer, if known.</summary>
    public string? NodeName { get; init; }

    /// <summary>True when its node answered, false when it did not, null when no configured node is known to be this peer.</summary>
    public bool? Reachable { get; init; }

    /// <summary>Role the peer reports for itself.</summary>
    public string? Role { get; init; }

    /// <summary>Voter (true) or learner (false), as the peer reports.</summary>
    public bool? IsVoter { get; init; }

    /// <summary>Term the peer reports.</summary>
    public ulong? Term { get; init; }

    /// <summary>Commit index the peer reports.</summary>
    public ulong? Commit { get; init; }

    /// <summary>Consensus operations pending on the peer.</summary>
    public ulong? PendingOperations { get; init; }

    /// <summary>Consensus thread status tag (working, stopped, stopped_with_err).</summary>
    public string? ConsensusStatus { get; init; }

    /// <summary>Error of a stopped consensus thread.</summary>
    public string? ConsensusError { get; init; }

    /// <summary>Last progress of the consensus thread.</summary>
    public DateTimeOffset? ConsensusLastUpdate { get; init; }

    /// <summary>True for the current leader.</summary>
    public bool IsLeader { get; init; }

    /// <summary>Derived health.</summary>
    public HealthColour Health { get; init; }

    /// <summary>Why the health is not green.</summary>
    public string? HealthReason { get; init; }
}

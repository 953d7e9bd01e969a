namespace AspireVector.Node.Telemetry;

/// <summary>What <c>/metrics</c> reports about consensus on this peer (Qdrant's <c>cluster_*</c> families).</summary>
public sealed record ClusterTelemetry
{
    /// <summary>The consensus thread is running and the states below mean something (<c>cluster_enabled</c>).</summary>
    public bool Enabled { get; init; }

    /// <summary>This peer's id: the <c>peer_id</c> label of <c>cluster_commit</c>.</summary>
    public ulong? PeerId { get; init; }

    /// <summary>Known peers, this one included (<c>cluster_peers_total</c>).</summary>
    public int PeersTotal { get; init; }

    /// <summary>Current Raft term (<c>cluster_term</c>).</summary>
    public ulong Term { get; init; }

    /// <summary>Index of the last committed entry this peer knows (<c>cluster_commit</c>).</summary>
    public ulong Commit { get; init; }

    /// <summary>Proposed operations not yet applied (<c>cluster_pending_operations_total</c>).</summary>
    public int PendingOperations { get; init; }

    /// <summary>A voter rather than a learner (<c>cluster_voter</c>).</summary>
    public bool IsVoter { get; init; }

    /// <summary>When consensus last changed state (<c>cluster_last_update_timestamp_seconds</c>).</summary>
    public DateTimeOffset? LastUpdate { get; init; }

    /// <summary>Consensus thread state: one of <see cref="ClusterWorkingStates"/> (<c>cluster_working_state{state}</c>).</summary>
    public string WorkingState { get; init; } = ClusterWorkingStates.Working;

    /// <summary>Raft role: one of <see cref="RaftRoles"/> (<c>raft_role{role}</c>).</summary>
    public string Role { get; init; } = RaftRoles.Follower;
}

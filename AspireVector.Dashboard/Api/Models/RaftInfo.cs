namespace AspireVector.Dashboard.Api.Models;

/// <summary>Summary of one peer's Raft state (Qdrant's <c>RaftInfo</c>).</summary>
public sealed record RaftInfo
{
    /// <summary>Current Raft term.</summary>
    public ulong Term { get; init; }

    /// <summary>Index of the latest committed operation this peer knows of.</summary>
    public ulong Commit { get; init; }

    /// <summary>Consensus operations waiting to be applied on this peer.</summary>
    public ulong PendingOperations { get; init; }

    /// <summary>Leader of the current term, when known.</summary>
    public ulong? Leader { get; init; }

    /// <summary>Follower, Candidate, PreCandidate or Leader.</summary>
    public string? Role { get; init; }

    /// <summary>True for a voter, false for a learner.</summary>
    public bool IsVoter { get; init; }
}

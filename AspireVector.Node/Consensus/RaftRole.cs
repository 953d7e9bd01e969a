namespace AspireVector.Node.Consensus;

/// <summary>The role a Raft peer currently plays; names match Qdrant's <c>raft_info.role</c>.</summary>
public enum RaftRole
{
    /// <summary>Follows a leader (or waits for one).</summary>
    Follower,

    /// <summary>Probing with pre-votes whether an election could be won, without raising the term.</summary>
    PreCandidate,

    /// <summary>Running an election in a raised term.</summary>
    Candidate,

    /// <summary>Accepts proposals and replicates the log.</summary>
    Leader,
}

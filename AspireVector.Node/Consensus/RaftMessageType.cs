namespace AspireVector.Node.Consensus;

/// <summary>Kinds of messages Raft peers exchange.</summary>
public enum RaftMessageType : byte
{
    /// <summary>A proposal forwarded by a follower to its leader.</summary>
    Propose = 1,

    /// <summary>Vote request of a candidate.</summary>
    Vote = 2,

    /// <summary>Answer to <see cref="Vote"/>.</summary>
    VoteResponse = 3,

    /// <summary>Pre-vote request (term not raised yet).</summary>
    PreVote = 4,

    /// <summary>Answer to <see cref="PreVote"/>.</summary>
    PreVoteResponse = 5,

    /// <summary>Log entries (possibly none) after <c>Index</c>/<c>LogTerm</c>, plus the leader's commit.</summary>
    Append = 6,

    /// <summary>Answer to <see cref="Append"/> or <see cref="Snapshot"/>.</summary>
    AppendResponse = 7,

    /// <summary>Leader liveness signal carrying a safe commit index.</summary>
    Heartbeat = 8,

    /// <summary>Answer to <see cref="Heartbeat"/>.</summary>
    HeartbeatResponse = 9,

    /// <summary>InstallSnapshot for a follower whose next entry was compacted away.</summary>
    Snapshot = 10,
}

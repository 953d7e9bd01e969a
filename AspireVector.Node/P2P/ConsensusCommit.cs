namespace AspireVector.Node.P2P;

/// <summary>A peer's Raft progress: term, commit index, and leader id (null when no leader is known).</summary>
public readonly record struct ConsensusCommit(ulong Term, ulong Commit, ulong? Leader);

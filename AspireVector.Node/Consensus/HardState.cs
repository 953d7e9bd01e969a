namespace AspireVector.Node.Consensus;

/// <summary>The state Raft must persist before it answers anyone: current term, vote in that term, commit index.</summary>
/// <param name="Term">Current term.</param>
/// <param name="Vote">Peer voted for in <paramref name="Term"/>, 0 when none.</param>
/// <param name="Commit">Highest index known committed.</param>
public readonly record struct HardState(ulong Term, ulong Vote, ulong Commit);

namespace AspireVector.Node.P2P;

/// <summary>What the consensus layer offers to the P2P <c>Consensus</c> service. Implemented by the Raft driver.</summary>
/// <remarks>Called concurrently from P2P request threads; same error contract as <see cref="IRaftP2PHandler"/>.</remarks>
public interface IConsensusP2PHandler
{
    /// <summary>This peer's current term, commit index and known leader.</summary>
    ConsensusCommit GetCommit();

    /// <summary>
    /// Completes with true once this peer applied <paramref name="commit"/> in <paramref name="term"/> (or a later state),
    /// false when <paramref name="timeout"/> passes first.
    /// </summary>
    Task<bool> WaitOnCommitAsync(ulong commit, ulong term, TimeSpan timeout, CancellationToken cancellationToken);
}

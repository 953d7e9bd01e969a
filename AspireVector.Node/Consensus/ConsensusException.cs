namespace AspireVector.Node.Consensus;

/// <summary>A proposal could not be committed (no leader, lost leadership, timeout, driver stopped).</summary>
public sealed class ConsensusException(string message) : Exception(message);

namespace AspireVector.Tests.Consensus.Simulation;

/// <summary>A violated Raft invariant (or a liveness failure) found by the simulation.</summary>
internal sealed class SimulationFailure(string message) : Exception(message);

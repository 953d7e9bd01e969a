namespace AspireVector.Node.Consensus;

/// <summary>Immutable picture of a peer's consensus state, published by the driver after every loop turn.</summary>
public sealed record RaftStatus
{
    public required ulong PeerId { get; init; }

    public required ulong Term { get; init; }

    public required ulong Commit { get; init; }

    public required ulong Applied { get; init; }

    /// <summary>Proposals of this peer not yet applied.</summary>
    public required int PendingOperations { get; init; }

    /// <summary>Known leader, 0 when none.</summary>
    public required ulong Leader { get; init; }

    public required RaftRole Role { get; init; }

    public required bool IsVoter { get; init; }

    public required IReadOnlyList<ulong> Voters { get; init; }

    public required IReadOnlyList<ulong> Learners { get; init; }

    public required ConsensusThreadState ThreadState { get; init; }

    /// <summary>When the loop last finished a turn.</summary>
    public required DateTimeOffset LastUpdate { get; init; }

    /// <summary>Why the loop stopped, when <see cref="ThreadState"/> is <see cref="ConsensusThreadState.StoppedWithErr"/>.</summary>
    public string? Error { get; init; }
}

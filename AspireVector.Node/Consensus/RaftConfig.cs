namespace AspireVector.Node.Consensus;

/// <summary>Tunables of one <see cref="RaftNode"/>. Durations are in ticks; the driver decides how long a tick is.</summary>
public sealed record RaftConfig
{
    /// <summary>This peer's id (non-zero).</summary>
    public required ulong Id { get; init; }

    /// <summary>Base election timeout; the effective one is drawn from [ElectionTick, 2*ElectionTick).</summary>
    public int ElectionTick { get; init; } = 10;

    /// <summary>Ticks between leader heartbeats.</summary>
    public int HeartbeatTick { get; init; } = 1;

    /// <summary>Run a pre-vote round before raising the term, so a rejoining partitioned peer cannot disrupt a healthy leader.</summary>
    public bool PreVote { get; init; } = true;

    /// <summary>Leader steps down when it has not heard from a quorum for an election timeout; followers ignore votes while in a leader's lease.</summary>
    public bool CheckQuorum { get; init; } = true;

    /// <summary>Upper bound on entries in one Append message.</summary>
    public int MaxEntriesPerMessage { get; init; } = 256;

    /// <summary>Upper bound on committed entries handed out by one <see cref="Ready"/>.</summary>
    public int MaxCommittedPerReady { get; init; } = 1024;

    /// <summary>Voters of a brand-new cluster; used only when the node starts with empty storage.</summary>
    public IReadOnlyList<ulong> InitialVoters { get; init; } = [];
}

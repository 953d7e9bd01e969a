namespace AspireVector.Node.Consensus;

/// <summary>
/// Work the owner of a <see cref="RaftNode"/> must do, in this order: persist <see cref="Snapshot"/>,
/// <see cref="Entries"/> and <see cref="HardState"/> durably; then send <see cref="Messages"/>; then apply
/// <see cref="CommittedEntries"/>; then call <see cref="RaftNode.Advance"/>.
/// </summary>
public sealed class Ready
{
    /// <summary>Messages to send once the rest is durable.</summary>
    public required IReadOnlyList<RaftMessage> Messages { get; init; }

    /// <summary>Entries to append to stable storage; an entry replaces any stored entry at the same or a later index.</summary>
    public required IReadOnlyList<LogEntry> Entries { get; init; }

    /// <summary>Hard state to persist, or null when unchanged.</summary>
    public HardState? HardState { get; init; }

    /// <summary>A snapshot received from the leader: persist it, drop the stored log, restore the state machine from it.</summary>
    public RaftSnapshot? Snapshot { get; init; }

    /// <summary>Committed entries to apply to the state machine, in order.</summary>
    public required IReadOnlyList<LogEntry> CommittedEntries { get; init; }
}

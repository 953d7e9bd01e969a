namespace AspireVector.Node.Consensus;

/// <summary>What a node reloads from stable storage on restart.</summary>
/// <param name="HardState">Last persisted hard state.</param>
/// <param name="Snapshot">Last persisted snapshot, if any.</param>
/// <param name="Entries">Persisted entries after the snapshot, contiguous and ascending.</param>
public sealed record RaftPersistentState(HardState HardState, RaftSnapshot? Snapshot, IReadOnlyList<LogEntry> Entries)
{
    /// <summary>Nothing persisted yet.</summary>
    public static readonly RaftPersistentState Empty = new(default, null, []);
}

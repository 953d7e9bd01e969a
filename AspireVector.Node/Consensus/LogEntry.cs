namespace AspireVector.Node.Consensus;

/// <summary>One entry of the replicated log.</summary>
/// <param name="Term">Term of the leader that created the entry.</param>
/// <param name="Index">Position in the log, starting at 1.</param>
/// <param name="Type">Normal data or a membership change.</param>
/// <param name="Data">Opaque payload; never mutated after creation.</param>
public sealed record LogEntry(ulong Term, ulong Index, LogEntryType Type, byte[] Data)
{
    /// <summary>The payload of a leader's no-op entry.</summary>
    public static readonly byte[] Empty = [];
}

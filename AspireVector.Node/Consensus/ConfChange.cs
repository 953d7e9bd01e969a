namespace AspireVector.Node.Consensus;

/// <summary>A membership change carried by a <see cref="LogEntryType.ConfChange"/> entry; takes effect when applied.</summary>
/// <param name="Type">What to do.</param>
/// <param name="NodeId">The peer it concerns.</param>
public sealed record ConfChange(ConfChangeType Type, ulong NodeId);

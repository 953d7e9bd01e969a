namespace AspireVector.Node.Consensus;

/// <summary>How a leader currently replicates to one follower.</summary>
public enum ProgressState
{
    /// <summary>Next index unknown: one Append per heartbeat until a match is found.</summary>
    Probe,

    /// <summary>Match known: entries are streamed optimistically.</summary>
    Replicate,

    /// <summary>A snapshot is in flight; nothing else is sent until it is acknowledged or times out.</summary>
    Snapshot,
}

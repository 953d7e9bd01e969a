namespace AspireVector.Node.Consensus;

/// <summary>What a log entry carries.</summary>
public enum LogEntryType : byte
{
    /// <summary>Application data for the state machine (empty for a leader's no-op entry).</summary>
    Normal = 0,

    /// <summary>An encoded <see cref="ConfChange"/>.</summary>
    ConfChange = 1,
}

namespace AspireVector.Node.Consensus;

/// <summary>Health of the driver loop, as Qdrant reports it in <c>consensus_thread_status</c>.</summary>
public enum ConsensusThreadState
{
    /// <summary>Loop running.</summary>
    Working,

    /// <summary>Loop stopped on request.</summary>
    Stopped,

    /// <summary>Loop died with an error.</summary>
    StoppedWithErr,
}

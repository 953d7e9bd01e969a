namespace AspireVector.AppHost;

/// <summary>What the local launcher does when a child process exits on its own.</summary>
public enum RestartPolicy
{
    /// <summary>Report it and start it again with exponential back-off.</summary>
    Always,

    /// <summary>Report it and leave it stopped (e.g. to watch failover).</summary>
    Never,
}

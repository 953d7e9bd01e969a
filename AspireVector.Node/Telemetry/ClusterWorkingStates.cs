namespace AspireVector.Node.Telemetry;

/// <summary>Values of the <c>state</c> label of <c>cluster_working_state</c> (Qdrant's consensus thread states).</summary>
public static class ClusterWorkingStates
{
    /// <summary>The consensus loop is running.</summary>
    public const string Working = "working";

    /// <summary>The consensus loop stopped cleanly.</summary>
    public const string Stopped = "stopped";

    /// <summary>The consensus loop stopped on an error.</summary>
    public const string StoppedWithErr = "stopped_with_err";

    /// <summary>Every state, each reported as its own series (1 for the current state, 0 for the others).</summary>
    public static IReadOnlyList<string> All { get; } = [Working, Stopped, StoppedWithErr];
}

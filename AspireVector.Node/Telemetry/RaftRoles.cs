namespace AspireVector.Node.Telemetry;

/// <summary>Values of the <c>role</c> label of <c>raft_role</c>.</summary>
public static class RaftRoles
{
    /// <summary>Follows a leader.</summary>
    public const string Follower = "follower";

    /// <summary>Campaigning for leadership.</summary>
    public const string Candidate = "candidate";

    /// <summary>Campaigning before a real election, without bumping the term.</summary>
    public const string PreCandidate = "pre_candidate";

    /// <summary>Leads the cluster.</summary>
    public const string Leader = "leader";

    /// <summary>Every role, each reported as its own series (1 for the current role, 0 for the others).</summary>
    public static IReadOnlyList<string> All { get; } = [Follower, PreCandidate, Candidate, Leader];
}

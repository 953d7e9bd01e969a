using AspireVector.Dashboard.Api;

namespace AspireVector.Dashboard.Monitoring;

/// <summary>Everything the cluster overview shows, taken at one instant.</summary>
public sealed record ClusterSnapshot
{
    /// <summary>When the snapshot was taken.</summary>
    public required DateTimeOffset TakenAt { get; init; }

    /// <summary>Why nothing could be shown (no node answered), else null.</summary>
    public string? Error { get; init; }

    /// <summary>False when the answering node runs standalone.</summary>
    public bool ClusterEnabled { get; init; }

    /// <summary>Current leader, when known.</summary>
    public ulong? LeaderId { get; init; }

    /// <summary>Current term, from the leader's view when it answered.</summary>
    public ulong? Term { get; init; }

    /// <summary>Commit index, from the leader's view when it answered.</summary>
    public ulong? Commit { get; init; }

    /// <summary>Peers ordered by P2P uri, then id (stable across refreshes).</summary>
    public IReadOnlyList<PeerRow> Peers { get; init; } = [];

    /// <summary>Message send failures reported by every answering peer.</summary>
    public IReadOnlyList<SendFailureRow> SendFailures { get; init; } = [];

    /// <summary>Reachability of every configured node.</summary>
    public IReadOnlyList<NodeReachability> Nodes { get; init; } = [];

    /// <summary>Overall health: the worst peer health, red when no node answered.</summary>
    public HealthColour Health { get; init; }

    /// <summary>Leader id as exact text, or null.</summary>
    public string? LeaderIdText => LeaderId?.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

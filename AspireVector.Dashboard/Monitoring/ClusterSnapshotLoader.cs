using AspireVector.Dashboard.Api;
using AspireVector.Dashboard.Api.Models;
using AspireVector.Dashboard.Configuration;
using Microsoft.Extensions.Options;

namespace AspireVector.Dashboard.Monitoring;

/// <summary>
/// Turns what every node answers into the snapshots the pages render. Each peer's own row comes
/// from its own <c>GET /cluster</c>; the peer list and leader come from the leader's answer when
/// it answered, else from the most advanced answer (highest term, then commit).
/// </summary>
public sealed partial class ClusterSnapshotLoader(IClusterApi api, IOptions<DashboardOptions> options, TimeProvider time)
{
    private readonly DashboardOptions _options = options.Value;

    /// <summary>Reads <c>GET /cluster</c> from every node and builds the overview.</summary>
    public async Task<ClusterSnapshot> LoadClusterAsync(CancellationToken cancellationToken)
    {
        var answers = await api.GetClusterFromEachNodeAsync(cancellationToken);
        return Build(answers, api.Reachability, time.GetUtcNow());
    }

    /// <summary>Builds the overview from per-node answers (pure; used by <see cref="LoadClusterAsync"/>).</summary>
    internal ClusterSnapshot Build(IReadOnlyList<NodeAnswer<ClusterStatus>> answers, IReadOnlyList<NodeReachability> reachability, DateTimeOffset now)
    {
        var statuses = answers.Where(a => a.Value is not null).Select(a => (a.Node, Status: a.Value!)).ToList();
        if (statuses.Count == 0)
        {
            var reasons = answers.Select(a => $"{a.Node.Name}: {a.Error}");
            return new ClusterSnapshot
            {
                TakenAt = now,
                Error = answers.Count == 0 ? "No node is configured." : "No configured node answered. " + string.Join("; ", reasons),
                Nodes = reachability,
                Health = HealthColour.Red,
            };
        }

        var primary = statuses
            .OrderByDescending(s => IsLeaderOfItself(s.Status))
            .ThenByDescending(s => s.Status.RaftInfo?.Term ?? 0)
            .ThenByDescending(s => s.Status.RaftInfo?.Commit ?? 0)
            .First().Status;
        if (!primary.IsEnabled)
        {
            return new ClusterSnapshot
            {
                TakenAt = now,
                ClusterEnabled = false,
                Nodes = reachability,
                Health = HealthColour.Green,
                SendFailures = [],
                Peers = [],
            };
        }

        var leaderId = primary.RaftInfo?.Leader;
        var ownByPeer = new Dictionary<ulong, (NodeEndpoint Node, ClusterStatus Status)>();
        foreach (var (node, status) in statuses)
        {
            ownByPeer.TryAdd(status.PeerId, (node, status));
        }

        var failures = BuildSendFailures(statuses.Select(s => s.Status), primary, now);
        var freshTargets = failures.Where(f => f.IsFresh && f.TargetPeerId is not null).Select(f => f.TargetPeerId!).ToHashSet(StringComparer.Ordinal);

        var peers = new List<PeerRow>();
        foreach (var (peerId, info) in primary.Peers.OrderBy(p => p.Value.Uri, StringComparer.Ordinal).ThenBy(p => p.Key))
        {
            ownByPeer.TryGetValue(peerId, out var own);
            var known = reachability.FirstOrDefault(r => r.PeerId == peerId);
            bool? reachable = own.Status is not null ? true : known is null ? null : known.Reachable == true ? null : known.Reachable;
            var raft = own.Status?.RaftInfo;
            var consensus = own.Status?.ConsensusThreadStatus;
            var (health, reason) = PeerHealth(reachable, raft, consensus, leaderId, freshTargets.Contains(peerId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            peers.Add(new PeerRow
            {
                PeerId = peerId,
                Uri = info.Uri,
                NodeName = own.Node?.Name ?? known?.Node.Name,
                Reachable = reachable,
                Role = raft?.Role,
                IsVoter = raft?.IsVoter,
                Term = raft?.Term,
                Commit = raft?.Commit,
                PendingOperations = raft?.PendingOperations,
                ConsensusStatus = consensus?.Status,
                ConsensusError = consensus?.Err,
                ConsensusLastUpdate = consensus?.LastUpdate,
                IsLeader = leaderId == peerId,
                Health = health,
                HealthReason = reason,
            });
        }

        var leaderRaft = leaderId is { } l && ownByPeer.TryGetValue(l, out var leaderOwn) ? leaderOwn.Status.RaftInfo : primary.RaftInfo;
        return new ClusterSnapshot
        {
            TakenAt = now,
            ClusterEnabled = true,
            LeaderId = leaderId,
            Term = leaderRaft?.Term,
            Commit = leaderRaft?.Commit,
            Peers = peers,
            SendFailures = failures,
            Nodes = reachability,
            Health = peers.Count == 0 ? HealthColour.Unknown : peers.Max(p => p.Health == HealthColour.Unknown ? HealthColour.Green : p.Health),
        };
    }

    private static bool IsLeaderOfItself(ClusterStatus status) =>
        status.RaftInfo is { } raft && raft.Leader == status.PeerId && string.Equals(raft.Role, "Leader", StringComparison.OrdinalIgnoreCase);

    private List<SendFailureRow> BuildSendFailures(IEnumerable<ClusterStatus> statuses, ClusterStatus primary, DateTimeOffset now)
    {
        var peerByUri = new Dictionary<string, ulong>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, info) in primary.Peers)
        {
            peerByUri.TryAdd(NormalizeUri(info.Uri), id);
        }

        var rows = new List<SendFailureRow>();
        foreach (var status in statuses.OrderBy(s => s.PeerId))
        {
            foreach (var (uri, errors) in status.MessageSendFailures.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                var target = peerByUri.TryGetValue(NormalizeUri(uri), out var targetId) ? targetId.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
                var fresh = errors.LatestErrorTimestamp is { } at && now - at <= _options.FreshFailureWindow;
                rows.Add(new SendFailureRow(status.PeerId.ToString(System.Globalization.CultureInfo.InvariantCulture), uri, target, errors.Count, errors.LatestError, errors.LatestErrorTimestamp, fresh));
            }
        }

        return rows;
    }

    private static string NormalizeUri(string uri) => uri.TrimEnd('/');

    private static (HealthColour Health, string? Reason) PeerHealth(bool? reachable, RaftInfo? raft, ConsensusThreadStatus? consensus, ulong? leaderId, bool freshFailures)
    {
        if (reachable == false)
        {
            return (HealthColour.Red, "REST endpoint not answering");
        }

        if (reachable is null)
        {
            return (HealthColour.Unknown, "no configured REST endpoint for this peer");
        }

        if (consensus is not null && !consensus.IsWorking)
        {
            return (HealthColour.Red, consensus.Err is null ? $"consensus {consensus.Status}" : $"consensus {consensus.Status}: {consensus.Err}");
        }

        if (leaderId is null || raft?.Leader is null)
        {
            return (HealthColour.Yellow, "no leader known");
        }

        if (raft.PendingOperations > 0)
        {
            return (HealthColour.Yellow, $"{raft.PendingOperations} pending operations");
        }

        if (freshFailures)
        {
            return (HealthColour.Yellow, "peers fail to send it messages");
        }

        return (HealthColour.Green, null);
    }
}

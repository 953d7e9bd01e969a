using AspireVector.Node.Consensus;
using AspireVector.Node.P2P;
using AspireVector.Node.P2P.Grpc;
using AspireVector.Node.Telemetry;

namespace AspireVector.Node.Cluster;

public sealed partial class ClusterNode : IRaftP2PHandler, IConsensusP2PHandler, IPeerDirectory, IClusterTelemetrySource
{
    /// <inheritdoc />
    ValueTask IRaftP2PHandler.ReceiveAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        if (_driver is null || _removed) throw new GrpcException(GrpcStatusCode.Unavailable, "consensus is not running on this peer");
        try
        {
            _driver.Deliver(message.ToArray());
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidDataException or IndexOutOfRangeException or EndOfStreamException)
        {
            throw new GrpcException(GrpcStatusCode.InvalidArgument, "not a Raft message: " + e.Message);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Only a tombstone answers "unknown": a peer that has not applied the entry adding <paramref name="peerId"/> yet
    /// (a learner catching up) does not know it either, and a peer asking whether it was removed must not take that
    /// for its removal — the founder of a starting cluster once stopped its consensus that way.
    /// </remarks>
    ValueTask<string?> IRaftP2PHandler.WhoIsAsync(ulong peerId, CancellationToken cancellationToken)
    {
        var state = Metadata.Current;
        if (peerId == PeerId) return ValueTask.FromResult<string?>(SelfUri);
        if (state.Peers.TryGetValue(peerId, out var uri)) return ValueTask.FromResult<string?>(uri);
        if (state.RemovedPeers.Contains(peerId)) return ValueTask.FromResult<string?>(null);
        throw new GrpcException(GrpcStatusCode.Unavailable, $"Peer {peerId} is not known here yet (this peer may be catching up)");
    }

    /// <inheritdoc />
    Task<KnownPeers> IRaftP2PHandler.AddPeerToKnownAsync(ulong peerId, string uri, CancellationToken cancellationToken) =>
        AddPeerAsync(peerId, MessageSendFailures.Key(uri), cancellationToken);

    /// <inheritdoc />
    ConsensusCommit IConsensusP2PHandler.GetCommit()
    {
        var s = Status;
        return new ConsensusCommit(s.Term, s.Commit, s.Leader == 0 ? null : s.Leader);
    }

    /// <inheritdoc />
    async Task<bool> IConsensusP2PHandler.WaitOnCommitAsync(ulong commit, ulong term, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + timeout;
        while (true)
        {
            var s = Status;
            if (s.Applied >= commit && s.Term >= term) return true;
            if (_time.GetUtcNow() >= deadline) return false;
            await Task.Delay(TimeSpan.FromMilliseconds(20), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    IReadOnlyCollection<string> IPeerDirectory.OtherPeerUris()
    {
        var peers = Metadata.Current.Peers;
        var list = new List<string>(peers.Count);
        foreach (var (id, uri) in peers) if (id != PeerId) list.Add(uri);
        return list;
    }

    /// <inheritdoc />
    ClusterTelemetry IClusterTelemetrySource.GetCluster()
    {
        if (_driver is null) return new ClusterTelemetry { Enabled = true, PeerId = PeerId, WorkingState = ClusterWorkingStates.Stopped };
        var s = _driver.Status;
        return new ClusterTelemetry
        {
            Enabled = true,
            PeerId = PeerId,
            PeersTotal = Math.Max(1, Metadata.Current.Peers.Count),
            Term = s.Term,
            Commit = s.Commit,
            PendingOperations = s.PendingOperations,
            IsVoter = s.IsVoter,
            LastUpdate = s.LastUpdate,
            WorkingState = s.ThreadState switch
            {
                ConsensusThreadState.Working => ClusterWorkingStates.Working,
                ConsensusThreadState.StoppedWithErr => ClusterWorkingStates.StoppedWithErr,
                _ => ClusterWorkingStates.Stopped,
            },
            Role = s.Role switch
            {
                RaftRole.Leader => RaftRoles.Leader,
                RaftRole.Candidate => RaftRoles.Candidate,
                RaftRole.PreCandidate => RaftRoles.PreCandidate,
                _ => RaftRoles.Follower,
            },
        };
    }
}

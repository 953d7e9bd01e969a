using AspireVector.Node.Collections;
using AspireVector.Node.Consensus;
using AspireVector.Node.P2P;
using Microsoft.Extensions.Logging;

namespace AspireVector.Node.Cluster;

public sealed partial class ClusterNode
{
    private async Task DutiesLoopAsync()
    {
        var ct = _stop.Token;
        using var timer = new PeriodicTimer(DutyPeriod, _time);
        try
        {
            do
            {
                try
                {
                    await RunDutiesOnceAsync(ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    _logger.LogDebug("Cluster duty failed, retrying: {Error}", e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task RunDutiesOnceAsync(CancellationToken ct)
    {
        if (_removed || _driver is null) return;
        var status = _driver.Status;
        var state = Metadata.Current;
        bool member = state.Peers.TryGetValue(PeerId, out var knownUri);
        bool inRaft = status.Voters.Contains(PeerId) || status.Learners.Contains(PeerId);

        if (member) _wasMember = true;
        if (status.Leader != 0 && inRaft) _leaderlessSince = null;
        if (!_caughtUpOnce && member && status.Leader != 0) await CheckCaughtUpAsync(status, ct).ConfigureAwait(false);
        if (state.RemovedPeers.Contains(PeerId)
            || (_wasMember && (status.Leader == 0 || !inRaft) && await RemovedByOthersAsync(state, ct).ConfigureAwait(false)))
        {
            await StopAsRemovedAsync().ConfigureAwait(false);
            return;
        }

        if (status.Role == RaftRole.Leader)
        {
            if (!member || knownUri != SelfUri)
            {
                await ProposeAsync(new AddPeerCommand(PeerId, SelfUri), ct).ConfigureAwait(false);
            }

            foreach (var removed in state.RemovedPeers)
            {
                if (removed != PeerId && (status.Voters.Contains(removed) || status.Learners.Contains(removed)))
                {
                    _logger.LogInformation("Taking removed peer {Peer} out of Raft membership", removed);
                    await ChangeMembershipAsync(new ConfChange(ConfChangeType.RemoveNode, removed), ct).ConfigureAwait(false);
                    return; // one membership change at a time
                }
            }

            await PromoteCaughtUpLearnersAsync(status, ct).ConfigureAwait(false);
            return;
        }

        if ((!member || !inRaft || knownUri != SelfUri) && !_stop.IsCancellationRequested)
        {
            await AnnounceAsync(status, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Without a leader for a while, asks the other peers whether they still know this one: a removed peer never
    /// hears of its removal through Raft (the leader stops replicating to it), so it must ask.
    /// </summary>
    private async Task<bool> RemovedByOthersAsync(ClusterStateData state, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        if (_leaderlessSince is not { } since)
        {
            _leaderlessSince = now;
            return false;
        }

        if (now - since < TimeSpan.FromSeconds(2)) return false;
        foreach (var (id, uri) in state.Peers)
        {
            if (id == PeerId) continue;
            try
            {
                var commit = await _client.GetCommitAsync(uri, ct).ConfigureAwait(false);
                if (commit.Leader is null) continue; // it has no leader either: it cannot tell
                await _client.WhoIsAsync(uri, PeerId, ct).ConfigureAwait(false);
                return false;
            }
            catch (P2P.Grpc.GrpcException e) when (e.StatusCode == P2P.Grpc.GrpcStatusCode.NotFound)
            {
                return true;
            }
            catch (P2P.Grpc.GrpcException)
            {
                // unreachable: ask the next one
            }
        }

        return false;
    }

    /// <summary>Joins (or re-announces a changed uri) through the leader if known, else through <c>--bootstrap</c>.</summary>
    private async Task AnnounceAsync(RaftStatus status, CancellationToken ct)
    {
        string? target = status.Leader != 0 && status.Leader != PeerId ? Transport.UriOf(status.Leader) : null;
        target ??= _options.Bootstrap;
        if (target is null)
        {
            foreach (var (id, uri) in Metadata.Current.Peers)
            {
                if (id != PeerId) { target = uri; break; }
            }
        }

        if (target is null) return;
        KnownPeers known;
        try
        {
            known = await _client.AddPeerToKnownAsync(target, PeerId, SelfUri, null, ct).ConfigureAwait(false);
        }
        catch (P2P.Grpc.GrpcException e) when (e.StatusCode == P2P.Grpc.GrpcStatusCode.FailedPrecondition)
        {
            _logger.LogWarning("The cluster refused peer {PeerId}: {Reason}", PeerId, e.Detail);
            await StopAsRemovedAsync().ConfigureAwait(false);
            return;
        }

        foreach (var (id, uri) in known.Peers) Transport.Learn(id, uri);
        _logger.LogInformation("Announced peer {PeerId} at {Uri} through {Target}; cluster has {Count} peers", PeerId, SelfUri, target, known.Peers.Count);
    }

    /// <summary>
    /// After a start, routing waits until this peer applied what the leader had committed when asked: a follower's
    /// own commit index only covers the entries it already holds, so it cannot tell alone.
    /// </summary>
    private async Task CheckCaughtUpAsync(RaftStatus status, CancellationToken ct)
    {
        ulong target = status.Commit;
        if (status.Leader != PeerId)
        {
            if (Transport.UriOf(status.Leader) is not { } leaderUri) return;
            try { target = (await _client.GetCommitAsync(leaderUri, ct).ConfigureAwait(false)).Commit; }
            catch (P2P.Grpc.GrpcException) { return; }
        }

        if (_driver!.Status.Applied >= target) _caughtUpOnce = true;
    }

    /// <summary>The cluster removed this peer: stop taking part, as Qdrant does, rather than disturb the others.</summary>
    private async Task StopAsRemovedAsync()
    {
        if (_removed) return;
        _removed = true;
        _logger.LogWarning("Peer {PeerId} was removed from the cluster; consensus stops on this node (wipe its storage to join again as a new peer)", PeerId);
        await _driver!.DisposeAsync().ConfigureAwait(false);
    }

    private async Task PromoteCaughtUpLearnersAsync(RaftStatus status, CancellationToken ct)
    {
        foreach (var learner in status.Learners)
        {
            var match = await _driver!.QueryAsync(node => node.MatchIndexOf(learner), ct).ConfigureAwait(false);
            if (match is { } m && m + 8 >= status.Commit)
            {
                _logger.LogInformation("Promoting caught-up learner {Peer} to voter", learner);
                await ChangeMembershipAsync(new ConfChange(ConfChangeType.AddVoter, learner), ct).ConfigureAwait(false);
                return; // one membership change at a time
            }
        }
    }

    /// <summary>
    /// The leader's side of a join: records the peer's uri, adds it as a learner (it is promoted once caught up)
    /// and returns every known peer. Followers forward to the leader.
    /// </summary>
    private async Task<KnownPeers> AddPeerAsync(ulong peerId, string uri, CancellationToken ct)
    {
        var status = Status;
        if (status.Leader == 0)
            throw new P2P.Grpc.GrpcException(P2P.Grpc.GrpcStatusCode.Unavailable, "No leader elected yet, try again later");
        if (status.Leader != PeerId)
        {
            string leaderUri = Transport.UriOf(status.Leader)
                ?? throw new P2P.Grpc.GrpcException(P2P.Grpc.GrpcStatusCode.Unavailable, $"The leader {status.Leader}'s address is not known yet");
            return await _client.AddPeerToKnownAsync(leaderUri, peerId, uri, null, ct).ConfigureAwait(false);
        }

        if (Metadata.Current.RemovedPeers.Contains(peerId))
            throw new P2P.Grpc.GrpcException(P2P.Grpc.GrpcStatusCode.FailedPrecondition, $"Peer {peerId} was removed from the cluster and cannot rejoin with the same id");
        try
        {
            Transport.Learn(peerId, uri);
            if (!Metadata.Current.Peers.TryGetValue(peerId, out var known) || known != uri)
                await ProposeAsync(new AddPeerCommand(peerId, uri), ct).ConfigureAwait(false);
            if (!status.Voters.Contains(peerId) && !status.Learners.Contains(peerId))
                await ChangeMembershipAsync(new ConfChange(ConfChangeType.AddLearner, peerId), ct).ConfigureAwait(false);
        }
        catch (CollectionException e)
        {
            throw new P2P.Grpc.GrpcException(P2P.Grpc.GrpcStatusCode.Unavailable, e.Message);
        }

        var state = Metadata.Current;
        return new KnownPeers(state.Peers, state.FirstPeerId);
    }
}

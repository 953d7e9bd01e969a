using AspireVector.Node.Consensus;

namespace AspireVector.Tests.Consensus.Simulation;

internal sealed partial class RaftSimulation
{
    private SimulatedPeer? CurrentLeader() =>
        Live.Where(p => p.Node!.Role == RaftRole.Leader).MaxBy(p => p.Node!.Term);

    private void ChangeMembership()
    {
        if (CurrentLeader() is not { } leaderPeer)
        {
            return;
        }

        RetireRemoved(leaderPeer.Node!);
        var leader = leaderPeer.Node!;
        var members = leader.Voters.Count + leader.Learners.Count;
        switch (_random.Next(3))
        {
            case 0 when _peers.Count < _options.MaxPeers:
                // A brand-new peer with empty storage joins as a learner, like `--bootstrap`.
                var id = _peers.Max(p => p.Id) + 1;
                AddPeer(id, []);
                leader.ProposeConfChange(new ConfChange(ConfChangeType.AddLearner, id));
                break;
            case 1:
                foreach (var learner in leader.Learners)
                {
                    if (leader.MatchIndexOf(learner) >= leader.Commit)
                    {
                        leader.ProposeConfChange(new ConfChange(ConfChangeType.AddVoter, learner));
                        break;
                    }
                }

                break;
            case 2 when members > 3 && leader.Voters.Count > 2:
                var all = leader.Voters.Concat(leader.Learners).ToList();
                var victim = all[_random.Next(all.Count)];
                if (leader.ProposeConfChange(new ConfChange(ConfChangeType.RemoveNode, victim)))
                {
                    _peers.Find(p => p.Id == victim)!.RemovalProposed = true;
                }

                break;
        }

        leaderPeer.ProcessReady(this);
    }

    /// <summary>Removed peers whose removal a leader has applied are shut down for good (ids are never reused).</summary>
    private void RetireRemoved(RaftNode leader)
    {
        foreach (var peer in _peers)
        {
            if (peer.RemovalProposed && !peer.Retired && !leader.Voters.Contains(peer.Id) && !leader.Learners.Contains(peer.Id))
            {
                peer.Retired = true;
                peer.Crash();
            }
        }
    }

    /// <summary>Heals everything; a leader must then commit a fresh proposal on every member within the round budget.</summary>
    private void CheckLiveness()
    {
        _partitionSide.Clear();
        foreach (var peer in _peers.Where(p => p.Node is null && !p.Retired))
        {
            peer.Start(new Random(_random.Next()));
            peer.ProcessReady(this);
        }

        byte[]? marker = null;
        ulong markerIndex = 0;
        for (var round = 0; round < _options.LivenessRounds; round++)
        {
            _step++;
            foreach (var peer in Live.ToList())
            {
                peer.Node!.Tick();
                peer.ProcessReady(this);
            }

            // Deliver everything in flight (and whatever that triggers) reliably.
            while (_network.Count > 0)
            {
                var batch = _network.ToList();
                _network.Clear();
                foreach (var m in batch)
                {
                    Deliver(m);
                }
            }

            Monitor.Check(_peers);
            if (CurrentLeader() is not { } leaderPeer)
            {
                continue;
            }

            var leader = leaderPeer.Node!;
            RetireRemoved(leader);
            if (leaderPeer.Retired)
            {
                continue;
            }

            if (marker is null || (markerIndex > 0 && !leader.TryGetTerm(markerIndex, out _) && markerIndex > leader.SnapshotIndex))
            {
                marker = NextPayload();
                if (leader.Propose(marker))
                {
                    markerIndex = leader.LastIndex;
                    leaderPeer.ProcessReady(this);
                }

                continue;
            }

            var members = leader.Voters.Concat(leader.Learners).Select(id => _peers.Find(p => p.Id == id)!).ToList();
            if (markerIndex > 0 && members.All(p => p.Node is { } n && n.Applied >= markerIndex && n.Commit >= markerIndex) &&
                (leader.SnapshotIndex >= markerIndex || leader.GetEntry(markerIndex).Data.AsSpan().SequenceEqual(marker)))
            {
                SafetyMonitor.CheckLogMatching(_peers);
                return;
            }

            if (markerIndex > 0 && leader.SnapshotIndex < markerIndex && leader.LastIndex >= markerIndex &&
                !leader.GetEntry(markerIndex).Data.AsSpan().SequenceEqual(marker))
            {
                marker = null; // our proposal was overwritten by a new leader's log; propose again
            }
        }

        throw new SimulationFailure($"liveness: no leader committed a proposal on all members within {_options.LivenessRounds} healed rounds " +
            $"(roles: {string.Join(", ", _peers.Select(p => $"{p.Id}:{(p.Retired ? "retired" : p.Node?.Role.ToString() ?? "down")}/t{p.Node?.Term}/c{p.Node?.Commit}"))})");
    }
}

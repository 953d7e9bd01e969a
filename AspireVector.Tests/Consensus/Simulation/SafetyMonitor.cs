using AspireVector.Node.Consensus;

namespace AspireVector.Tests.Consensus.Simulation;

/// <summary>
/// Global observer checking Raft's safety properties: election safety, log matching, leader completeness and
/// state-machine safety (every peer applies the same entry at every index).
/// </summary>
internal sealed class SafetyMonitor
{
    private readonly Dictionary<ulong, ulong> _leaderOfTerm = [];
    private readonly Dictionary<ulong, ulong> _committedTerm = [];
    private readonly Dictionary<ulong, ulong> _appliedHash = [];
    private readonly Dictionary<(ulong Index, ulong Term), LogEntry> _entryAt = [];
    private ulong _maxCommitted;

    public int LeadersElected => _leaderOfTerm.Count;

    public ulong MaxCommitted => _maxCommitted;

    public void OnPersisted(SimulatedPeer peer, IReadOnlyList<LogEntry> entries)
    {
        foreach (var e in entries)
        {
            if (_entryAt.TryGetValue((e.Index, e.Term), out var known))
            {
                if (known.Type != e.Type || !known.Data.AsSpan().SequenceEqual(e.Data))
                {
                    throw new SimulationFailure($"log matching: peer {peer.Id} stores a different entry at index {e.Index} term {e.Term}");
                }
            }
            else
            {
                _entryAt[(e.Index, e.Term)] = e;
            }
        }
    }

    public void OnApplied(SimulatedPeer peer, ulong index, ulong hash)
    {
        if (index == 0)
        {
            return;
        }

        if (_appliedHash.TryGetValue(index, out var known))
        {
            if (known != hash)
            {
                throw new SimulationFailure($"state machine safety: peer {peer.Id} applied a different history up to index {index}");
            }
        }
        else
        {
            _appliedHash[index] = hash;
        }
    }

    /// <summary>Checks the observable state of every live peer after a step.</summary>
    public void Check(IEnumerable<SimulatedPeer> peers)
    {
        foreach (var peer in peers)
        {
            if (peer.Node is not { } node)
            {
                continue;
            }

            var commit = node.Commit;
            if (commit > 0 && node.TryGetTerm(commit, out var commitTerm))
            {
                if (_committedTerm.TryGetValue(commit, out var known) && known != commitTerm)
                {
                    throw new SimulationFailure($"committed entry changed: peer {peer.Id} has term {commitTerm} at committed index {commit}, previously {known}");
                }

                _committedTerm[commit] = commitTerm;
                _maxCommitted = Math.Max(_maxCommitted, commit);
            }

            if (node.Role == RaftRole.Leader)
            {
                if (_leaderOfTerm.TryGetValue(node.Term, out var leader))
                {
                    if (leader != peer.Id)
                    {
                        throw new SimulationFailure($"election safety: peers {leader} and {peer.Id} both lead term {node.Term}");
                    }
                }
                else
                {
                    _leaderOfTerm[node.Term] = peer.Id;
                    CheckLeaderCompleteness(peer.Id, node);
                }
            }
        }
    }

    private void CheckLeaderCompleteness(ulong id, RaftNode leader)
    {
        // Entries committed so far were committed in earlier terms; the new leader must hold the latest of them
        // (log matching then gives it the whole committed prefix).
        var index = _maxCommitted;
        if (index == 0 || index < leader.SnapshotIndex)
        {
            return;
        }

        if (!leader.TryGetTerm(index, out var term) || term != _committedTerm[index])
        {
            throw new SimulationFailure($"leader completeness: new leader {id} of term {leader.Term} lacks committed index {index}");
        }
    }

    /// <summary>Pairwise log matching: where two logs agree on an index's term, they agree on everything before it.</summary>
    public static void CheckLogMatching(IReadOnlyList<SimulatedPeer> peers)
    {
        for (var i = 0; i < peers.Count; i++)
        {
            for (var j = i + 1; j < peers.Count; j++)
            {
                if (peers[i].Node is { } a && peers[j].Node is { } b)
                {
                    CheckPair(peers[i].Id, a, peers[j].Id, b);
                }
            }
        }
    }

    private static void CheckPair(ulong idA, RaftNode a, ulong idB, RaftNode b)
    {
        var lo = Math.Max(a.SnapshotIndex, b.SnapshotIndex) + 1;
        var hi = Math.Min(a.LastIndex, b.LastIndex);
        var agreed = false;
        for (var index = hi; index >= lo && index > 0; index--)
        {
            var ea = a.GetEntry(index);
            var eb = b.GetEntry(index);
            if (ea.Term != eb.Term)
            {
                if (agreed)
                {
                    throw new SimulationFailure($"log matching: peers {idA} and {idB} differ at {index} below a matching entry");
                }

                continue;
            }

            agreed = true;
            if (ea.Type != eb.Type || !ea.Data.AsSpan().SequenceEqual(eb.Data))
            {
                throw new SimulationFailure($"log matching: peers {idA} and {idB} hold different entries at {index} term {ea.Term}");
            }
        }
    }
}

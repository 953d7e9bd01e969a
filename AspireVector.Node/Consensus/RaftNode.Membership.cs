namespace AspireVector.Node.Consensus;

public sealed partial class RaftNode
{
    /// <summary>
    /// Takes a snapshot at the applied index with the given state-machine image and drops the log before it.
    /// The owner persists the returned snapshot and may then discard its stored entries up to its index.
    /// </summary>
    /// <remarks>Call between <see cref="Advance"/> and the next Step/Tick, when the image reflects exactly <see cref="Applied"/>.</remarks>
    public RaftSnapshot Compact(byte[] stateMachineImage)
    {
        var index = _log.Applied;
        if (!_log.TryTerm(index, out var term))
        {
            throw new InvalidOperationException($"applied index {index} is not in the log");
        }

        var snapshot = new RaftSnapshot(index, term, Conf, stateMachineImage);
        _log.CompactTo(index);
        _snapshot = snapshot;
        return snapshot;
    }

    private void Bootstrap(IReadOnlyList<ulong> voters)
    {
        // Like etcd's bootstrap: the initial membership is a committed prefix of term-1 entries, so every peer
        // started with the same voter list holds an identical log.
        Term = 1;
        foreach (var voter in voters)
        {
            var change = new ConfChange(ConfChangeType.AddVoter, voter);
            _log.Append(new LogEntry(1, _log.LastIndex + 1, LogEntryType.ConfChange, RaftCodec.EncodeConfChange(change)));
            ApplyConfChange(change);
        }

        _log.CommitTo(_log.LastIndex);
    }

    private void SetConf(ConfState conf)
    {
        _voters.Clear();
        _learners.Clear();
        _voters.UnionWith(conf.Voters);
        _learners.UnionWith(conf.Learners);
    }

    private void ApplyConfChange(ConfChange change)
    {
        switch (change.Type)
        {
            case ConfChangeType.AddLearner:
                if (!_voters.Contains(change.NodeId))
                {
                    _learners.Add(change.NodeId);
                }

                break;
            case ConfChangeType.AddVoter:
                _learners.Remove(change.NodeId);
                _voters.Add(change.NodeId);
                break;
            case ConfChangeType.RemoveNode:
                _voters.Remove(change.NodeId);
                _learners.Remove(change.NodeId);
                break;
        }

        if (Role != RaftRole.Leader)
        {
            return;
        }

        if (!_voters.Contains(Id))
        {
            // Our own removal is committed: hand over by stepping down; the others elect among themselves.
            BecomeFollower(Term, 0);
            return;
        }

        foreach (var peer in _voters.Concat(_learners))
        {
            if (!_progress.ContainsKey(peer))
            {
                _progress[peer] = new Progress { Next = _log.LastIndex + 1, RecentActive = true };
            }
        }

        foreach (var peer in _progress.Keys.ToList())
        {
            if (!_voters.Contains(peer) && !_learners.Contains(peer))
            {
                _progress.Remove(peer);
            }
        }

        // A smaller quorum may commit more right away.
        if (MaybeCommit())
        {
            BroadcastAppend();
        }
    }
}

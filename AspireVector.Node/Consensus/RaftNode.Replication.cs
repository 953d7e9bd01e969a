namespace AspireVector.Node.Consensus;

public sealed partial class RaftNode
{
    private void TickLeader()
    {
        _heartbeatElapsed++;
        _electionElapsed++;
        if (_electionElapsed >= _config.ElectionTick)
        {
            _electionElapsed = 0;
            if (_config.CheckQuorum && !QuorumRecentlyActive())
            {
                // A leader cut off from a quorum steps down so clients stop talking to it.
                BecomeFollower(Term, 0);
                return;
            }
        }

        foreach (var (peer, pr) in _progress)
        {
            if (pr.State == ProgressState.Snapshot && ++pr.SnapshotTicks >= _config.ElectionTick)
            {
                // The snapshot (or its answer) was probably lost: go back to probing, which resends it if needed.
                pr.PendingSnapshot = 0;
                pr.BecomeProbe();
                SendAppend(peer);
            }
        }

        if (_heartbeatElapsed >= _config.HeartbeatTick)
        {
            _heartbeatElapsed = 0;
            BroadcastHeartbeat();
        }
    }

    private bool QuorumRecentlyActive()
    {
        var active = 0;
        foreach (var voter in _voters)
        {
            if (voter == Id || (_progress.TryGetValue(voter, out var pr) && pr.RecentActive))
            {
                active++;
            }
        }

        foreach (var (peer, pr) in _progress)
        {
            if (peer != Id)
            {
                pr.RecentActive = false;
            }
        }

        return active >= (_voters.Count / 2) + 1;
    }

    private void StepLeader(RaftMessage m)
    {
        switch (m.Type)
        {
            case RaftMessageType.Propose:
                AppendProposals(m.Entries);
                return;
            case RaftMessageType.AppendResponse:
                if (_progress.TryGetValue(m.From, out var pr))
                {
                    pr.RecentActive = true;
                    HandleAppendResponse(m, pr);
                }

                return;
            case RaftMessageType.HeartbeatResponse:
                if (_progress.TryGetValue(m.From, out var hpr))
                {
                    hpr.RecentActive = true;
                    hpr.ProbeSent = false;
                    if (hpr.Match < _log.LastIndex)
                    {
                        SendAppend(m.From);
                    }
                }

                return;
        }
    }

    private void HandleAppendResponse(RaftMessage m, Progress pr)
    {
        if (m.Reject)
        {
            var nextProbe = m.RejectHint;
            if (m.LogTerm > 0)
            {
                nextProbe = _log.FindConflictByTerm(m.RejectHint, m.LogTerm).Index;
            }

            if (pr.MaybeDecrTo(m.Index, nextProbe))
            {
                if (pr.State == ProgressState.Replicate)
                {
                    pr.BecomeProbe();
                }

                SendAppend(m.From);
            }

            return;
        }

        var wasPaused = pr.IsPaused;
        if (!pr.MaybeUpdate(m.Index))
        {
            if (wasPaused && pr.State == ProgressState.Probe)
            {
                SendAppend(m.From);
            }

            return;
        }

        if (pr.State == ProgressState.Probe)
        {
            pr.BecomeReplicate();
        }
        else if (pr.State == ProgressState.Snapshot && pr.Match >= pr.PendingSnapshot)
        {
            pr.BecomeProbe();
            pr.BecomeReplicate();
        }

        if (MaybeCommit())
        {
            BroadcastAppend();
        }
        else
        {
            while (SendAppend(m.From, sendIfEmpty: false))
            {
            }
        }
    }

    private void StepFollower(RaftMessage m)
    {
        switch (m.Type)
        {
            case RaftMessageType.Propose:
                if (LeaderId != 0)
                {
                    Send(m with { To = LeaderId, From = Id });
                }

                break;
            case RaftMessageType.Append:
                _electionElapsed = 0;
                LeaderId = m.From;
                HandleAppend(m);
                break;
            case RaftMessageType.Heartbeat:
                _electionElapsed = 0;
                LeaderId = m.From;
                HandleHeartbeat(m);
                break;
            case RaftMessageType.Snapshot:
                _electionElapsed = 0;
                LeaderId = m.From;
                HandleSnapshot(m);
                break;
        }
    }

    private void HandleAppend(RaftMessage m)
    {
        if (m.Index < _log.Committed)
        {
            Respond(m, _log.Committed);
            return;
        }

        if (_log.MaybeAppend(m.Index, m.LogTerm, m.Commit, m.Entries) is { } lastNew)
        {
            Respond(m, lastNew);
            return;
        }

        var (hintIndex, hintTerm) = _log.FindConflictByTerm(Math.Min(m.Index, _log.LastIndex), m.LogTerm);
        Send(new RaftMessage
        {
            Type = RaftMessageType.AppendResponse, To = m.From, From = Id, Term = Term,
            Index = m.Index, Reject = true, RejectHint = hintIndex, LogTerm = hintTerm,
        });
    }

    private void Respond(RaftMessage m, ulong index) =>
        Send(new RaftMessage { Type = RaftMessageType.AppendResponse, To = m.From, From = Id, Term = Term, Index = index });

    private void HandleHeartbeat(RaftMessage m)
    {
        _log.CommitTo(Math.Min(m.Commit, _log.LastIndex));
        Send(new RaftMessage { Type = RaftMessageType.HeartbeatResponse, To = m.From, From = Id, Term = Term });
    }

    private void HandleSnapshot(RaftMessage m)
    {
        var snap = m.Snapshot!;
        if (snap.Index <= _log.Committed)
        {
            Respond(m, _log.Committed);
            return;
        }

        if (_log.MatchTerm(snap.Index, snap.Term))
        {
            // We already hold that prefix: just learn that it is committed.
            _log.CommitTo(snap.Index);
            Respond(m, _log.LastIndex);
            return;
        }

        _log.Restore(snap);
        _snapshot = snap;
        _snapshotToInstall = snap;
        SetConf(snap.Conf);
        Respond(m, _log.LastIndex);
    }

    private bool AppendProposals(IReadOnlyList<LogEntry> proposals)
    {
        var appended = false;
        foreach (var p in proposals)
        {
            var type = p.Type;
            var data = p.Data;
            if (type == LogEntryType.ConfChange)
            {
                if (_pendingConfIndex > _log.Applied)
                {
                    if (proposals.Count == 1)
                    {
                        return false;
                    }

                    // Keep the batch's positions but neutralise the refused change.
                    type = LogEntryType.Normal;
                    data = LogEntry.Empty;
                }
                else
                {
                    _pendingConfIndex = _log.LastIndex + 1;
                }
            }

            _log.Append(new LogEntry(Term, _log.LastIndex + 1, type, data));
            appended = true;
        }

        if (_progress.TryGetValue(Id, out var self))
        {
            self.MaybeUpdate(_log.LastIndex);
        }

        MaybeCommit();
        BroadcastAppend();
        return appended;
    }

    private bool MaybeCommit()
    {
        if (_voters.Count == 0)
        {
            return false;
        }

        Span<ulong> matches = stackalloc ulong[_voters.Count];
        var n = 0;
        foreach (var voter in _voters)
        {
            matches[n++] = _progress.TryGetValue(voter, out var pr) ? pr.Match : 0;
        }

        matches.Sort();
        var quorumIndex = matches[_voters.Count - ((_voters.Count / 2) + 1)];
        return _log.MaybeCommit(quorumIndex, Term);
    }

    private void BroadcastAppend()
    {
        foreach (var peer in _progress.Keys)
        {
            if (peer != Id)
            {
                SendAppend(peer);
            }
        }
    }

    private void BroadcastHeartbeat()
    {
        foreach (var (peer, pr) in _progress)
        {
            if (peer != Id)
            {
                Send(new RaftMessage
                {
                    Type = RaftMessageType.Heartbeat, To = peer, From = Id, Term = Term,
                    Commit = Math.Min(pr.Match, _log.Committed),
                });
            }
        }
    }

    /// <summary>Sends the next batch (or a snapshot) to <paramref name="to"/>; false when nothing was sent.</summary>
    private bool SendAppend(ulong to, bool sendIfEmpty = true)
    {
        var pr = _progress[to];
        if (pr.IsPaused)
        {
            return false;
        }

        var prevIndex = pr.Next - 1;
        if (!_log.TryTerm(prevIndex, out var prevTerm))
        {
            if (prevIndex > _log.LastIndex)
            {
                pr.Next = _log.LastIndex + 1;
                return false;
            }

            if (!pr.RecentActive || _snapshot is null)
            {
                return false;
            }

            Send(new RaftMessage { Type = RaftMessageType.Snapshot, To = to, From = Id, Term = Term, Snapshot = _snapshot });
            pr.BecomeSnapshot(_snapshot.Index);
            return true;
        }

        var hi = Math.Min(_log.LastIndex + 1, pr.Next + (ulong)_config.MaxEntriesPerMessage);
        var entries = pr.Next <= _log.LastIndex ? _log.Slice(pr.Next, hi) : [];
        if (entries.Count == 0 && !sendIfEmpty)
        {
            return false;
        }

        Send(new RaftMessage
        {
            Type = RaftMessageType.Append, To = to, From = Id, Term = Term,
            Index = prevIndex, LogTerm = prevTerm, Entries = entries, Commit = _log.Committed,
        });
        if (pr.State == ProgressState.Replicate && entries.Count > 0)
        {
            pr.Next = entries[^1].Index + 1;
        }
        else if (pr.State == ProgressState.Probe)
        {
            pr.ProbeSent = true;
        }

        return true;
    }
}

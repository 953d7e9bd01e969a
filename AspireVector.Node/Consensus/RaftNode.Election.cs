namespace AspireVector.Node.Consensus;

public sealed partial class RaftNode
{
    /// <summary>Handles one message from a peer (or a forwarded proposal).</summary>
    public void Step(RaftMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.To != Id)
        {
            return;
        }

        if (message.Term > Term && message.Type != RaftMessageType.Propose)
        {
            if (message.Type is RaftMessageType.Vote or RaftMessageType.PreVote)
            {
                // Leader lease: while we hear from a leader, a disruptive candidate (e.g. a removed or rejoining
                // peer) must not depose it.
                var inLease = _config.CheckQuorum && LeaderId != 0 && _electionElapsed < _config.ElectionTick;
                if (inLease)
                {
                    return;
                }
            }

            if (message.Type == RaftMessageType.PreVote ||
                (message.Type == RaftMessageType.PreVoteResponse && !message.Reject))
            {
                // Pre-votes never change terms: a granted pre-vote carries the future term of the candidate.
            }
            else if (message.Type is RaftMessageType.Append or RaftMessageType.Heartbeat or RaftMessageType.Snapshot)
            {
                BecomeFollower(message.Term, message.From);
            }
            else
            {
                BecomeFollower(message.Term, 0);
            }
        }
        else if (message.Term < Term && message.Type != RaftMessageType.Propose)
        {
            if (message.Type is RaftMessageType.Append or RaftMessageType.Heartbeat)
            {
                // Tell a stale leader about the newer term so it steps down (it would otherwise never learn it, as
                // pre-vote and leases keep the rest of the cluster from raising terms on its account).
                Send(new RaftMessage { Type = RaftMessageType.AppendResponse, To = message.From, From = Id, Term = Term });
            }
            else if (message.Type == RaftMessageType.PreVote)
            {
                Send(new RaftMessage { Type = RaftMessageType.PreVoteResponse, To = message.From, From = Id, Term = Term, Reject = true });
            }

            return;
        }

        if (message.Type is RaftMessageType.Vote or RaftMessageType.PreVote)
        {
            HandleVoteRequest(message);
            return;
        }

        switch (Role)
        {
            case RaftRole.Leader:
                StepLeader(message);
                break;
            case RaftRole.Candidate:
            case RaftRole.PreCandidate:
                StepCandidate(message);
                break;
            default:
                StepFollower(message);
                break;
        }
    }

    private void HandleVoteRequest(RaftMessage m)
    {
        var pre = m.Type == RaftMessageType.PreVote;
        var responseType = pre ? RaftMessageType.PreVoteResponse : RaftMessageType.VoteResponse;
        var canVote = Vote == m.From || (Vote == 0 && LeaderId == 0) || (pre && m.Term > Term);
        if (canVote && _log.IsUpToDate(m.Index, m.LogTerm))
        {
            Send(new RaftMessage { Type = responseType, To = m.From, From = Id, Term = m.Term });
            if (!pre)
            {
                _electionElapsed = 0;
                Vote = m.From;
            }
        }
        else
        {
            Send(new RaftMessage { Type = responseType, To = m.From, From = Id, Term = Term, Reject = true });
        }
    }

    private void StepCandidate(RaftMessage m)
    {
        switch (m.Type)
        {
            case RaftMessageType.Append:
                BecomeFollower(m.Term, m.From);
                HandleAppend(m);
                break;
            case RaftMessageType.Heartbeat:
                BecomeFollower(m.Term, m.From);
                HandleHeartbeat(m);
                break;
            case RaftMessageType.Snapshot:
                BecomeFollower(m.Term, m.From);
                HandleSnapshot(m);
                break;
            case RaftMessageType.VoteResponse when Role == RaftRole.Candidate:
            case RaftMessageType.PreVoteResponse when Role == RaftRole.PreCandidate:
                if (_voters.Contains(m.From))
                {
                    _votes[m.From] = !m.Reject;
                }

                switch (TallyVotes())
                {
                    case true when Role == RaftRole.PreCandidate:
                        StartElection(preVote: false);
                        break;
                    case true:
                        BecomeLeader();
                        BroadcastAppend();
                        break;
                    case false:
                        BecomeFollower(Term, 0);
                        break;
                }

                break;
        }
    }

    /// <summary>True when a quorum granted, false when a quorum refused, null while undecided.</summary>
    private bool? TallyVotes()
    {
        int granted = 0, rejected = 0;
        foreach (var (from, ok) in _votes)
        {
            if (!_voters.Contains(from))
            {
                continue;
            }

            if (ok)
            {
                granted++;
            }
            else
            {
                rejected++;
            }
        }

        var quorum = (_voters.Count / 2) + 1;
        if (granted >= quorum)
        {
            return true;
        }

        return rejected > _voters.Count - quorum ? false : null;
    }

    private void TickElection()
    {
        _electionElapsed++;
        if (IsVoter && _electionElapsed >= _randomizedElectionTimeout)
        {
            _electionElapsed = 0;
            Hup();
        }
    }

    private void Hup()
    {
        if (Role == RaftRole.Leader || !IsVoter)
        {
            return;
        }

        // A committed but unapplied membership change could make us campaign with the wrong voter set.
        for (var i = Math.Max(_log.Applied + 1, _log.FirstIndex); i <= _log.Committed; i++)
        {
            if (_log.Entry(i).Type == LogEntryType.ConfChange)
            {
                return;
            }
        }

        StartElection(_config.PreVote);
    }

    private void StartElection(bool preVote)
    {
        ulong electionTerm;
        RaftMessageType requestType;
        if (preVote)
        {
            BecomePreCandidate();
            electionTerm = Term + 1;
            requestType = RaftMessageType.PreVote;
        }
        else
        {
            BecomeCandidate();
            electionTerm = Term;
            requestType = RaftMessageType.Vote;
        }

        _votes[Id] = true;
        if (TallyVotes() == true)
        {
            if (preVote)
            {
                StartElection(preVote: false);
            }
            else
            {
                BecomeLeader();
                BroadcastAppend();
            }

            return;
        }

        foreach (var voter in _voters)
        {
            if (voter != Id)
            {
                Send(new RaftMessage
                {
                    Type = requestType, To = voter, From = Id, Term = electionTerm,
                    Index = _log.LastIndex, LogTerm = _log.LastTerm,
                });
            }
        }
    }

    private void Reset(ulong term)
    {
        if (Term != term)
        {
            Term = term;
            Vote = 0;
        }

        LeaderId = 0;
        _electionElapsed = 0;
        _heartbeatElapsed = 0;
        _randomizedElectionTimeout = _config.ElectionTick + _random.Next(_config.ElectionTick);
        _votes.Clear();
        _progress.Clear();
        _pendingConfIndex = 0;
    }

    private void BecomeFollower(ulong term, ulong leader)
    {
        Reset(term);
        LeaderId = leader;
        Role = RaftRole.Follower;
    }

    private void BecomePreCandidate()
    {
        _votes.Clear();
        LeaderId = 0;
        Role = RaftRole.PreCandidate;
    }

    private void BecomeCandidate()
    {
        Reset(Term + 1);
        Vote = Id;
        Role = RaftRole.Candidate;
    }

    private void BecomeLeader()
    {
        Reset(Term);
        LeaderId = Id;
        Role = RaftRole.Leader;
        foreach (var peer in _voters.Concat(_learners))
        {
            _progress[peer] = new Progress { Next = _log.LastIndex + 1, RecentActive = true };
        }

        // Membership changes wait until everything before our no-op is applied (the single-server change fix).
        _pendingConfIndex = _log.LastIndex;
        AppendProposals([new LogEntry(0, 0, LogEntryType.Normal, LogEntry.Empty)]);
    }
}

using System.Buffers.Binary;

namespace AspireVector.Node.Consensus;

public sealed partial class ConsensusDriver
{
    private async Task RunAsync()
    {
        var ct = _stop.Token;
        try
        {
            var reader = _mailbox.Reader;
            while (await reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                while (reader.TryRead(out var command))
                {
                    Handle(command);
                }

                await ProcessReadyAsync(ct).ConfigureAwait(false);
                _status = BuildStatus(ConsensusThreadState.Working, null);
                ObserveLeader();
            }

            _status = BuildStatus(ConsensusThreadState.Stopped, null);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _status = BuildStatus(ConsensusThreadState.Stopped, null);
        }
        catch (Exception ex)
        {
            _status = BuildStatus(ConsensusThreadState.StoppedWithErr, ex.Message);
            FailPending($"Consensus stopped: {ex.Message}");
        }
    }

    private void ObserveLeader()
    {
        // A leaderless interval (election) is not a change; only a different leader than the last one known is.
        var leader = _node.LeaderId;
        if (leader == 0 || leader == _lastLeader) return;
        _lastLeader = leader;
        LeaderChanged?.Invoke(leader);
    }

    private void Handle(object command)
    {
        switch (command)
        {
            case TickCommand:
                _node.Tick();
                break;
            case CampaignCommand:
                _node.Campaign();
                break;
            case RaftMessage message:
                _node.Step(message);
                break;
            case ProposeCommand p:
                if (!_node.Propose(p.Envelope))
                {
                    p.Done.TrySetException(new ConsensusException("No leader elected: the cluster has no quorum right now, try again later"));
                }

                break;
            case ConfChangeCommand c:
                if (_node.ProposeConfChange(c.Change))
                {
                    _pendingConfChanges.Add((c.Change, c.Done));
                }
                else
                {
                    c.Done.TrySetException(new ConsensusException(_node.LeaderId == 0
                        ? "No leader elected: the cluster has no quorum right now, try again later"
                        : "Another membership change is in progress, try again later"));
                }

                break;
            case QueryCommand q:
                q.Run(_node);
                break;
        }
    }

    private async Task ProcessReadyAsync(CancellationToken ct)
    {
        while (_node.HasReady)
        {
            var ready = _node.Ready();

            // Durability first: a vote or an acknowledged entry must survive a crash before anyone hears of it.
            _storage.Save(ready);
            if (ready.Snapshot is { } snapshot)
            {
                await _stateMachine.RestoreAsync(snapshot.Data, ct).ConfigureAwait(false);
            }

            foreach (var message in ready.Messages)
            {
                _transport.Send(message.To, RaftCodec.EncodeMessage(message));
            }

            foreach (var entry in ready.CommittedEntries)
            {
                await ApplyAsync(entry, ct).ConfigureAwait(false);
            }

            _node.Advance(ready);
        }

        if (_node.Applied >= _node.SnapshotIndex + (ulong)_compactEntries)
        {
            var image = await _stateMachine.SnapshotAsync(ct).ConfigureAwait(false);
            _storage.SaveSnapshot(_node.Compact(image));
        }
    }

    private async Task ApplyAsync(LogEntry entry, CancellationToken ct)
    {
        if (entry.Type == LogEntryType.ConfChange)
        {
            var change = RaftCodec.DecodeConfChange(entry.Data);
            var i = _pendingConfChanges.FindIndex(p => p.Change == change);
            if (i >= 0)
            {
                _pendingConfChanges[i].Done.TrySetResult();
                _pendingConfChanges.RemoveAt(i);
            }

            return;
        }

        if (entry.Data.Length < 16)
        {
            return; // a leader's no-op
        }

        var proposer = BinaryPrimitives.ReadUInt64LittleEndian(entry.Data);
        var seq = BinaryPrimitives.ReadUInt64LittleEndian(entry.Data.AsSpan(8));
        try
        {
            await _stateMachine.ApplyAsync(entry.Index, entry.Data.AsMemory(16), ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A deterministic apply failure (e.g. invalid command) is the proposer's error, not the cluster's.
            if (proposer == PeerId && _pendingProposals.TryGetValue(seq, out var failed))
            {
                failed.TrySetException(ex);
            }

            return;
        }

        if (proposer == PeerId && _pendingProposals.TryGetValue(seq, out var done))
        {
            done.TrySetResult();
        }
    }
}

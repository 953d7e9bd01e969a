namespace AspireVector.Node.Consensus;

/// <summary>Leader's bookkeeping of one peer's replication.</summary>
internal sealed class Progress
{
    public ulong Match { get; set; }

    public ulong Next { get; set; }

    public ProgressState State { get; private set; } = ProgressState.Probe;

    /// <summary>In Probe: an Append is outstanding, wait for its answer or the next heartbeat.</summary>
    public bool ProbeSent { get; set; }

    public ulong PendingSnapshot { get; set; }

    /// <summary>Ticks since the snapshot was sent; a lost snapshot is resent after an election timeout.</summary>
    public int SnapshotTicks { get; set; }

    /// <summary>Heard from this peer since the last check-quorum round.</summary>
    public bool RecentActive { get; set; }

    public bool IsPaused => State switch
    {
        ProgressState.Probe => ProbeSent,
        ProgressState.Snapshot => true,
        _ => false,
    };

    public void BecomeProbe()
    {
        Next = State == ProgressState.Snapshot ? Math.Max(Match + 1, PendingSnapshot + 1) : Match + 1;
        State = ProgressState.Probe;
        ProbeSent = false;
        PendingSnapshot = 0;
    }

    public void BecomeReplicate()
    {
        State = ProgressState.Replicate;
        Next = Match + 1;
        ProbeSent = false;
    }

    public void BecomeSnapshot(ulong index)
    {
        State = ProgressState.Snapshot;
        PendingSnapshot = index;
        SnapshotTicks = 0;
    }

    /// <summary>Records an acknowledgement of everything up to <paramref name="index"/>.</summary>
    public bool MaybeUpdate(ulong index)
    {
        var updated = false;
        if (Match < index)
        {
            Match = index;
            updated = true;
            ProbeSent = false;
        }

        Next = Math.Max(Next, index + 1);
        return updated;
    }

    /// <summary>
    /// Handles a rejection of the Append whose previous index was <paramref name="rejected"/>; returns false when the
    /// rejection is stale (answers an Append we no longer care about).
    /// </summary>
    public bool MaybeDecrTo(ulong rejected, ulong matchHint)
    {
        if (State == ProgressState.Replicate)
        {
            if (rejected <= Match)
            {
                return false;
            }

            Next = Match + 1;
            return true;
        }

        if (Next == 0 || Next - 1 != rejected)
        {
            return false;
        }

        Next = Math.Max(Math.Min(rejected, matchHint + 1), Match + 1);
        ProbeSent = false;
        return true;
    }
}

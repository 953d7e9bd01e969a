namespace AspireVector.Node.Consensus;

/// <summary>
/// In-memory view of the replicated log: a snapshot prefix (index/term only) followed by the entries after it,
/// with the commit, apply and persistence marks.
/// </summary>
internal sealed class RaftLog
{
    private readonly List<LogEntry> _entries = [];

    /// <summary>Index covered by the latest snapshot (0 when none).</summary>
    public ulong SnapshotIndex { get; private set; }

    /// <summary>Term of the entry at <see cref="SnapshotIndex"/>.</summary>
    public ulong SnapshotTerm { get; private set; }

    /// <summary>Highest index known committed.</summary>
    public ulong Committed { get; private set; }

    /// <summary>Highest index handed to the state machine and acknowledged by <see cref="RaftNode.Advance"/>.</summary>
    public ulong Applied { get; set; }

    /// <summary>Highest index the owner has persisted; entries above it are handed out by the next Ready.</summary>
    public ulong StableIndex { get; private set; }

    public ulong FirstIndex => SnapshotIndex + 1;

    public ulong LastIndex => SnapshotIndex + (ulong)_entries.Count;

    public ulong LastTerm => _entries.Count == 0 ? SnapshotTerm : _entries[^1].Term;

    public bool HasUnstable => LastIndex > StableIndex;

    public bool HasNextCommitted => Committed > Applied;

    /// <summary>Term of the entry at <paramref name="index"/>; false when compacted away or beyond the end.</summary>
    public bool TryTerm(ulong index, out ulong term)
    {
        if (index == SnapshotIndex)
        {
            term = SnapshotTerm;
            return true;
        }

        if (index < SnapshotIndex || index > LastIndex)
        {
            term = 0;
            return false;
        }

        term = _entries[(int)(index - SnapshotIndex - 1)].Term;
        return true;
    }

    public bool MatchTerm(ulong index, ulong term) => TryTerm(index, out var t) && t == term;

    /// <summary>Raft's "at least as up-to-date" comparison used to grant votes.</summary>
    public bool IsUpToDate(ulong lastIndex, ulong lastTerm) =>
        lastTerm > LastTerm || (lastTerm == LastTerm && lastIndex >= LastIndex);

    public LogEntry Entry(ulong index) => _entries[(int)(index - SnapshotIndex - 1)];

    /// <summary>Entries in [lo, hi); both ends must lie within the retained log.</summary>
    public List<LogEntry> Slice(ulong lo, ulong hi)
    {
        var start = (int)(lo - SnapshotIndex - 1);
        return _entries.GetRange(start, (int)(hi - lo));
    }

    /// <summary>Leader-side append of entries that already carry their term and index.</summary>
    public void Append(LogEntry entry)
    {
        if (entry.Index != LastIndex + 1)
        {
            throw new InvalidOperationException($"append at {entry.Index} after last index {LastIndex}");
        }

        _entries.Add(entry);
    }

    /// <summary>
    /// Follower-side append: when the entry at <paramref name="prevIndex"/> has <paramref name="prevTerm"/>, replaces
    /// any conflicting suffix with <paramref name="entries"/>, advances the commit and returns the last new index.
    /// </summary>
    public ulong? MaybeAppend(ulong prevIndex, ulong prevTerm, ulong commit, IReadOnlyList<LogEntry> entries)
    {
        if (!MatchTerm(prevIndex, prevTerm))
        {
            return null;
        }

        var lastNew = prevIndex + (ulong)entries.Count;
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            if (MatchTerm(e.Index, e.Term))
            {
                continue;
            }

            if (e.Index <= Committed)
            {
                throw new InvalidOperationException($"entry {e.Index} conflicts with committed entry (commit {Committed})");
            }

            TruncateFrom(e.Index);
            for (var j = i; j < entries.Count; j++)
            {
                _entries.Add(entries[j]);
            }

            break;
        }

        CommitTo(Math.Min(commit, lastNew));
        return lastNew;
    }

    private void TruncateFrom(ulong index)
    {
        var keep = (int)(index - SnapshotIndex - 1);
        _entries.RemoveRange(keep, _entries.Count - keep);
        StableIndex = Math.Min(StableIndex, index - 1);
    }

    public void CommitTo(ulong commit)
    {
        if (commit > Committed)
        {
            if (commit > LastIndex)
            {
                throw new InvalidOperationException($"commit {commit} beyond last index {LastIndex}");
            }

            Committed = commit;
        }
    }

    /// <summary>Commits <paramref name="index"/> only when its entry belongs to <paramref name="term"/> (Raft §5.4.2).</summary>
    public bool MaybeCommit(ulong index, ulong term)
    {
        if (index > Committed && TryTerm(index, out var t) && t == term)
        {
            Committed = index;
            return true;
        }

        return false;
    }

    /// <summary>
    /// Largest index at or below <paramref name="index"/> whose term is at most <paramref name="term"/>, with that term;
    /// the term is 0 when unknown (compacted). Lets a leader skip a whole conflicting term per round trip.
    /// </summary>
    public (ulong Index, ulong Term) FindConflictByTerm(ulong index, ulong term)
    {
        while (true)
        {
            if (!TryTerm(index, out var t))
            {
                return (index, 0);
            }

            if (t <= term || index == 0)
            {
                return (index, t);
            }

            index--;
        }
    }

    public List<LogEntry> UnstableEntries() =>
        HasUnstable ? Slice(Math.Max(StableIndex + 1, FirstIndex), LastIndex + 1) : [];

    public void StableTo(ulong index, ulong term)
    {
        if (MatchTerm(index, term) && index > StableIndex)
        {
            StableIndex = index;
        }
    }

    public List<LogEntry> NextCommitted(int max)
    {
        if (!HasNextCommitted)
        {
            return [];
        }

        var lo = Math.Max(Applied + 1, FirstIndex);
        var hi = Math.Min(Committed, lo + (ulong)max - 1) + 1;
        return Slice(lo, hi);
    }

    /// <summary>Replaces the whole log with a snapshot received from the leader.</summary>
    public void Restore(RaftSnapshot snapshot)
    {
        _entries.Clear();
        SnapshotIndex = snapshot.Index;
        SnapshotTerm = snapshot.Term;
        Committed = snapshot.Index;
        Applied = snapshot.Index;
        StableIndex = snapshot.Index;
    }

    /// <summary>Reloads persisted state on restart.</summary>
    public void Load(RaftSnapshot? snapshot, IReadOnlyList<LogEntry> entries, ulong commit)
    {
        if (snapshot is not null)
        {
            Restore(snapshot);
        }

        foreach (var e in entries)
        {
            if (e.Index > SnapshotIndex)
            {
                Append(e);
            }
        }

        StableIndex = LastIndex;
        Committed = Math.Min(Math.Max(Committed, commit), LastIndex);
    }

    /// <summary>Drops entries up to <paramref name="index"/>, which a local snapshot now covers.</summary>
    public void CompactTo(ulong index)
    {
        if (index <= SnapshotIndex)
        {
            return;
        }

        if (index > Applied || index > StableIndex)
        {
            throw new InvalidOperationException($"cannot compact to {index}: applied {Applied}, stable {StableIndex}");
        }

        var term = Entry(index).Term;
        _entries.RemoveRange(0, (int)(index - SnapshotIndex));
        SnapshotIndex = index;
        SnapshotTerm = term;
    }
}

using Microsoft.Extensions.Logging;

namespace AspireVector.Node.Storage;

public sealed partial class LocalShard
{
    private const string CurrentPointer = "CURRENT";

    private string SegmentsDirectory => Path.Combine(Directory, "segments");

    private string WalDirectory => Path.Combine(Directory, "wal");

    /// <summary>True when operations were applied since the last flush.</summary>
    public bool IsDirty => (long)_nextOpNumber - 1 > _flushedOpNumber;

    /// <summary>
    /// Persists the segment and truncates the WAL up to it, so recovery replays only what came after.
    /// Blocks updates (not reads) while the segment is written.
    /// </summary>
    public void Flush(bool force = false)
    {
        _updateLock.Wait();
        try
        {
            if (_disposed || (!force && !IsDirty)) return;
            FlushLocked();
        }
        finally { _updateLock.Release(); }
    }

    private void FlushLocked()
    {
        long tail = _wal.TailAddress;
        long applied = _segment.AppliedOpNumber;
        string name = $"{applied + 1:D20}-{Guid.NewGuid():N}";
        string target = Path.Combine(SegmentsDirectory, name);
        _segment.Save(target);

        // Switch the pointer atomically (rename over), then drop older snapshots and the covered WAL prefix.
        string pointer = Path.Combine(SegmentsDirectory, CurrentPointer);
        string tmp = pointer + ".tmp";
        using (var f = new FileStream(tmp, FileMode.Create, FileAccess.Write))
        {
            f.Write(System.Text.Encoding.UTF8.GetBytes(name));
            f.Flush(flushToDisk: true);
        }
        File.Move(tmp, pointer, overwrite: true);
        foreach (var dir in System.IO.Directory.EnumerateDirectories(SegmentsDirectory))
        {
            if (Path.GetFileName(dir) != name) System.IO.Directory.Delete(dir, recursive: true);
        }
        _flushedOpNumber = applied;
        _wal.TruncateUntil(tail);
    }

    private (Segment, ShardWal) Recover(SegmentConfig config)
    {
        System.IO.Directory.CreateDirectory(SegmentsDirectory);
        var segment = LoadFlushedSegment(config);
        _flushedOpNumber = segment.AppliedOpNumber;
        var wal = new ShardWal(WalDirectory, _walCapacityMb);
        long lastApplied = segment.AppliedOpNumber;
        int replayed = 0;
        bool clean = wal.Replay((entry, length, _) =>
        {
            if (!ShardOperationCodec.TryDecode(entry.AsSpan(0, length), out ulong op, out var operation)) return false;
            if ((long)op <= lastApplied) return true; // already in the flushed segment
            segment.Apply(op, operation!);
            lastApplied = (long)op;
            replayed++;
            return true;
        });
        RecoveredRecords = replayed;
        _segment = segment;
        _wal = wal;
        _nextOpNumber = (ulong)(lastApplied + 1);
        if (!clean)
        {
            // Everything before the bad record was applied; flush it and truncate the whole log, so the
            // bad bytes never sit between good records appended later.
            RecoveredFromTornTail = true;
            _logger.LogWarning("Shard {Dir}: torn or corrupt WAL tail dropped after {Count} replayed records", Directory, replayed);
            FlushLocked();
        }
        return (segment, wal);
    }

    private Segment LoadFlushedSegment(SegmentConfig config)
    {
        string pointer = Path.Combine(SegmentsDirectory, CurrentPointer);
        if (!File.Exists(pointer)) return Segment.CreateEmpty(config);
        string name = File.ReadAllText(pointer).Trim();
        return Segment.Load(Path.Combine(SegmentsDirectory, name), config);
    }
}

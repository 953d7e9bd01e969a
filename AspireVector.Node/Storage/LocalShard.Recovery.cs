using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace AspireVector.Node.Storage;

public sealed partial class LocalShard
{
    private const string CurrentPointer = "CURRENT";

    private string SegmentsDirectory => Path.Combine(Directory, "segments");

    private string WalDirectory => Path.Combine(Directory, "wal");

    /// <summary>True when operations were applied since the last flush.</summary>
    public bool IsDirty => (long)_nextOpNumber - 1 > Volatile.Read(ref _flushedOpNumber);

    /// <summary>
    /// Persists the segment and truncates the WAL up to it, so recovery replays only what came after.
    /// Updates are held off only while the segment is captured in memory, not while it is written and fsynced.
    /// </summary>
    /// <remarks>
    /// Crash safety is that of a flush under the lock: the capture and the WAL tail address are taken together under the
    /// update lock (WAL order is apply order, so every record before that address is in the capture), the WAL is
    /// truncated only up to that address and only after the new segment is fsynced and named by the pointer, and
    /// operations applied meanwhile stay in the WAL for the next flush. Flushes are serialised by their own lock.
    /// </remarks>
    /// <param name="force">Flush even when nothing changed since the last flush.</param>
    /// <param name="paced">
    /// The periodic flush: skipped while less than <see cref="FlushPacing"/> times the last flush's duration has passed
    /// since it ended. A flush rewrites the whole segment, so its cost grows with the shard; pacing keeps flushing
    /// under about 5% of the time however large the shard, and the WAL (which the flush only truncates) keeps every
    /// operation meanwhile. Qdrant's <c>flush_interval_sec</c> is likewise a minimum interval.
    /// </param>
    public void Flush(bool force = false, bool paced = false)
    {
        _flushLock.Wait();
        try
        {
            SegmentImage image;
            long tail;
            long start;
            double cpu;
            // Dispose waits for the flush lock, so the shard stays open until this flush ends.
            if (_disposed || (!force && !IsDirty)) return;
            if (paced && Stopwatch.GetElapsedTime(_lastFlushEnd) < _lastFlushDuration * FlushPacing) return;
            using (_segment.HoldLinking())
            {
                _updateLock.Wait();
                try
                {
                    start = Stopwatch.GetTimestamp();
                    cpu = ThreadCpuTime.Milliseconds();
                    image = _segment.Capture();
                    tail = _wal.TailAddress;
                }
                finally { _updateLock.Release(); }
            }

            double held = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            cpu = ThreadCpuTime.Milliseconds() - cpu;
            using (image)
            {
                BeforeSegmentWrite?.Invoke();
                WriteFlushed(image, tail);
            }
            _lastFlushDuration = Stopwatch.GetElapsedTime(start);
            _lastFlushEnd = Stopwatch.GetTimestamp();
            _logger.LogInformation("Shard {Dir} flushed: writes held {Held:F1} ms ({Cpu:F1} ms CPU), segment written in {Written:F1} ms",
                Directory, held, cpu, _lastFlushDuration.TotalMilliseconds - held);
        }
        finally { _flushLock.Release(); }
    }

    /// <summary>A paced flush waits this many times the previous flush's duration after it (at most ~5% of the time flushing).</summary>
    internal const int FlushPacing = 19;

    private TimeSpan _lastFlushDuration;
    private long _lastFlushEnd;

    /// <summary>Test hook: runs on the flushing thread after the capture, before the segment is written.</summary>
    internal Action? BeforeSegmentWrite { get; set; }

    /// <summary>Flushes with updates held off for the whole write; caller holds the flush and update locks (or has the shard to itself).</summary>
    private void FlushLocked()
    {
        using var image = _segment.Capture();
        WriteFlushed(image, _wal.TailAddress);
    }

    /// <summary>
    /// Writes <paramref name="image"/> as a new segment folder, points <c>CURRENT</c> at it, drops the older ones and truncates
    /// the WAL before <paramref name="tail"/> (the WAL's tail when the image was captured). Caller holds the flush lock.
    /// </summary>
    private void WriteFlushed(SegmentImage image, long tail)
    {
        string name = $"{image.AppliedOpNumber + 1:D20}-{Guid.NewGuid():N}";
        string target = Path.Combine(SegmentsDirectory, name);
        try
        {
            image.WriteTo(target);
            _faults?.ThrowIfFailing(StorageFaultPoint.Flush);
        }
        catch
        {
            // The pointer still names the previous segment and the WAL is untouched: drop the partial copy only.
            try { System.IO.Directory.Delete(target, recursive: true); }
            catch (IOException) { }
            throw;
        }

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
        Volatile.Write(ref _flushedOpNumber, image.AppliedOpNumber);
        _wal.TruncateUntil(tail);
    }

    private (Segment, ShardWal) Recover(SegmentConfig config)
    {
        System.IO.Directory.CreateDirectory(SegmentsDirectory);
        var wal = new ShardWal(WalDirectory, _walCapacityMb);
        Segment segment;
        try
        {
            segment = LoadFlushedSegment(config) ?? RebuildFromWal(wal, config);
        }
        catch
        {
            wal.Dispose();
            throw;
        }

        _flushedOpNumber = segment.AppliedOpNumber;
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

    /// <summary>The segment the pointer names (empty when there is none yet), or null when it is damaged.</summary>
    private Segment? LoadFlushedSegment(SegmentConfig config)
    {
        string pointer = Path.Combine(SegmentsDirectory, CurrentPointer);
        if (!File.Exists(pointer)) return Segment.CreateEmpty(config);
        string name = File.ReadAllText(pointer).Trim();
        try
        {
            var segment = Segment.Load(Path.Combine(SegmentsDirectory, name), config);
            RemoveOtherSegments(name);
            return segment;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LoadFailure = e is InvalidDataException ? e.Message : "the flushed segment cannot be read (truncated or damaged)";
            _logger.LogError(e, "Shard {Dir}: flushed segment {Name} is damaged: {Reason}", Directory, name, LoadFailure);
            return null;
        }
    }

    /// <summary>
    /// A damaged segment is rebuilt only when the WAL still holds every operation from the first (op 0), which is
    /// the case when the node stopped between switching to the segment and truncating the WAL. Otherwise the
    /// operations it covered are gone from the WAL, and serving the rest would serve wrong data: the shard fails.
    /// </summary>
    private Segment RebuildFromWal(ShardWal wal, SegmentConfig config)
    {
        long first = -1;
        wal.Replay((entry, length, address) =>
        {
            if (ShardOperationCodec.TryDecode(entry.AsSpan(0, length), out ulong op, out var operation)) first = (long)op;
            return false; // the first record is enough
        });
        if (first != 0)
            throw new InvalidDataException($"{LoadFailure}; the WAL no longer covers it ({(first < 0 ? "it is empty" : $"it starts at operation {first}")})");
        _logger.LogWarning("Shard {Dir}: damaged segment ({Reason}) rebuilt from the WAL, which covers every operation", Directory, LoadFailure);
        RebuiltFromWal = true;
        return Segment.CreateEmpty(config);
    }

    /// <summary>Segment folders left by a flush that failed or crashed before the pointer moved to them.</summary>
    private void RemoveOtherSegments(string current)
    {
        foreach (var dir in System.IO.Directory.EnumerateDirectories(SegmentsDirectory))
        {
            if (Path.GetFileName(dir) == current) continue;
            try { System.IO.Directory.Delete(dir, recursive: true); }
            catch (IOException e) { _logger.LogWarning(e, "Shard {Dir}: could not remove stale segment {Stale}", Directory, dir); }
        }
    }

    /// <summary>Why the flushed segment could not be loaded at start-up (null when it loaded).</summary>
    public string? LoadFailure { get; private set; }

    /// <summary>True when the flushed segment was damaged and the shard was rebuilt from its WAL.</summary>
    public bool RebuiltFromWal { get; private set; }
}

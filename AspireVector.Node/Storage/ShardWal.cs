using FASTER.core;

namespace AspireVector.Node.Storage;

/// <summary>
/// The write-ahead log of one local shard, on a FASTER <see cref="FasterLog"/>. Each record is one
/// <see cref="ShardOperation"/> encoded by <see cref="ShardOperationCodec"/> (own CRC-32 on top of FASTER's
/// per-entry checksum).
/// </summary>
/// <remarks>
/// Fsync policy: <see cref="Append"/> only enqueues into FASTER's in-memory tail. <see cref="CommitAsync"/>
/// writes the tail to disk and fsyncs it together with FASTER's commit metadata; every request with
/// <c>wait=true</c> awaits it before answering <c>completed</c>, and concurrent requests share one commit
/// (group commit). Requests with <c>wait=false</c> answer <c>acknowledged</c> after the append and start a
/// background commit without waiting for it, so a crash may lose them. Recovery restores FASTER's last commit;
/// anything enqueued after it (a torn tail) is not visible, and a record whose checksum fails ends the replay.
/// Not thread-safe for appends: the shard's update lock serialises them.
/// </remarks>
public sealed class ShardWal : IDisposable
{
    /// <summary>FASTER entries must fit in one page; larger batches are split into several records.</summary>
    public const int PageSizeBytes = 1 << 22;

    private readonly FasterLogSettings _settings;
    private readonly FasterLog _log;

    /// <summary>Opens (or creates) the log in <paramref name="directory"/>, recovering its last commit.</summary>
    public ShardWal(string directory, int segmentSizeMb)
    {
        System.IO.Directory.CreateDirectory(directory);
        Directory = directory;
        long segmentBytes = Math.Max(PageSizeBytes * 2L, (long)Math.Max(1, segmentSizeMb) << 20);
        _settings = new FasterLogSettings(directory, deleteDirOnDispose: false)
        {
            PageSize = PageSizeBytes,
            MemorySize = PageSizeBytes * 2L,
            SegmentSize = 1L << (int)Math.Ceiling(Math.Log2(segmentBytes)),
            LogChecksum = LogChecksumType.PerEntry,
            RemoveOutdatedCommits = true,
            TryRecoverLatest = true,
            AutoRefreshSafeTailAddress = true,
        };
        _log = new FasterLog(_settings);
    }

    /// <summary>The folder holding the log files.</summary>
    public string Directory { get; }

    /// <summary>Address of the first record still in the log.</summary>
    public long BeginAddress => _log.BeginAddress;

    /// <summary>Address just past the last appended record.</summary>
    public long TailAddress => _log.TailAddress;

    /// <summary>Largest record (bytes) that fits in one FASTER entry.</summary>
    public static int MaxRecordBytes => PageSizeBytes - 64;

    /// <summary>Appends one record to the in-memory tail; returns its address. Not durable until committed.</summary>
    public long Append(ReadOnlySpan<byte> record) => _log.Enqueue(record);

    /// <summary>Writes and fsyncs everything appended so far (shared by concurrent callers).</summary>
    public ValueTask CommitAsync(CancellationToken cancellationToken = default) => _log.CommitAsync(cancellationToken);

    /// <summary>Starts a commit without waiting for it (wait=false requests).</summary>
    public void CommitInBackground() => _log.Commit(spinWait: false);

    /// <summary>Drops records before <paramref name="address"/> (they are covered by a flushed segment).</summary>
    public void TruncateUntil(long address)
    {
        _log.TruncateUntil(address);
        _log.Commit(spinWait: true);
    }

    /// <summary>
    /// Reads every committed record in order. Stops at the first record that cannot be read or whose checksum
    /// fails; returns false in that case (the rest of the log is a torn or corrupt tail).
    /// </summary>
    public bool Replay(Func<byte[], int, long, bool> onRecord)
    {
        try
        {
            using var iterator = _log.Scan(_log.BeginAddress, _log.TailAddress);
            while (iterator.GetNext(out byte[] entry, out int length, out long address))
            {
                if (!onRecord(entry, length, address)) return false;
            }
            return true;
        }
        catch (FasterException)
        {
            return false;
        }
    }

    /// <summary>Closes the log without committing what was not committed yet.</summary>
    public void Dispose()
    {
        _log.Dispose();
        _settings.Dispose();
    }
}

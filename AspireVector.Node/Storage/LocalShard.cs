using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AspireVector.Node.Storage;

/// <summary>
/// A shard stored on this node: its WAL, its segment (vectors, payloads, id tracker) and their flushing.
/// </summary>
/// <remarks>
/// Concurrency: updates are serialised by an async update lock (op number, WAL append and apply happen in one
/// critical section, so WAL order equals apply order); <c>wait=true</c> callers then await the WAL commit outside
/// the lock, so concurrent requests share fsyncs. Reads run concurrently under the segment's read lock.
/// Flushing holds the update lock only while the segment is captured in memory; it is written, fsynced and the WAL
/// truncated up to it without the lock (see <see cref="Flush"/>). Lock order: flush lock, then update lock.
/// </remarks>
public sealed partial class LocalShard : IDisposable
{
    private readonly SemaphoreSlim _updateLock = new(1, 1);
    private readonly SemaphoreSlim _flushLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _recordBuffer = new(1 << 16);
    private readonly ILogger _logger;
    private readonly int _walCapacityMb;
    private readonly StorageFaults? _faults;
    private readonly StorageTelemetry? _telemetry;
    private ShardWal _wal;
    private Segment _segment;
    private ulong _nextOpNumber;
    private Func<ShardOperation, Task>? _forward;
    private long _flushedOpNumber = -1;
    private bool _disposed;

    /// <summary>
    /// Opens the shard stored in <paramref name="directory"/> (creating it when empty) and recovers it. Throws
    /// <see cref="InvalidDataException"/> when its flushed segment is damaged and the WAL cannot rebuild it.
    /// </summary>
    public LocalShard(uint id, string directory, SegmentConfig config, int walCapacityMb, ILogger? logger = null, StorageFaults? faults = null,
        StorageTelemetry? telemetry = null)
    {
        Id = id;
        _telemetry = telemetry;
        Directory = directory;
        _walCapacityMb = walCapacityMb;
        _faults = faults;
        _logger = logger ?? NullLogger.Instance;
        System.IO.Directory.CreateDirectory(directory);
        (_segment, _wal) = Recover(config);
    }

    /// <summary>Shard id within its collection.</summary>
    public uint Id { get; }

    /// <summary>Folder of this shard.</summary>
    public string Directory { get; }

    /// <summary>The shard's data; read it under <see cref="Segment.Lock"/>.</summary>
    public Segment Segment => _segment;

    /// <summary>Records replayed from the WAL at start-up (for telemetry and tests).</summary>
    public int RecoveredRecords { get; private set; }

    /// <summary>True when recovery found a torn or corrupt WAL tail and dropped it.</summary>
    public bool RecoveredFromTornTail { get; private set; }

    /// <summary>
    /// Logs and applies an update. <paramref name="build"/> runs under the update lock and may read the segment
    /// (e.g. to resolve a filter to ids); returning null means there is nothing to do.
    /// </summary>
    public async Task<UpdateResult> UpdateAsync(Func<Segment, ShardOperation?> build, bool wait, CancellationToken cancellationToken = default)
    {
        ulong opNumber;
        await _segment.WaitForIndexingBacklogAsync(cancellationToken).ConfigureAwait(false);
        await _updateLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var operation = build(_segment);
            if (operation is null) return new UpdateResult(_nextOpNumber == 0 ? 0 : _nextOpNumber - 1, wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged);
            CheckWalWritable();
            opNumber = AppendAndApply(operation);
            if (_forward is { } forward) await ForwardAsync(forward, operation).ConfigureAwait(false);
        }
        finally { _updateLock.Release(); }

        if (!wait)
        {
            _wal.CommitInBackground();
            return new UpdateResult(opNumber, UpdateStatus.Acknowledged);
        }
        try
        {
            _faults?.ThrowIfFailing(StorageFaultPoint.Wal);
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            await _wal.CommitAsync(cancellationToken).ConfigureAwait(false);
            _telemetry?.OnWalCommitted(System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
        catch (Exception e) when (e is IOException or FASTER.core.FasterException)
        {
            // Applied in memory but not durable: not acknowledged. The records stay in FASTER's tail and are written by
            // the next commit that succeeds, so the outcome is indeterminate, never half an operation.
            _logger.LogError(e, "WAL commit failed for shard {Dir}", Directory);
            throw StorageErrors.WriteFailed(Id, e, applied: true);
        }

        return new UpdateResult(opNumber, UpdateStatus.Completed);
    }

    /// <summary>Refuses an update before anything is logged or applied when the WAL cannot take writes.</summary>
    private void CheckWalWritable()
    {
        try
        {
            _faults?.ThrowIfFailing(StorageFaultPoint.Wal);
        }
        catch (IOException e)
        {
            _logger.LogError(e, "WAL append refused for shard {Dir}", Directory);
            throw StorageErrors.WriteFailed(Id, e, applied: false);
        }
    }

    /// <summary>
    /// While a transfer sends this shard to another peer, every applied operation (filters already resolved to ids)
    /// is also handed to <paramref name="forward"/> under the update lock, so the receiver sees transferred batches and
    /// live updates in this replica's order, until <see cref="StopForwardingAsync"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another forwarder is set: one transfer at a time sends a shard.</exception>
    public async Task SetForwarderAsync(Func<ShardOperation, Task> forward)
    {
        await _updateLock.WaitAsync().ConfigureAwait(false);
        try
        {
            StartForwardingLocked(forward);
        }
        finally { _updateLock.Release(); }
    }

    /// <summary>Stops forwarding to <paramref name="forward"/>; does nothing when another forwarder (or none) is set.</summary>
    public async Task StopForwardingAsync(Func<ShardOperation, Task> forward)
    {
        await _updateLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_forward != forward) return;
            _forward = null;
            ForwardFailure = null;
        }
        finally { _updateLock.Release(); }
    }

    /// <summary>
    /// Sets the forwarder; caller holds the update lock. Replacing a forwarder by another is refused: the transfer owning
    /// the first would later stop the second, and updates from then on would silently reach neither receiver.
    /// </summary>
    private void StartForwardingLocked(Func<ShardOperation, Task> forward)
    {
        if (_forward is not null) throw new InvalidOperationException($"shard {Id} already forwards its updates to another transfer's receiver");
        _forward = forward;
        ForwardFailure = null;
    }

    /// <summary>True while a transfer forwards this shard's updates: the replica must stay open until it stops.</summary>
    public bool IsForwarding => Volatile.Read(ref _forward) is not null;

    /// <summary>Why forwarding failed since it was set (the transfer must then be aborted), or null.</summary>
    public string? ForwardFailure { get; private set; }

    /// <summary>Runs <paramref name="action"/> with updates held off (a transfer reading and sending one batch).</summary>
    public async Task<T> WithUpdatesPausedAsync<T>(Func<Segment, Task<T>> action, CancellationToken cancellationToken)
    {
        await _updateLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return await action(_segment).ConfigureAwait(false);
        }
        finally { _updateLock.Release(); }
    }

    private async Task ForwardAsync(Func<ShardOperation, Task> forward, ShardOperation operation)
    {
        if (ForwardFailure is not null) return;
        try
        {
            await forward(operation).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The local write stands; the transfer that needed this forward is aborted by its runner.
            ForwardFailure = e.Message;
        }
    }

    /// <summary>
    /// Takes a changed set of vector names (see <see cref="Segment.ReconfigureVectors"/>) with updates and flushes held
    /// off, then flushes: the WAL is truncated, so no record of a deleted vector is replayed into a later vector of the
    /// same name after a restart.
    /// </summary>
    public void ReconfigureVectors(SegmentConfig config)
    {
        _flushLock.Wait();
        try
        {
            _updateLock.Wait();
            try
            {
                if (_disposed) return;
                _segment.ReconfigureVectors(config);
                FlushLocked();
            }
            finally { _updateLock.Release(); }
        }
        finally { _flushLock.Release(); }
    }

    /// <summary>Logs and applies a prepared operation.</summary>
    public Task<UpdateResult> UpdateAsync(ShardOperation operation, bool wait, CancellationToken cancellationToken = default) =>
        UpdateAsync(_ => operation, wait, cancellationToken);

    private ulong AppendAndApply(ShardOperation operation)
    {
        if (operation.CarriesPoints && operation.Points.Count > 1)
        {
            ShardOperationCodec.Encode(_nextOpNumber, operation, _recordBuffer);
            if (_recordBuffer.WrittenCount > ShardWal.MaxRecordBytes)
            {
                // A FASTER entry must fit in a page: log a large batch as several records.
                int half = operation.Points.Count / 2;
                var points = operation.Points as List<PointRecord> ?? [.. operation.Points];
                AppendAndApply(operation.WithPoints(points.GetRange(0, half)));
                return AppendAndApply(operation.WithPoints(points.GetRange(half, points.Count - half)));
            }
        }
        else
        {
            ShardOperationCodec.Encode(_nextOpNumber, operation, _recordBuffer);
            if (_recordBuffer.WrittenCount > ShardWal.MaxRecordBytes)
                throw new ArgumentException($"A single point or payload operation is too large for the WAL ({_recordBuffer.WrittenCount} bytes, max {ShardWal.MaxRecordBytes})");
        }
        ulong opNumber = _nextOpNumber;
        _wal.Append(_recordBuffer.WrittenSpan);
        _nextOpNumber++;
        _segment.Apply(opNumber, operation);
        return opNumber;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // A flush writing outside the update lock still uses the WAL: let it finish first.
        _flushLock.Wait();
        _updateLock.Wait();
        try
        {
            if (_disposed) return;
            _disposed = true;
            try { _wal.CommitAsync().AsTask().GetAwaiter().GetResult(); }
            catch (Exception e) when (e is IOException or ObjectDisposedException) { _logger.LogWarning(e, "WAL commit on close failed for shard {Dir}", Directory); }
            _wal.Dispose();
            _segment.Dispose();
        }
        finally
        {
            _updateLock.Release();
            _flushLock.Release();
        }
    }
}

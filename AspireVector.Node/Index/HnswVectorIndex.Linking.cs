using AspireVector.Node.Index.Hnsw;

namespace AspireVector.Node.Index;

/// <summary>
/// Background linking. An upsert stores the vector and queues its offset; a linker task links queued offsets into
/// the graph in chunks, on up to <c>max_indexing_threads</c> threads, off the write path. Searches score the queued
/// offsets exactly next to the graph traversal, so a stored vector is findable at once: exactly while it waits,
/// through the graph once linked. This is Qdrant's split between applying an update and indexing it.
/// </summary>
/// <remarks>
/// Lock order: <c>_linkLock</c> (the linker, save, rebuild, dispose) before <c>_writeLock</c> (stores, deletes and
/// tombstone accounting) before <c>_pendingLock</c> (the queue). The linker inserts without <c>_writeLock</c>; it
/// takes it only to pick a chunk and to account for the chunk's points deleted while they were being linked.
/// </remarks>
public sealed unsafe partial class HnswVectorIndex
{
    /// <summary>
    /// Most offsets linked per chunk: bounds how long a save (a shard flush, which holds the shard's writes), rebuild or
    /// dispose waits for the linker: about 50 ms on two cores at dim 128.
    /// </summary>
    private const int MaxLinkChunk = 512;

    /// <summary>
    /// Linking threads allowed in the whole process at once (one per core), shared by every index: a node with many
    /// shards links them in turn instead of oversubscribing the cores its requests need.
    /// </summary>
    private static readonly SemaphoreSlim s_linkThreads = new(Environment.ProcessorCount, Environment.ProcessorCount);

    private readonly object _linkLock = new();
    private readonly object _pendingLock = new();
    private int[] _pending = new int[64];
    private int _pendingHead;
    private int _pendingTail;
    private bool _linkerRunning;
    private TaskCompletionSource? _linkProgress;
    private bool _linkingPaused;
    private int _linkHolds;
    private Exception? _linkFailure;

    /// <summary>Offsets of the chunk being linked (published under <c>_writeLock</c>), or null between chunks.</summary>
    private HashSet<int>? _linkingNow;

    /// <summary>Stored vectors waiting to be linked into the graph (an offset stored twice counts twice).</summary>
    public int PendingCount
    {
        get { lock (_pendingLock) return _pendingTail - _pendingHead; }
    }

    /// <summary>
    /// When true, queued offsets stay unlinked (searched exactly) until it is set back to false: Qdrant's
    /// <c>indexing_threshold: 0</c>, used to bulk-load without paying for the graph until the load ends.
    /// </summary>
    public bool LinkingPaused
    {
        get { lock (_pendingLock) return _linkingPaused; }
        set
        {
            lock (_pendingLock)
            {
                _linkingPaused = value;
                SignalProgress();
            }
            if (!value) ScheduleLinking();
        }
    }

    /// <summary>
    /// Stops the linker after the chunk it is linking and waits for that chunk, so a <see cref="Capture"/> right after
    /// finds the graph still at once. Writers are not held off; dispose the result to let linking go on. A shard flush holds
    /// linking before it holds the shard's updates, so updates never wait for a chunk.
    /// </summary>
    public IDisposable HoldLinking()
    {
        lock (_pendingLock) _linkHolds++;
        lock (_linkLock) { } // the chunk being linked, if any, is done; no new one starts while held
        return new LinkingHold(this);
    }

    private void ReleaseLinking()
    {
        lock (_pendingLock)
        {
            _linkHolds--;
            SignalProgress();
        }
        ScheduleLinking();
    }

    private sealed class LinkingHold(HnswVectorIndex index) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) index.ReleaseLinking();
        }
    }

    /// <summary>
    /// Blocks until every queued offset is linked, or <paramref name="timeout"/> passes (infinite by default).
    /// Returns false on timeout, or at once when linking is paused and offsets wait.
    /// </summary>
    public bool WaitUntilLinked(TimeSpan? timeout = null)
    {
        var deadline = timeout is { } t ? DateTime.UtcNow + t : DateTime.MaxValue;
        lock (_pendingLock)
        {
            while (_pendingTail > _pendingHead || _linkerRunning)
            {
                if ((_linkingPaused || _linkFailure is not null) && _pendingTail > _pendingHead) return false;
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) return false;
                Monitor.Wait(_pendingLock, left > TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : left);
            }
            return true;
        }
    }

    /// <summary>
    /// Completes once at most <paramref name="limit"/> offsets wait for linking, or at once when linking is paused:
    /// the write path's back-pressure, so a sustained load cannot outrun the linker without bound (every queued
    /// offset costs each search an exact score).
    /// </summary>
    public ValueTask WaitForBacklogAsync(int limit, CancellationToken cancellationToken) =>
        BacklogProgress(limit) is null ? ValueTask.CompletedTask : LinkBacklog.WaitAsync(() => BacklogProgress(limit), cancellationToken);

    /// <summary>A task completed by the linker's next progress while more than <paramref name="limit"/> offsets wait; else null.</summary>
    private Task? BacklogProgress(int limit)
    {
        lock (_pendingLock)
        {
            if (_pendingTail - _pendingHead <= limit || _linkingPaused || _disposed || _linkFailure is not null) return null;
            _linkProgress ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _linkProgress.Task;
        }
    }

    /// <summary>Wakes back-pressure waiters. Caller holds <c>_pendingLock</c>.</summary>
    private void SignalProgress()
    {
        Monitor.PulseAll(_pendingLock);
        _linkProgress?.TrySetResult();
        _linkProgress = null;
    }

    /// <summary>Queues stored offsets for linking. Caller holds <c>_writeLock</c>.</summary>
    private void Enqueue(ReadOnlySpan<int> offsets)
    {
        lock (_pendingLock)
        {
            int needed = _pendingTail - _pendingHead + offsets.Length;
            if (_pendingTail + offsets.Length > _pending.Length)
            {
                // A fresh array, never an in-place shift: a search may still be reading the old one.
                var grown = new int[Math.Max(64, Math.Max(needed * 2, _pending.Length))];
                Array.Copy(_pending, _pendingHead, grown, 0, _pendingTail - _pendingHead);
                _pending = grown;
                _pendingTail -= _pendingHead;
                _pendingHead = 0;
            }
            offsets.CopyTo(_pending.AsSpan(_pendingTail));
            _pendingTail += offsets.Length;
        }
        ScheduleLinking();
    }

    /// <summary>The queued offsets as they are now. Entries are never overwritten once queued, only dropped.</summary>
    private ReadOnlySpan<int> PendingSnapshot()
    {
        lock (_pendingLock) return _pending.AsSpan(_pendingHead, _pendingTail - _pendingHead);
    }

    private void ScheduleLinking()
    {
        lock (_pendingLock)
        {
            if (_linkerRunning || _linkingPaused || _linkHolds > 0 || _pendingTail == _pendingHead || _disposed || _linkFailure is not null) return;
            _linkerRunning = true;
        }
        _ = Task.Factory.StartNew(LinkQueued, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>The linker: links chunks until the queue is empty, paused, or the index is disposed.</summary>
    private void LinkQueued()
    {
        try
        {
            while (LinkChunk()) { }
        }
        catch (Exception e)
        {
            // A bug, not a condition to retry in a loop: the queued vectors stay searchable (exactly), unlinked.
            lock (_pendingLock) _linkFailure = e;
        }
        finally
        {
            bool again;
            lock (_pendingLock)
            {
                _linkerRunning = false;
                again = !_disposed && !_linkingPaused && _linkHolds == 0 && _linkFailure is null && _pendingTail > _pendingHead;
                SignalProgress();
            }
            // An enqueue that saw the linker still running before it stopped would otherwise wait for the next one.
            if (again) ScheduleLinking();
        }
    }

    /// <summary>Links one chunk of queued offsets; false when there was nothing (more) to do.</summary>
    private bool LinkChunk()
    {
        lock (_linkLock)
        {
            int taken;
            int[] offsets;
            int[] levels;
            HnswBuilder builder;
            lock (_writeLock)
            {
                if (_disposed) return false;
                var queued = PendingSnapshot();
                lock (_pendingLock) if (_linkingPaused || _linkHolds > 0) return false;
                if (queued.IsEmpty) return false;
                taken = Math.Min(queued.Length, MaxLinkChunk);
                var chunk = new HashSet<int>(taken);
                var picked = new List<int>(taken);
                // Deleted offsets are not linked; an offset queued twice is linked once with its latest vector.
                foreach (int offset in queued[..taken])
                {
                    if (_states.IsLive(offset) && chunk.Add(offset)) picked.Add(offset);
                }
                offsets = picked.ToArray();
                levels = new int[offsets.Length];
                for (int i = 0; i < offsets.Length; i++)
                {
                    int level = _graph.LevelOf(offsets[i]);
                    levels[i] = level >= 0 ? level : HnswBuilder.DrawLevel(_random, Config.M);
                }
                builder = _builder;
                Volatile.Write(ref _linkingNow, chunk);
            }

            LinkOnOwnThreads(builder, offsets, levels);

            lock (_writeLock)
            {
                // A chunk offset deleted while it was being linked is now a tombstone in the graph. Deletes of chunk
                // offsets leave this count to us (see Delete), so each tombstone is counted exactly once.
                foreach (int offset in offsets)
                {
                    if (!_states.IsLive(offset)) _graphTombstones++;
                }
                Volatile.Write(ref _linkingNow, null);
                lock (_pendingLock)
                {
                    Volatile.Write(ref _linkedNodes, _graph.NodeCount);
                    _pendingHead += taken;
                    if (_pendingHead == _pendingTail) ResetQueue();
                    SignalProgress();
                }
            }
            return true;
        }
    }

    /// <summary>
    /// Links <paramref name="offsets"/> in input order from a shared cursor (early hub nodes first on every thread), for
    /// a linker chunk or a rebuild, on up to <c>max_indexing_threads</c> dedicated threads, as many as the process-wide budget has
    /// free (at least one). Dedicated threads, not the thread pool: the pool serves requests, and CPU-bound linking
    /// on its threads delays them until the pool grows.
    /// </summary>
    private void LinkOnOwnThreads(HnswBuilder builder, int[] offsets, int[] levels)
    {
        int wanted = Config.MaxIndexingThreads > 0 ? Config.MaxIndexingThreads : Environment.ProcessorCount;
        wanted = Math.Clamp(wanted, 1, Math.Max(1, offsets.Length / MinInsertsPerThread));
        s_linkThreads.Wait();
        int threads = 1;
        while (threads < wanted && s_linkThreads.Wait(0)) threads++;
        try
        {
            int next = -1;
            Exception? failure = null;
            void Work()
            {
                try
                {
                    int i;
                    while ((i = Interlocked.Increment(ref next)) < offsets.Length) Insert(builder, offsets[i], levels[i]);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                    Volatile.Write(ref next, offsets.Length); // the other threads stop too
                }
            }
            var helpers = new Thread[threads - 1];
            for (int t = 0; t < helpers.Length; t++)
            {
                helpers[t] = new Thread(Work) { IsBackground = true, Name = "hnsw-linker" };
                helpers[t].Start();
            }
            Work();
            foreach (var helper in helpers) helper.Join();
            if (failure is not null) throw new InvalidOperationException("linking a chunk into the HNSW graph failed", failure);
        }
        finally { s_linkThreads.Release(threads); }
    }

    /// <summary>
    /// True when a graph node may be a deleted point a search must skip: a tombstone is counted, or a chunk is being
    /// linked (one of its points may have been deleted meanwhile and not counted yet).
    /// </summary>
    private bool GraphMayHoldDeleted => Volatile.Read(ref _graphTombstones) > 0 || Volatile.Read(ref _linkingNow) is not null;

    /// <summary>Drops every queued offset (after a rebuild linked them all). Caller holds both locks.</summary>
    private void ClearPending()
    {
        lock (_pendingLock)
        {
            ResetQueue();
            SignalProgress();
        }
    }

    /// <summary>Empties the queue into a fresh array, as a search may still read the old one. Caller holds <c>_pendingLock</c>.</summary>
    private void ResetQueue()
    {
        _pending = new int[Math.Clamp(_pending.Length, 64, MaxLinkChunk)];
        _pendingHead = _pendingTail = 0;
    }
}

/// <summary>The await loop of <see cref="HnswVectorIndex.WaitForBacklogAsync"/> (an unsafe type cannot await).</summary>
internal static class LinkBacklog
{
    public static async ValueTask WaitAsync(Func<Task?> progress, CancellationToken cancellationToken)
    {
        while (progress() is { } next) await next.WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}

using System.Buffers;
using System.Text.Json.Nodes;
using AspireVector.Node.Index;
using AspireVector.Node.Points;

namespace AspireVector.Node.Storage;

/// <summary>
/// Vectors, payloads and the id tracker (point id to dense offset) of one shard's data, plus the version
/// (operation number) that last touched each point.
/// </summary>
/// <remarks>
/// Concurrency: mutations run under the write side of <see cref="Lock"/> (one writer, the shard's update path);
/// readers take the read side. Payload objects are never mutated in place, only replaced.
/// </remarks>
public sealed partial class Segment : IDisposable
{
    private readonly Dictionary<PointId, int> _offsets = [];
    private readonly SortedSet<PointId> _liveIds = [];
    private PointId[] _ids = [];
    private JsonObject?[] _payloads = [];
    private ulong[] _versions = [];
    private int _nextOffset;

    private Segment(SegmentConfig config, IVectorIndex index)
    {
        Config = config;
        Index = index;
    }

    /// <summary>Reader/writer lock guarding every member.</summary>
    public ReaderWriterLockSlim Lock { get; } = new(LockRecursionPolicy.SupportsRecursion);

    /// <summary>Collection parameters this segment was built with.</summary>
    public SegmentConfig Config { get; }

    /// <summary>The vector index (exact or HNSW).</summary>
    public IVectorIndex Index { get; }

    /// <summary>Number of live points.</summary>
    public int PointCount => _offsets.Count;

    /// <summary>Highest operation number applied to this segment (or -1 for none, as long.MinValue never is).</summary>
    public long AppliedOpNumber { get; private set; } = -1;

    /// <summary>Creates an empty segment.</summary>
    public static Segment CreateEmpty(SegmentConfig config) => new(config, VectorIndexFactory.Create(config.Dimension, config.Distance, config.Hnsw));

    /// <summary>Applies <paramref name="operation"/> as operation number <paramref name="opNumber"/>.</summary>
    public void Apply(ulong opNumber, ShardOperation operation)
    {
        Lock.EnterWriteLock();
        try
        {
            switch (operation.Kind)
            {
                case ShardOperationKind.Upsert:
                    UpsertPoints(opNumber, operation.Points);
                    break;
                case ShardOperationKind.Delete:
                    foreach (var id in operation.Ids) DeletePoint(id);
                    break;
                default:
                    foreach (var id in operation.Ids)
                    {
                        if (!_offsets.TryGetValue(id, out int offset)) continue;
                        _payloads[offset] = PayloadUpdate.Apply(operation, _payloads[offset]);
                        _versions[offset] = opNumber;
                    }
                    break;
            }
            AppliedOpNumber = (long)opNumber;
        }
        finally { Lock.ExitWriteLock(); }
    }

    /// <summary>
    /// Most stored vectors allowed to wait for the background linker before writes wait for it: each waiting vector
    /// costs every search one exact score (32k vectors of dim 128: about 2 ms on one core).
    /// </summary>
    public const int MaxIndexingBacklog = 32_768;

    /// <summary>Completes when the index's linking backlog is below <see cref="MaxIndexingBacklog"/>.</summary>
    public ValueTask WaitForIndexingBacklogAsync(CancellationToken cancellationToken) =>
        Index.WaitForBacklogAsync(MaxIndexingBacklog, cancellationToken);

    /// <summary>Stored vectors still waiting to be linked into the index (0 for an index that links on upsert).</summary>
    public int IndexingBacklog => Index is HnswVectorIndex hnsw ? hnsw.PendingCount : 0;

    /// <summary>
    /// Holds back (true) or resumes (false) indexing of newly stored vectors, which are searched exactly meanwhile:
    /// Qdrant's <c>optimizers_config.indexing_threshold: 0</c>.
    /// </summary>
    public void SetIndexingPaused(bool paused)
    {
        if (Index is HnswVectorIndex hnsw) hnsw.LinkingPaused = paused;
    }

    /// <summary>Offset of <paramref name="id"/> when it is live. Caller holds the read lock.</summary>
    public bool TryGetOffset(PointId id, out int offset) => _offsets.TryGetValue(id, out offset);

    /// <summary>Id at a live offset. Caller holds the read lock.</summary>
    public PointId IdAt(int offset) => _ids[offset];

    /// <summary>Payload at a live offset. Caller holds the read lock.</summary>
    public JsonObject? PayloadAt(int offset) => _payloads[offset];

    /// <summary>Version at a live offset. Caller holds the read lock.</summary>
    public ulong VersionAt(int offset) => _versions[offset];

    /// <summary>Copy of the vector at a live offset. Caller holds the read lock.</summary>
    public float[] VectorAt(int offset)
    {
        var v = new float[Config.Dimension];
        Index.CopyVector(offset, v);
        return v;
    }

    /// <summary>Live ids in Qdrant's order starting at <paramref name="from"/>. Caller holds the read lock.</summary>
    public IEnumerable<PointId> IdsFrom(PointId? from) =>
        from is { } f && _liveIds.Count > 0 ? (f > _liveIds.Max ? [] : _liveIds.GetViewBetween(f, _liveIds.Max)) : _liveIds;

    /// <summary>
    /// Below this many points a batch is linked into the index one point at a time; from it on, the index gets the
    /// batch at once and links it on several threads (a 100-point batch takes about half the time on two cores).
    /// </summary>
    private const int BatchIndexThreshold = 32;

    private void UpsertPoints(ulong opNumber, IReadOnlyList<PointRecord> points)
    {
        if (points.Count < BatchIndexThreshold)
        {
            foreach (var p in points) Index.Upsert(Track(opNumber, p), p.Vector);
            return;
        }

        // A point given twice in one batch keeps its last vector, and each offset is linked once.
        var last = new Dictionary<int, int>(points.Count);
        for (int i = 0; i < points.Count; i++) last[Track(opNumber, points[i])] = i;
        int dim = Config.Dimension;
        var offsets = ArrayPool<int>.Shared.Rent(last.Count);
        var vectors = ArrayPool<float>.Shared.Rent(last.Count * dim);
        try
        {
            int n = 0;
            foreach (var (offset, index) in last)
            {
                offsets[n] = offset;
                points[index].Vector.AsSpan(0, dim).CopyTo(vectors.AsSpan(n * dim, dim));
                n++;
            }

            Index.UpsertBatch(offsets.AsSpan(0, n), vectors.AsSpan(0, n * dim));
        }
        finally
        {
            ArrayPool<int>.Shared.Return(offsets);
            ArrayPool<float>.Shared.Return(vectors);
        }
    }

    /// <summary>Gives <paramref name="p"/> its offset (a new one for a new id) and records its payload and version.</summary>
    private int Track(ulong opNumber, PointRecord p)
    {
        if (!_offsets.TryGetValue(p.Id, out int offset))
        {
            offset = _nextOffset++;
            EnsureCapacity(_nextOffset);
            _offsets[p.Id] = offset;
            _liveIds.Add(p.Id);
            _ids[offset] = p.Id;
        }
        _payloads[offset] = p.Payload;
        _versions[offset] = opNumber;
        return offset;
    }

    private void DeletePoint(PointId id)
    {
        if (!_offsets.Remove(id, out int offset)) return;
        _liveIds.Remove(id);
        Index.Delete(offset);
        _payloads[offset] = null;
    }

    private void EnsureCapacity(int n)
    {
        if (n <= _ids.Length) return;
        int capacity = Math.Max(n, Math.Max(64, _ids.Length * 2));
        Array.Resize(ref _ids, capacity);
        Array.Resize(ref _payloads, capacity);
        Array.Resize(ref _versions, capacity);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Index.Dispose();
        Lock.Dispose();
    }
}

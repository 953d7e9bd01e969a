using System.Buffers;
using System.Text.Json.Nodes;
using AspireVector.Node.Filters;
using AspireVector.Node.Index;
using AspireVector.Node.Index.Sparse;
using AspireVector.Node.Points;

namespace AspireVector.Node.Storage;

/// <summary>
/// Vectors, payloads and the id tracker (point id to dense offset) of one shard's data, plus the version
/// (operation number) that last touched each point. Each vector name has its own index over the shared offsets; a
/// point is in the index of every vector it holds and absent from the others. Each sparse vector name has its own
/// inverted index (<see cref="SparseVectorIndex"/>) over the same offsets.
/// </summary>
/// <remarks>
/// Concurrency: mutations run under the write side of <see cref="Lock"/> (one writer, the shard's update path);
/// readers take the read side. Payload objects are never mutated in place, only replaced.
/// </remarks>
public sealed partial class Segment : IDisposable, IPointVectors
{
    private readonly Dictionary<PointId, int> _offsets = [];
    private readonly SortedSet<PointId> _liveIds = [];
    // Replaced as a whole (under the write lock) when the collection adds or deletes a vector name.
    private Dictionary<string, IVectorIndex> _indexes;
    private IVectorIndex[] _indexList;
    private Dictionary<string, SparseVectorIndex> _sparse;
    private PointId[] _ids = [];
    private JsonObject?[] _payloads = [];
    private ulong[] _versions = [];
    private int _nextOffset;

    private Segment(SegmentConfig config, IVectorIndex[] indexes, Dictionary<string, SparseVectorIndex>? sparse = null)
    {
        Config = config;
        _sparse = new Dictionary<string, SparseVectorIndex>(StringComparer.Ordinal);
        foreach (var name in config.SparseVectors) _sparse[name] = sparse?.GetValueOrDefault(name) ?? new SparseVectorIndex();
        _indexList = indexes;
        _indexes = new Dictionary<string, IVectorIndex>(indexes.Length, StringComparer.Ordinal);
        for (int i = 0; i < indexes.Length; i++) _indexes[config.Vectors[i].Key] = indexes[i];
    }

    /// <summary>Reader/writer lock guarding every member.</summary>
    public ReaderWriterLockSlim Lock { get; } = new(LockRecursionPolicy.SupportsRecursion);

    /// <summary>Collection parameters this segment was built with (quantization follows <see cref="ApplyQuantization"/>).</summary>
    public SegmentConfig Config { get; private set; }

    /// <summary>The index of the first vector (the unnamed one in a single-vector collection).</summary>
    public IVectorIndex Index => _indexList[0];

    /// <summary>Every vector's index by name.</summary>
    public IReadOnlyDictionary<string, IVectorIndex> Indexes => _indexes;

    /// <summary>Every sparse vector's inverted index by name.</summary>
    public IReadOnlyDictionary<string, SparseVectorIndex> SparseIndexes => _sparse;

    /// <summary>Number of live points.</summary>
    public int PointCount => _offsets.Count;

    /// <summary>Vectors reachable through graph indexes, over every vector name.</summary>
    public int IndexedCount
    {
        get
        {
            int n = 0;
            foreach (var index in _indexList) n += index.IndexedCount;
            foreach (var sparse in _sparse.Values) n += sparse.Count; // an inverted index holds every vector it is given
            return n;
        }
    }

    /// <summary>Highest operation number applied to this segment (or -1 for none, as long.MinValue never is).</summary>
    public long AppliedOpNumber { get; private set; } = -1;

    /// <summary>Creates an empty segment.</summary>
    public static Segment CreateEmpty(SegmentConfig config)
    {
        var indexes = new IVectorIndex[config.Vectors.Count];
        for (int i = 0; i < indexes.Length; i++) indexes[i] = CreateIndex(config.Vectors[i].Value);
        return new Segment(config, indexes);
    }

    private static IVectorIndex CreateIndex(SegmentVectorConfig v) =>
        v.Multivector ? new MultiVectorIndex(v.Dimension, v.Distance) : VectorIndexFactory.Create(v.Dimension, v.Distance, v.Hnsw, v.Quantization);

    /// <summary>
    /// Takes the quantization of each vector from <paramref name="config"/> (a collection's changed
    /// <c>quantization_config</c>): codes are dropped or learned again in the background as needed. Vector names,
    /// sizes and distances cannot change and are not read.
    /// </summary>
    public void ApplyQuantization(SegmentConfig config)
    {
        var vectors = new List<KeyValuePair<string, SegmentVectorConfig>>(Config.Vectors.Count);
        for (int i = 0; i < _indexList.Length; i++)
        {
            var (name, current) = Config.Vectors[i];
            var quantization = config.Find(name)?.Quantization;
            if (_indexList[i] is HnswVectorIndex hnsw) hnsw.SetQuantization(quantization);
            vectors.Add(new(name, current with { Quantization = quantization }));
        }
        Config = new SegmentConfig(vectors, Config.SparseVectors);
    }

    /// <summary>
    /// Takes the vector names of <paramref name="config"/> (a vector added to or deleted from the collection): a name
    /// kept keeps its index (with the config's quantization), a new name starts with an empty index (no point holds it
    /// yet), and a name gone drops its index with every point's vector in it. Payloads and ids are untouched.
    /// </summary>
    /// <remarks>The caller holds off updates and flushes (the shard's locks); readers wait on the write lock.</remarks>
    public void ReconfigureVectors(SegmentConfig config)
    {
        Lock.EnterWriteLock();
        try
        {
            var indexes = new IVectorIndex[config.Vectors.Count];
            var byName = new Dictionary<string, IVectorIndex>(indexes.Length, StringComparer.Ordinal);
            for (int i = 0; i < indexes.Length; i++)
            {
                var (name, vector) = config.Vectors[i];
                indexes[i] = _indexes.TryGetValue(name, out var kept) && kept.Dimension == vector.Dimension && kept.Distance == vector.Distance
                    ? kept
                    : CreateIndex(vector);
                if (indexes[i] is HnswVectorIndex hnsw) hnsw.SetQuantization(vector.Quantization);
                byName[name] = indexes[i];
            }

            var sparse = new Dictionary<string, SparseVectorIndex>(StringComparer.Ordinal);
            foreach (var name in config.SparseVectors) sparse[name] = _sparse.GetValueOrDefault(name) ?? new SparseVectorIndex();
            foreach (var old in _indexList)
            {
                if (Array.IndexOf(indexes, old) < 0) old.Dispose();
            }

            _indexList = indexes;
            _indexes = byName;
            _sparse = sparse;
            Config = config;
        }
        finally { Lock.ExitWriteLock(); }
    }

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
                case ShardOperationKind.UpdateVectors:
                    UpdateVectors(opNumber, operation.Points);
                    break;
                case ShardOperationKind.DeleteVectors:
                    DeleteVectors(opNumber, operation.Ids, operation.VectorNames);
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

    /// <summary>Completes when every vector index's linking backlog is below <see cref="MaxIndexingBacklog"/>.</summary>
    public async ValueTask WaitForIndexingBacklogAsync(CancellationToken cancellationToken)
    {
        foreach (var index in _indexList) await index.WaitForBacklogAsync(MaxIndexingBacklog, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stored vectors still waiting to be linked into their indexes, over every vector name.</summary>
    public int IndexingBacklog
    {
        get
        {
            int n = 0;
            foreach (var index in _indexList) if (index is HnswVectorIndex hnsw) n += hnsw.PendingCount;
            return n;
        }
    }

    /// <summary>
    /// Holds back (true) or resumes (false) indexing of newly stored vectors, which are searched exactly meanwhile:
    /// Qdrant's <c>optimizers_config.indexing_threshold: 0</c>.
    /// </summary>
    public void SetIndexingPaused(bool paused)
    {
        foreach (var index in _indexList) if (index is HnswVectorIndex hnsw) hnsw.LinkingPaused = paused;
    }

    /// <summary>Offset of <paramref name="id"/> when it is live. Caller holds the read lock.</summary>
    public bool TryGetOffset(PointId id, out int offset) => _offsets.TryGetValue(id, out offset);

    /// <summary>Id at a live offset. Caller holds the read lock.</summary>
    public PointId IdAt(int offset) => _ids[offset];

    /// <summary>Payload at a live offset. Caller holds the read lock.</summary>
    public JsonObject? PayloadAt(int offset) => _payloads[offset];

    /// <summary>Version at a live offset. Caller holds the read lock.</summary>
    public ulong VersionAt(int offset) => _versions[offset];

    /// <summary>Copy of the first vector at a live offset (the unnamed one in a single-vector collection). Caller holds the read lock.</summary>
    public float[] VectorAt(int offset)
    {
        var v = new float[Index.VectorLength(offset)];
        Index.CopyVector(offset, v);
        return v;
    }

    /// <summary>
    /// Copies of the vectors the point at a live offset holds, restricted to <paramref name="names"/> when given
    /// (unknown names are skipped). Caller holds the read lock.
    /// </summary>
    public Dictionary<string, float[]> VectorsAt(int offset, IReadOnlyList<string>? names = null)
    {
        var vectors = new Dictionary<string, float[]>(names?.Count ?? _indexList.Length, StringComparer.Ordinal);
        if (names is null)
        {
            for (int i = 0; i < _indexList.Length; i++) AddVector(vectors, Config.Vectors[i].Key, _indexList[i], offset);
        }
        else
        {
            foreach (var name in names)
            {
                if (_indexes.TryGetValue(name, out var index)) AddVector(vectors, name, index, offset);
            }
        }

        return vectors;
    }

    private static void AddVector(Dictionary<string, float[]> vectors, string name, IVectorIndex index, int offset)
    {
        int length = index.VectorLength(offset);
        if (length == 0) return;
        var v = new float[length];
        index.CopyVector(offset, v);
        vectors[name] = v;
    }

    /// <summary>
    /// The sparse vectors the point at a live offset holds, restricted to <paramref name="names"/> when given (unknown
    /// names are skipped); null when it holds none of them. Caller holds the read lock.
    /// </summary>
    public Dictionary<string, SparseVector>? SparseVectorsAt(int offset, IReadOnlyList<string>? names = null)
    {
        Dictionary<string, SparseVector>? vectors = null;
        foreach (var (name, index) in _sparse)
        {
            if (names is not null && !names.Contains(name)) continue;
            if (index.Get(offset) is { } v) (vectors ??= new Dictionary<string, SparseVector>(StringComparer.Ordinal))[name] = v;
        }

        return vectors;
    }

    /// <summary>True when the point at a live offset holds vector <paramref name="name"/> (dense or sparse). Caller holds the read lock.</summary>
    public bool HasVector(int offset, string name) =>
        _indexes.TryGetValue(name, out var index) ? index.Contains(offset) : _sparse.TryGetValue(name, out var sparse) && sparse.Contains(offset);

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
        // A point given twice in one batch keeps its last vectors, and each offset is written once per index.
        var last = new Dictionary<int, int>(points.Count);
        for (int i = 0; i < points.Count; i++) last[Track(opNumber, points[i])] = i;
        for (int v = 0; v < _indexList.Length; v++)
        {
            // An upsert replaces the whole point: a vector it does not give is removed.
            string name = Config.Vectors[v].Key;
            var index = _indexList[v];
            foreach (var (offset, i) in last)
            {
                if (!points[i].Vectors.ContainsKey(name)) index.Delete(offset);
            }

            WriteVectors(index, name, points, last);
        }

        foreach (var (name, index) in _sparse)
        {
            foreach (var (offset, i) in last)
            {
                if (points[i].Sparse.TryGetValue(name, out var vector)) index.Upsert(offset, vector);
                else index.Delete(offset);
            }
        }
    }

    /// <summary>Stores the <paramref name="name"/> vectors of the points in <paramref name="last"/> (offset to point index) into <paramref name="index"/>.</summary>
    private static void WriteVectors(IVectorIndex index, string name, IReadOnlyList<PointRecord> points, Dictionary<int, int> last)
    {
        if (last.Count < BatchIndexThreshold || index is MultiVectorIndex)
        {
            foreach (var (offset, i) in last)
            {
                if (points[i].Vectors.TryGetValue(name, out var vector)) index.Upsert(offset, vector);
            }

            return;
        }

        int dim = index.Dimension;
        var offsets = ArrayPool<int>.Shared.Rent(last.Count);
        var vectors = ArrayPool<float>.Shared.Rent(last.Count * dim);
        try
        {
            int n = 0;
            foreach (var (offset, i) in last)
            {
                if (!points[i].Vectors.TryGetValue(name, out var vector)) continue;
                offsets[n] = offset;
                vector.AsSpan(0, dim).CopyTo(vectors.AsSpan(n * dim, dim));
                n++;
            }

            if (n > 0) index.UpsertBatch(offsets.AsSpan(0, n), vectors.AsSpan(0, n * dim));
        }
        finally
        {
            ArrayPool<int>.Shared.Return(offsets);
            ArrayPool<float>.Shared.Return(vectors);
        }
    }

    private void UpdateVectors(ulong opNumber, IReadOnlyList<PointRecord> points)
    {
        var last = new Dictionary<int, int>(points.Count);
        for (int i = 0; i < points.Count; i++)
        {
            if (!_offsets.TryGetValue(points[i].Id, out int offset)) continue; // deleted since the request was checked
            last[offset] = i;
            _versions[offset] = opNumber;
        }

        for (int v = 0; v < _indexList.Length; v++) WriteVectors(_indexList[v], Config.Vectors[v].Key, points, last);
        foreach (var (name, index) in _sparse)
        {
            foreach (var (offset, i) in last)
            {
                if (points[i].Sparse.TryGetValue(name, out var vector)) index.Upsert(offset, vector);
            }
        }
    }

    private void DeleteVectors(ulong opNumber, IReadOnlyList<PointId> ids, IReadOnlyList<string> names)
    {
        foreach (var id in ids)
        {
            if (!_offsets.TryGetValue(id, out int offset)) continue;
            foreach (var name in names)
            {
                if (_indexes.TryGetValue(name, out var index)) index.Delete(offset);
                else if (_sparse.TryGetValue(name, out var sparse)) sparse.Delete(offset);
            }

            _versions[offset] = opNumber;
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
        foreach (var index in _indexList) index.Delete(offset);
        foreach (var sparse in _sparse.Values) sparse.Delete(offset);
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
        foreach (var index in _indexList) index.Dispose();
        Lock.Dispose();
    }
}

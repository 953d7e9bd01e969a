using AspireVector.Node.Index.Hnsw;
using AspireVector.Node.Index.Kernels;
using AspireVector.Node.Index.Quantization;
using AspireVector.Node.Index.Storage;

namespace AspireVector.Node.Index;

/// <summary>
/// The segment's vector storage and HNSW index: vectors in 64-byte aligned native chunks, an
/// <see cref="HnswGraph"/> extended by a background linker after upserts, tombstoned deletes, optional int8 scalar
/// quantization, and a planner choosing exact scoring or graph traversal per query.
/// </summary>
/// <remarks>
/// Concurrency follows <see cref="IVectorIndex"/>: writes are serialised by an internal lock (and the segment's),
/// searches run concurrently without locks. Linking runs in the background on several threads
/// (HnswVectorIndex.Linking.cs), as do rebuilds.
/// </remarks>
public sealed unsafe partial class HnswVectorIndex : IVectorIndex
{
    private readonly AlignedChunkedBuffer<float> _vectors;
    private readonly PointStates _states = new();
    private readonly Random _random;
    private readonly object _writeLock = new();
    private readonly long _fullScanVectors;
    private HnswGraph _graph;
    private HnswBuilder _builder;
    private VectorQuantizer? _quantizer;
    private int _quantizationGeneration; // bumped by SetQuantization: background code makers of older configs stop
    private bool _productTraining;
    private List<int>? _recode; // offsets written while product codes are being made, encoded again before publishing
    private int _count;
    private int _rows;
    private int _graphTombstones;
    // Graph nodes of completed chunks: nodes of the chunk being linked appear in the graph before they leave the
    // queue, and counting them would report a vector both indexed and queued.
    private int _linkedNodes;
    private bool _disposed;

    /// <param name="dimension">Vector size.</param>
    /// <param name="distance">Metric; Cosine expects normalised vectors.</param>
    /// <param name="config">The collection's <c>hnsw_config</c>.</param>
    /// <param name="quantization">The collection's scalar quantization, or null for none.</param>
    /// <param name="random">Source of node levels; seeded for reproducible graphs (defaults to a fixed seed).</param>
    public HnswVectorIndex(int dimension, Distance distance, HnswIndexConfig config, QuantizationConfig? quantization = null,
        Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        ArgumentOutOfRangeException.ThrowIfLessThan(config.M, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(config.EfConstruct);
        Dimension = dimension;
        Distance = distance;
        Config = config;
        // Manhattan has no inner-product form, so int8 codes cannot score it; it stays full precision.
        Quantization = distance == Distance.Manhattan ? null : quantization;
        _random = random ?? new Random(0x5EED);
        // Rows padded to 16 floats keep every vector on a 64-byte boundary inside its aligned chunk.
        _vectors = new AlignedChunkedBuffer<float>((dimension + 15) & ~15);
        _fullScanVectors = (long)config.FullScanThresholdKb * 1024 / (dimension * sizeof(float));
        _graph = new HnswGraph(config.M);
        _builder = new HnswBuilder(_graph, _vectors, dimension, config.EfConstruct);
    }

    public int Dimension { get; }

    public Distance Distance { get; }

    /// <summary>The <c>hnsw_config</c> this index was built with.</summary>
    public HnswIndexConfig Config { get; }

    /// <summary>The scalar quantization requested, or null (see <see cref="SetQuantization"/>).</summary>
    public QuantizationConfig? Quantization { get; private set; }

    /// <summary>True once the codes (int8 or binary) exist and are used by searches.</summary>
    public bool IsQuantized => Volatile.Read(ref _quantizer) is not null;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Live vectors linked into the graph; stored vectors still queued for linking are not counted.</summary>
    public int IndexedCount => Volatile.Read(ref _linkedNodes) - Volatile.Read(ref _graphTombstones);

    /// <summary>Deleted points still present in the graph as navigation-only tombstones.</summary>
    public int TombstoneCount => Volatile.Read(ref _graphTombstones);

    /// <summary>Native and managed bytes held by vectors, links, states and codes.</summary>
    public long MemoryBytes => _vectors.AllocatedBytes + _states.AllocatedBytes + Volatile.Read(ref _graph).AllocatedBytes
        + (Volatile.Read(ref _quantizer)?.AllocatedBytes ?? 0);

    /// <summary>Stores the vector and queues it for linking (see <see cref="PendingCount"/>).</summary>
    public void Upsert(int offset, ReadOnlySpan<float> vector)
    {
        ValidateVector(vector);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            EnsureCapacity(offset + 1);
            Store(offset, vector);
            var quantizer = Volatile.Read(ref _quantizer);
            if (quantizer is null)
            {
                _recode?.Add(offset);
                TrainQuantizerIfDue();
            }
            else quantizer.Store(offset, _vectors.Row(offset));
            Enqueue([offset]);
        }
    }

    /// <summary>
    /// Stores many vectors (row-major in <paramref name="vectors"/>) and queues them; the background linker links
    /// them into the graph on up to <c>max_indexing_threads</c> threads.
    /// </summary>
    public void UpsertBatch(ReadOnlySpan<int> offsets, ReadOnlySpan<float> vectors)
    {
        if (vectors.Length != offsets.Length * Dimension)
            throw new ArgumentException($"expected {offsets.Length} vectors of dim {Dimension}", nameof(vectors));
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            int max = -1;
            foreach (int offset in offsets)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(offset);
                max = Math.Max(max, offset);
            }
            EnsureCapacity(max + 1);
            for (int i = 0; i < offsets.Length; i++) Store(offsets[i], vectors.Slice(i * Dimension, Dimension));
            var quantizer = Volatile.Read(ref _quantizer);
            if (quantizer is null)
            {
                if (_recode is { } recode) foreach (int offset in offsets) recode.Add(offset);
                TrainQuantizerIfDue();
            }
            else foreach (int offset in offsets) quantizer.Store(offset, _vectors.Row(offset));
            Enqueue(offsets);
        }
    }

    public void Delete(int offset)
    {
        lock (_writeLock)
        {
            if (_states.Get(offset) != PointStates.Live) return;
            _states.Set(offset, PointStates.Deleted);
            Interlocked.Decrement(ref _count);
            // An offset of the chunk being linked is counted by the linker once its chunk is in the graph.
            if (_graph.LevelOf(offset) >= 0 && _linkingNow?.Contains(offset) != true) Interlocked.Increment(ref _graphTombstones);
        }
    }

    public bool Contains(int offset) => offset >= 0 && _states.Get(offset) == PointStates.Live;

    public void CopyVector(int offset, Span<float> destination)
    {
        if (offset < 0 || _states.Get(offset) == PointStates.Empty)
            throw new ArgumentOutOfRangeException(nameof(offset), $"no vector at offset {offset}");
        new ReadOnlySpan<float>(_vectors.Row(offset), Dimension).CopyTo(destination);
    }

    public void Dispose()
    {
        lock (_linkLock)
        lock (_writeLock)
        {
            if (_disposed) return;
            _disposed = true;
            lock (_pendingLock) SignalProgress();
            _vectors.Dispose();
            _states.Dispose();
        }
    }

    private void ValidateVector(ReadOnlySpan<float> vector)
    {
        if (vector.Length != Dimension)
            throw new ArgumentException($"expected dim {Dimension}, got {vector.Length}", nameof(vector));
    }

    private void EnsureCapacity(int rows)
    {
        _vectors.EnsureCapacity(rows);
        _states.EnsureCapacity(rows);
        _graph.EnsureCapacity(rows);
    }

    /// <summary>
    /// Copies the vector in and marks the offset live. Exact scans may return it at once (its vector is
    /// complete); graph searches reach it once the builder has linked it.
    /// </summary>
    private void Store(int offset, ReadOnlySpan<float> vector)
    {
        byte prior = _states.Get(offset);
        vector.CopyTo(new Span<float>(_vectors.Row(offset), Dimension));
        if (offset >= _rows) Volatile.Write(ref _rows, offset + 1);
        _states.Set(offset, PointStates.Live);
        if (prior == PointStates.Live) return;
        Interlocked.Increment(ref _count);
        if (prior == PointStates.Deleted && _graph.LevelOf(offset) >= 0 && _linkingNow?.Contains(offset) != true)
            Interlocked.Decrement(ref _graphTombstones);
    }

    private void Insert(HnswBuilder builder, int offset, int level)
    {
        switch (Distance)
        {
            case Distance.Euclid: builder.Insert<EuclidKernel>(offset, level); break;
            case Distance.Cosine: builder.Insert<CosineKernel>(offset, level); break;
            case Distance.Dot: builder.Insert<DotKernel>(offset, level); break;
            case Distance.Manhattan: builder.Insert<ManhattanKernel>(offset, level); break;
            default: throw new InvalidOperationException($"unknown distance {Distance}");
        }
    }

    /// <summary>Fewest inserts worth a thread of their own: below it, starting the thread costs more than it saves.</summary>
    private const int MinInsertsPerThread = 16;
}

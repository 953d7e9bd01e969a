using System.Runtime.InteropServices;
using AspireVector.Node.Index.Kernels;

namespace AspireVector.Node.Index;

/// <summary>
/// The multivectors (ColBERT-style matrices, Qdrant's <c>multivector_config: max_sim</c>) of one vector name in a
/// segment: each live offset holds one or more rows of <see cref="Dimension"/> floats, flattened row after row.
/// Searches are exact: every live point passing the filter is scored with <see cref="MaxSimKernel"/> (no graph over
/// multivectors).
/// </summary>
/// <remarks>Concurrency: one writer at a time (the segment's update lock) with any number of concurrent searches.</remarks>
public sealed unsafe class MultiVectorIndex : IVectorIndex
{
    /// <summary>Name of the index's file inside its folder; its presence tells a multivector index from the others.</summary>
    public const string FileName = "multivectors.bin";

    private readonly ReaderWriterLockSlim _lock = new();
    private float[]?[] _vectors = [];
    private int _count;
    private long _storedFloats;

    /// <param name="dimension">Size of each row.</param>
    /// <param name="distance">Metric compared row against row.</param>
    public MultiVectorIndex(int dimension, Distance distance)
    {
        if (dimension <= 0) throw new ArgumentOutOfRangeException(nameof(dimension));
        Dimension = dimension;
        Distance = distance;
    }

    /// <summary>Size of each row.</summary>
    public int Dimension { get; }

    /// <inheritdoc />
    public Distance Distance { get; }

    /// <inheritdoc />
    public int Count => Volatile.Read(ref _count);

    /// <inheritdoc />
    public int IndexedCount => 0;

    /// <summary>Floats held over every stored matrix (each point's rows times <see cref="Dimension"/>).</summary>
    public long StoredFloats => Volatile.Read(ref _storedFloats);

    /// <summary>True when <paramref name="directory"/> holds a multivector index.</summary>
    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, FileName));

    /// <summary>Stores a copy of the matrix (one or more whole rows, already normalised for Cosine) at <paramref name="offset"/>.</summary>
    public void Upsert(int offset, ReadOnlySpan<float> vector)
    {
        if (vector.Length == 0 || vector.Length % Dimension != 0)
            throw new ArgumentException($"a multivector needs whole rows of {Dimension}, got {vector.Length} floats", nameof(vector));
        var copy = vector.ToArray();
        _lock.EnterWriteLock();
        try
        {
            EnsureCapacity(offset + 1);
            if (_vectors[offset] is { } old) _storedFloats -= old.Length;
            else _count++;
            _vectors[offset] = copy;
            _storedFloats += copy.Length;
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <inheritdoc />
    public void Delete(int offset)
    {
        _lock.EnterWriteLock();
        try
        {
            if (offset < _vectors.Length && _vectors[offset] is { } old)
            {
                _vectors[offset] = null;
                _count--;
                _storedFloats -= old.Length;
            }
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <inheritdoc />
    public bool Contains(int offset)
    {
        _lock.EnterReadLock();
        try { return offset >= 0 && offset < _vectors.Length && _vectors[offset] is not null; }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>Number of floats of the matrix at <paramref name="offset"/> (rows times <see cref="Dimension"/>), 0 when none.</summary>
    public int VectorLength(int offset)
    {
        _lock.EnterReadLock();
        try { return offset >= 0 && offset < _vectors.Length ? _vectors[offset]?.Length ?? 0 : 0; }
        finally { _lock.ExitReadLock(); }
    }

    /// <inheritdoc />
    public void CopyVector(int offset, Span<float> destination)
    {
        _lock.EnterReadLock();
        try { _vectors[offset].AsSpan().CopyTo(destination); }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>
    /// The best <paramref name="limit"/> points by max_sim against <paramref name="query"/> (one or more whole rows; a
    /// plain vector is a one-row query, as in Qdrant), scored exactly; each score as Qdrant reports it.
    /// </summary>
    public void Search(ReadOnlySpan<float> query, int limit, SearchParams parameters, PointFilter? filter, List<ScoredOffset> results)
    {
        if (limit <= 0) return;
        if (query.Length == 0 || query.Length % Dimension != 0)
            throw new ArgumentException($"a multivector query needs whole rows of {Dimension}, got {query.Length} floats", nameof(query));
        var rows = query.ToArray();
        if (Distance == Distance.Cosine)
        {
            for (int r = 0; r < rows.Length; r += Dimension) Collections.Collection.Normalize(rows.AsSpan(r, Dimension));
        }

        switch (Distance)
        {
            case Distance.Cosine: Search<CosineKernel>(rows, limit, filter, results); break;
            case Distance.Dot: Search<DotKernel>(rows, limit, filter, results); break;
            case Distance.Euclid: Search<EuclidKernel>(rows, limit, filter, results); break;
            default: Search<ManhattanKernel>(rows, limit, filter, results); break;
        }
    }

    private void Search<TKernel>(float[] query, int limit, PointFilter? filter, List<ScoredOffset> results)
        where TKernel : struct, IDistanceKernel
    {
        int queryRows = query.Length / Dimension;
        // Max-heap on the internal distance keeps the best (lowest) `limit`.
        var heap = new PriorityQueue<int, float>(limit + 1, Comparer<float>.Create(static (a, b) => b.CompareTo(a)));
        _lock.EnterReadLock();
        try
        {
            fixed (float* q = query)
            {
                for (int i = 0; i < _vectors.Length; i++)
                {
                    var stored = _vectors[i];
                    if (stored is null || (filter is not null && !filter.Matches(i))) continue;
                    float d;
                    fixed (float* s = stored) d = MaxSimKernel.Distance<TKernel>(q, queryRows, s, stored.Length / Dimension, Dimension);
                    if (heap.Count < limit) heap.Enqueue(i, d);
                    else if (heap.TryPeek(out _, out float worst) && d < worst) heap.EnqueueDequeue(i, d);
                }
            }
        }
        finally { _lock.ExitReadLock(); }

        int start = results.Count;
        while (heap.TryDequeue(out int offset, out float d)) results.Add(new ScoredOffset(offset, TKernel.ToScore(d)));
        results.Reverse(start, results.Count - start);
    }

    /// <inheritdoc />
    public void Save(string directory)
    {
        using var image = Capture();
        image.WriteTo(directory);
    }

    /// <summary>
    /// <c>[dimension][offsets]</c>, then per offset <c>[rows]</c> (0 for none) and its rows' floats, little-endian.
    /// </summary>
    public IndexImage Capture()
    {
        var bytes = new Storage.NativeChunkStream();
        _lock.EnterReadLock();
        try
        {
            using var writer = new BinaryWriter(bytes, System.Text.Encoding.UTF8, leaveOpen: true);
            writer.Write(Dimension);
            writer.Write(_vectors.Length);
            foreach (var v in _vectors)
            {
                writer.Write(v is null ? 0 : v.Length / Dimension);
                if (v is not null) writer.Write(MemoryMarshal.AsBytes(v.AsSpan()));
            }

            writer.Flush();
            return new IndexImage(FileName, bytes);
        }
        catch
        {
            bytes.Dispose();
            throw;
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>Reads an index written by <see cref="Save"/>; <see cref="InvalidDataException"/> when the file is inconsistent.</summary>
    public static MultiVectorIndex Load(string directory, Distance distance)
    {
        using var reader = new BinaryReader(new FileStream(Path.Combine(directory, FileName), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16));
        long length = reader.BaseStream.Length;
        int dim = reader.ReadInt32();
        int n = reader.ReadInt32();
        if (dim <= 0 || n < 0 || n > length) throw new InvalidDataException($"{FileName} in {directory} is damaged (dimension {dim}, {n} offsets)");
        var index = new MultiVectorIndex(dim, distance);
        index.EnsureCapacity(n);
        for (int i = 0; i < n; i++)
        {
            int rows = reader.ReadInt32();
            if (rows < 0 || (long)rows * dim * sizeof(float) > length) throw new InvalidDataException($"{FileName} in {directory} is damaged ({rows} rows at offset {i})");
            if (rows == 0) continue;
            var v = new float[rows * dim];
            var bytes = MemoryMarshal.AsBytes(v.AsSpan());
            try { reader.BaseStream.ReadExactly(bytes); }
            catch (EndOfStreamException e) { throw new InvalidDataException($"{FileName} in {directory} is truncated", e); }
            index._vectors[i] = v;
            index._count++;
            index._storedFloats += v.Length;
        }

        return index;
    }

    /// <inheritdoc />
    public void Dispose() => _lock.Dispose();

    private void EnsureCapacity(int points)
    {
        if (points <= _vectors.Length) return;
        Array.Resize(ref _vectors, Math.Max(points, Math.Max(16, _vectors.Length * 2)));
    }
}

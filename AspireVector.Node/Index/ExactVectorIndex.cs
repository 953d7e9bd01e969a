using System.Numerics.Tensors;

namespace AspireVector.Node.Index;

/// <summary>
/// Brute-force index: scores every live vector. The reference other indexes are tested against, and the
/// search used for small segments.
/// </summary>
public sealed class ExactVectorIndex : IVectorIndex
{
    private readonly ReaderWriterLockSlim _lock = new();
    private float[] _vectors = [];
    private bool[] _live = [];
    private int _count;

    public ExactVectorIndex(int dimension, Distance distance)
    {
        Dimension = dimension;
        Distance = distance;
    }

    public int Dimension { get; }

    public Distance Distance { get; }

    public int Count => Volatile.Read(ref _count);

    public int IndexedCount => 0;

    public void Upsert(int offset, ReadOnlySpan<float> vector)
    {
        if (vector.Length != Dimension) throw new ArgumentException($"expected dim {Dimension}, got {vector.Length}", nameof(vector));
        _lock.EnterWriteLock();
        try
        {
            EnsureCapacity(offset + 1);
            vector.CopyTo(_vectors.AsSpan(offset * Dimension, Dimension));
            if (!_live[offset])
            {
                _live[offset] = true;
                _count++;
            }
        }
        finally { _lock.ExitWriteLock(); }
    }

    public void Delete(int offset)
    {
        _lock.EnterWriteLock();
        try
        {
            if (offset < _live.Length && _live[offset])
            {
                _live[offset] = false;
                _count--;
            }
        }
        finally { _lock.ExitWriteLock(); }
    }

    public bool Contains(int offset)
    {
        _lock.EnterReadLock();
        try { return offset >= 0 && offset < _live.Length && _live[offset]; }
        finally { _lock.ExitReadLock(); }
    }

    public void CopyVector(int offset, Span<float> destination)
    {
        _lock.EnterReadLock();
        try { _vectors.AsSpan(offset * Dimension, Dimension).CopyTo(destination); }
        finally { _lock.ExitReadLock(); }
    }

    public void Search(ReadOnlySpan<float> query, int limit, SearchParams parameters, PointFilter? filter, List<ScoredOffset> results)
    {
        if (limit <= 0) return;
        bool higherIsBetter = Distance is Distance.Cosine or Distance.Dot;
        // Min-heap on "goodness" keeps the best `limit` hits.
        var heap = new PriorityQueue<ScoredOffset, float>(limit + 1);
        _lock.EnterReadLock();
        try
        {
            for (int i = 0; i < _live.Length; i++)
            {
                if (!_live[i] || (filter is not null && !filter.Matches(i))) continue;
                float score = Score(query, _vectors.AsSpan(i * Dimension, Dimension));
                float goodness = higherIsBetter ? score : -score;
                if (heap.Count < limit) heap.Enqueue(new ScoredOffset(i, score), goodness);
                else if (heap.TryPeek(out _, out var worst) && goodness > worst) heap.EnqueueDequeue(new ScoredOffset(i, score), goodness);
            }
        }
        finally { _lock.ExitReadLock(); }

        int start = results.Count;
        while (heap.TryDequeue(out var hit, out _)) results.Add(hit);
        results.Reverse(start, results.Count - start);
    }

    public void Save(string directory)
    {
        using var image = Capture();
        image.WriteTo(directory);
    }

    public IndexImage Capture()
    {
        var bytes = new Storage.NativeChunkStream();
        _lock.EnterReadLock();
        try
        {
            using var writer = new BinaryWriter(bytes, System.Text.Encoding.UTF8, leaveOpen: true);
            writer.Write(Dimension);
            writer.Write(_live.Length);
            // Booleans as bytes 0 and 1, floats little-endian: the layout Load reads back value by value.
            writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_live.AsSpan()));
            writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_vectors.AsSpan(0, _live.Length * Dimension)));
            writer.Flush();
            return new IndexImage("vectors.bin", bytes);
        }
        catch
        {
            bytes.Dispose();
            throw;
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>Reads an index written by <see cref="Save"/>.</summary>
    public static ExactVectorIndex Load(string directory, Distance distance)
    {
        using var reader = new BinaryReader(File.OpenRead(Path.Combine(directory, "vectors.bin")));
        int dim = reader.ReadInt32();
        int n = reader.ReadInt32();
        var index = new ExactVectorIndex(dim, distance);
        index.EnsureCapacity(n);
        for (int i = 0; i < n; i++) index._live[i] = reader.ReadBoolean();
        for (int i = 0; i < n * dim; i++) index._vectors[i] = reader.ReadSingle();
        foreach (var live in index._live.AsSpan(0, n)) if (live) index._count++;
        return index;
    }

    public void Dispose() => _lock.Dispose();

    private float Score(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Distance switch
    {
        Distance.Cosine or Distance.Dot => TensorPrimitives.Dot(a, b),
        Distance.Euclid => TensorPrimitives.Distance(a, b),
        Distance.Manhattan => ManhattanDistance(a, b),
        _ => throw new InvalidOperationException($"unknown distance {Distance}"),
    };

    private static float ManhattanDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float sum = 0;
        for (int i = 0; i < a.Length; i++) sum += MathF.Abs(a[i] - b[i]);
        return sum;
    }

    private void EnsureCapacity(int points)
    {
        if (points <= _live.Length) return;
        int capacity = Math.Max(points, Math.Max(16, _live.Length * 2));
        Array.Resize(ref _live, capacity);
        Array.Resize(ref _vectors, capacity * Dimension);
    }
}

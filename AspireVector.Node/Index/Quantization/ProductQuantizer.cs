using System.Runtime.CompilerServices;
using AspireVector.Node.Index.Hnsw;
using AspireVector.Node.Index.Storage;

namespace AspireVector.Node.Index.Quantization;

/// <summary>
/// Product quantization as Qdrant's <c>quantization_config.product</c>: the vector is cut into chunks of
/// <see cref="ChunkDimensions"/> values (1, 2, 4, 8 or 16 for compression x4 to x64 of float32), each chunk is
/// replaced by the number of the nearest of 256 centroids learned for it by k-means, one byte per chunk. A query is
/// scored against codes through a table of its distance to every centroid of every chunk (asymmetric distance).
/// </summary>
public sealed unsafe class ProductQuantizer : VectorQuantizer
{
    /// <summary>Centroids per chunk: one byte of code.</summary>
    public const int Centroids = 256;

    [ThreadStatic] private static float[]? t_table;

    private readonly ChunkedArray<byte> _codes;
    private readonly float[] _centroids; // [chunk][centroid][ChunkDimensions], the last chunk zero-padded

    private ProductQuantizer(int dimension, int chunkDimensions, bool euclidean, float[] centroids)
    {
        Dimension = dimension;
        ChunkDimensions = chunkDimensions;
        Chunks = (dimension + chunkDimensions - 1) / chunkDimensions;
        Euclidean = euclidean;
        _centroids = centroids;
        _codes = new ChunkedArray<byte>(Chunks);
    }

    public int Dimension { get; }

    /// <summary>Values per chunk.</summary>
    public int ChunkDimensions { get; }

    /// <summary>Chunks per vector, one code byte each.</summary>
    public int Chunks { get; }

    /// <summary>True for squared L2 distances, false for (negated) dot products.</summary>
    public bool Euclidean { get; }

    public override int CodeLength => Chunks;

    public override long AllocatedBytes => _codes.AllocatedValues + (long)_centroids.Length * sizeof(float);

    protected override QuantizationKind Kind => QuantizationKind.Product;

    /// <summary>Chunk values per code byte for Qdrant's <c>compression</c> ratio (x4 .. x64 of float32).</summary>
    public static int ChunkDimensionsFor(int compression) => Math.Max(1, compression / 4);

    /// <summary>
    /// Learns the centroids of every chunk by k-means over <paramref name="sample"/> (row-major vectors of
    /// <paramref name="dimension"/> values); no codes are stored yet.
    /// </summary>
    public static ProductQuantizer Train(ReadOnlySpan<float> sample, int dimension, int chunkDimensions, bool euclidean, int seed = 0x5EED, int iterations = 10)
    {
        int n = sample.Length / dimension;
        if (n == 0) throw new ArgumentException("product quantization needs at least one vector to learn from", nameof(sample));
        int chunks = (dimension + chunkDimensions - 1) / chunkDimensions;
        var centroids = new float[chunks * Centroids * chunkDimensions];
        var random = new Random(seed);
        var points = new float[n * chunkDimensions];
        var assignment = new int[n];
        var sums = new double[Centroids * chunkDimensions];
        var counts = new int[Centroids];
        for (int chunk = 0; chunk < chunks; chunk++)
        {
            // The chunk's values of every sample vector, zero-padded past the last dimension.
            for (int i = 0; i < n; i++)
            {
                for (int d = 0; d < chunkDimensions; d++)
                {
                    int source = chunk * chunkDimensions + d;
                    points[i * chunkDimensions + d] = source < dimension ? sample[i * dimension + source] : 0f;
                }
            }

            var chunkCentroids = centroids.AsSpan(chunk * Centroids * chunkDimensions, Centroids * chunkDimensions);
            // Initial centroids: distinct samples in random order (repeated when there are fewer than 256).
            var order = Enumerable.Range(0, n).OrderBy(_ => random.Next()).ToArray();
            for (int c = 0; c < Centroids; c++) points.AsSpan(order[c % n] * chunkDimensions, chunkDimensions).CopyTo(chunkCentroids.Slice(c * chunkDimensions));

            for (int iteration = 0; iteration < iterations; iteration++)
            {
                bool moved = false;
                for (int i = 0; i < n; i++)
                {
                    int nearest = Nearest(points.AsSpan(i * chunkDimensions, chunkDimensions), chunkCentroids, chunkDimensions);
                    moved |= nearest != assignment[i] || iteration == 0;
                    assignment[i] = nearest;
                }
                if (!moved) break;
                Array.Clear(sums);
                Array.Clear(counts);
                for (int i = 0; i < n; i++)
                {
                    counts[assignment[i]]++;
                    for (int d = 0; d < chunkDimensions; d++) sums[assignment[i] * chunkDimensions + d] += points[i * chunkDimensions + d];
                }
                for (int c = 0; c < Centroids; c++)
                {
                    if (counts[c] == 0) continue; // an empty cluster keeps its centroid
                    for (int d = 0; d < chunkDimensions; d++) chunkCentroids[c * chunkDimensions + d] = (float)(sums[c * chunkDimensions + d] / counts[c]);
                }
            }
        }
        return new ProductQuantizer(dimension, chunkDimensions, euclidean, centroids);
    }

    public override void Store(int node, float* vector)
    {
        _codes.EnsureCapacity(node + 1);
        Encode(vector, _codes.Row(node));
    }

    /// <summary>Writes the nearest centroid of each chunk of <paramref name="vector"/> into <paramref name="code"/>.</summary>
    public void Encode(float* vector, Span<byte> code)
    {
        Span<float> chunk = stackalloc float[ChunkDimensions];
        for (int c = 0; c < Chunks; c++)
        {
            for (int d = 0; d < ChunkDimensions; d++)
            {
                int source = c * ChunkDimensions + d;
                chunk[d] = source < Dimension ? vector[source] : 0f;
            }
            code[c] = (byte)Nearest(chunk, _centroids.AsSpan(c * Centroids * ChunkDimensions, Centroids * ChunkDimensions), ChunkDimensions);
        }
    }

    /// <summary>
    /// The query's table: for every chunk and centroid, the squared distance (L2) or the negated dot product of the
    /// query's chunk with the centroid. Held per thread; valid until the thread's next call.
    /// </summary>
    public float[] QueryTable(float* query)
    {
        var table = t_table is { } t && t.Length >= Chunks * Centroids ? t : t_table = new float[Chunks * Centroids];
        for (int c = 0; c < Chunks; c++)
        {
            for (int k = 0; k < Centroids; k++)
            {
                float sum = 0;
                int centroid = (c * Centroids + k) * ChunkDimensions;
                for (int d = 0; d < ChunkDimensions; d++)
                {
                    int source = c * ChunkDimensions + d;
                    float q = source < Dimension ? query[source] : 0f;
                    float v = _centroids[centroid + d];
                    sum += Euclidean ? (q - v) * (q - v) : q * v;
                }
                table[c * Centroids + k] = Euclidean ? sum : -sum;
            }
        }
        return table;
    }

    /// <summary>Approximate internal distance (lower is closer) of <paramref name="node"/> from the query's table.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Distance(float[] table, int node)
    {
        ref byte code = ref _codes.RowRef(node);
        float sum = 0;
        for (int c = 0; c < Chunks; c++) sum += table[c * Centroids + Unsafe.Add(ref code, c)];
        return sum;
    }

    /// <summary>Prefetches the code of <paramref name="node"/> (see <see cref="IQueryScorer.Prefetch"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int node) => CachePrefetch.Lines(Unsafe.AsPointer(ref _codes.RowRef(node)), Chunks);

    protected override void WriteBody(BinaryWriter writer, int rows)
    {
        writer.Write(Dimension);
        writer.Write(ChunkDimensions);
        writer.Write(Euclidean);
        foreach (float value in _centroids) writer.Write(value);
        _codes.EnsureCapacity(rows);
        for (int i = 0; i < rows; i++) writer.Write(_codes.Row(i));
    }

    /// <summary>Reads a quantizer written by <see cref="VectorQuantizer.WriteTo"/> (after the kind).</summary>
    public static new ProductQuantizer ReadFrom(BinaryReader reader, int rows)
    {
        int dimension = reader.ReadInt32();
        int chunkDimensions = reader.ReadInt32();
        if (dimension <= 0 || chunkDimensions is <= 0 or > 64) throw new InvalidDataException($"product quantizer of {dimension} values in chunks of {chunkDimensions}");
        bool euclidean = reader.ReadBoolean();
        int chunks = (dimension + chunkDimensions - 1) / chunkDimensions;
        var centroids = new float[chunks * Centroids * chunkDimensions];
        for (int i = 0; i < centroids.Length; i++) centroids[i] = reader.ReadSingle();
        var quantizer = new ProductQuantizer(dimension, chunkDimensions, euclidean, centroids);
        quantizer._codes.EnsureCapacity(rows);
        for (int i = 0; i < rows; i++) reader.BaseStream.ReadExactly(quantizer._codes.Row(i));
        return quantizer;
    }

    /// <summary>The centroid nearest (L2) to <paramref name="point"/> among <paramref name="centroids"/>.</summary>
    private static int Nearest(ReadOnlySpan<float> point, ReadOnlySpan<float> centroids, int dimensions)
    {
        int best = 0;
        float bestDistance = float.MaxValue;
        for (int c = 0; c < Centroids; c++)
        {
            float sum = 0;
            for (int d = 0; d < dimensions; d++)
            {
                float diff = point[d] - centroids[c * dimensions + d];
                sum += diff * diff;
            }
            if (sum < bestDistance)
            {
                bestDistance = sum;
                best = c;
            }
        }
        return best;
    }
}

/// <summary>Table-lookup distances from a query to stored product codes.</summary>
public readonly struct ProductQueryScorer(ProductQuantizer quantizer, float[] table) : IQueryScorer
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Distance(int node) => quantizer.Distance(table, node);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int node) => quantizer.Prefetch(node);
}

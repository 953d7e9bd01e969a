using System.Numerics;
using System.Runtime.CompilerServices;
using AspireVector.Node.Index.Hnsw;
using AspireVector.Node.Index.Storage;

namespace AspireVector.Node.Index.Quantization;

/// <summary>
/// Binary quantization as Qdrant's <c>quantization_config.binary</c> (<c>encoding: one_bit</c>): each dimension
/// becomes its sign bit (set when positive), 32x smaller than float32. Two codes are compared by the number of
/// differing bits (Hamming distance, lower is closer), which orders vectors like their angle does for centred data;
/// the full vectors rescore the candidates. Nothing is learned, so codes exist from the first vector.
/// </summary>
public sealed unsafe class BinaryQuantizer : VectorQuantizer
{
    private readonly ChunkedArray<ulong> _codes;

    public BinaryQuantizer(int dimension)
    {
        Dimension = dimension;
        Words = (dimension + 63) >> 6;
        _codes = new ChunkedArray<ulong>(Words);
    }

    public int Dimension { get; }

    /// <summary>64-bit words per code.</summary>
    public int Words { get; }

    public override int CodeLength => Words * sizeof(ulong);

    public override long AllocatedBytes => _codes.AllocatedValues * sizeof(ulong);

    protected override QuantizationKind Kind => QuantizationKind.Binary;

    /// <summary>Encodes every stored vector below <paramref name="rows"/>.</summary>
    public static BinaryQuantizer Train(AlignedChunkedBuffer<float> vectors, PointStates states, int rows, int dimension)
    {
        var quantizer = new BinaryQuantizer(dimension);
        for (int i = 0; i < rows; i++)
        {
            if (states.Get(i) != PointStates.Empty) quantizer.Store(i, vectors.Row(i));
        }
        return quantizer;
    }

    public override void Store(int node, float* vector)
    {
        _codes.EnsureCapacity(node + 1);
        Encode(vector, _codes.Row(node));
    }

    /// <summary>Writes the sign bits of <paramref name="vector"/> into <paramref name="code"/> (<see cref="Words"/> words).</summary>
    public void Encode(float* vector, Span<ulong> code)
    {
        code[..Words].Clear();
        for (int i = 0; i < Dimension; i++)
        {
            if (vector[i] > 0) code[i >> 6] |= 1UL << (i & 63);
        }
    }

    /// <summary>Differing bits between a query code and the code of <paramref name="node"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Distance(ref ulong queryCode, int node)
    {
        ref ulong code = ref _codes.RowRef(node);
        int bits = 0;
        for (int w = 0; w < Words; w++) bits += BitOperations.PopCount(Unsafe.Add(ref queryCode, w) ^ Unsafe.Add(ref code, w));
        return bits;
    }

    /// <summary>Prefetches the code of <paramref name="node"/> (see <see cref="IQueryScorer.Prefetch"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int node) => CachePrefetch.Lines(Unsafe.AsPointer(ref _codes.RowRef(node)), CodeLength);

    protected override void WriteBody(BinaryWriter writer, int rows)
    {
        writer.Write(Dimension);
        _codes.EnsureCapacity(rows);
        for (int i = 0; i < rows; i++)
        {
            foreach (ulong word in _codes.Row(i)) writer.Write(word);
        }
    }

    /// <summary>Reads a quantizer written by <see cref="VectorQuantizer.WriteTo"/> (after the kind).</summary>
    public static new BinaryQuantizer ReadFrom(BinaryReader reader, int rows)
    {
        var quantizer = new BinaryQuantizer(reader.ReadInt32());
        quantizer._codes.EnsureCapacity(rows);
        for (int i = 0; i < rows; i++)
        {
            var row = quantizer._codes.Row(i);
            for (int w = 0; w < row.Length; w++) row[w] = reader.ReadUInt64();
        }
        return quantizer;
    }
}

/// <summary>Hamming distances from an encoded query to stored binary codes.</summary>
/// <remarks><paramref name="queryCode"/> is the search context's code buffer, holding the query's words.</remarks>
public readonly struct BinaryQueryScorer(BinaryQuantizer quantizer, byte[] queryCode) : IQueryScorer
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Distance(int node) => quantizer.Distance(ref Unsafe.As<byte, ulong>(ref queryCode[0]), node);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int node) => quantizer.Prefetch(node);
}

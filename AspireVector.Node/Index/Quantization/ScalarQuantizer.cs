using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AspireVector.Node.Index.Hnsw;
using AspireVector.Node.Index.Storage;

namespace AspireVector.Node.Index.Quantization;

/// <summary>
/// Int8 scalar quantization as Qdrant's <c>quantization_config.scalar</c>: one range [offset, offset + 127·alpha]
/// for the whole collection, taken from the <c>quantile</c> of all stored values so rare outliers do not waste
/// resolution; each value becomes round((x - offset) / alpha) in [0, 127].
/// </summary>
/// <remarks>
/// Distances come from an integer dot product plus per-vector corrections precomputed at encode time:
/// for L2, |x-y|² = α²(Σqx² + Σqy² - 2Σqx·qy); for dot, x·y = α²Σqx·qy + αo(Σqx + Σqy) + d·o².
/// Codes are written before a node is linked into the graph, so concurrent searches only reach encoded nodes.
/// </remarks>
public sealed unsafe class ScalarQuantizer : VectorQuantizer
{
    private readonly ChunkedArray<byte> _codes;
    private readonly ChunkedArray<float> _corrections = new(1);

    public ScalarQuantizer(int dimension, bool euclidean, float offset, float alpha, float quantile, bool alwaysRam)
    {
        Dimension = dimension;
        Euclidean = euclidean;
        Offset = offset;
        Alpha = alpha > 0 ? alpha : 1e-12f;
        Quantile = quantile;
        AlwaysRam = alwaysRam;
        CodeLength = (dimension + 31) & ~31;
        _codes = new ChunkedArray<byte>(CodeLength);
    }

    public int Dimension { get; }

    /// <summary>True for the L2 form of the corrections, false for dot/cosine.</summary>
    public bool Euclidean { get; }

    public float Offset { get; }

    public float Alpha { get; }

    public float Quantile { get; }

    public bool AlwaysRam { get; }

    /// <summary>Bytes per code (dimension padded with zeros to a multiple of 32 for the SIMD loop).</summary>
    public override int CodeLength { get; }

    /// <summary>Bytes held by codes and corrections.</summary>
    public override long AllocatedBytes => _codes.AllocatedValues + _corrections.AllocatedValues * sizeof(float);

    /// <summary>Learns the range from the stored live vectors below <paramref name="rows"/>.</summary>
    public static ScalarQuantizer Train(AlignedChunkedBuffer<float> vectors, PointStates states, int rows, int dimension,
        bool euclidean, float quantile, bool alwaysRam)
    {
        // A bounded sample keeps training cheap on big segments; about a million values pin the quantiles well.
        const int SampleValues = 1 << 20;
        int live = 0;
        for (int i = 0; i < rows; i++) if (states.IsLive(i)) live++;
        int step = Math.Max(1, (int)((long)live * dimension / SampleValues));
        var sample = new List<float>(Math.Min(SampleValues + dimension, Math.Max(1, live * dimension)));
        int seen = 0;
        for (int i = 0; i < rows; i++)
        {
            if (!states.IsLive(i) || seen++ % step != 0) continue;
            sample.AddRange(new ReadOnlySpan<float>(vectors.Row(i), dimension));
        }
        float low = 0, high = 1;
        if (sample.Count > 0)
        {
            var values = CollectionsMarshal.AsSpan(sample);
            values.Sort();
            double tail = (1.0 - Math.Clamp(quantile, 0.5f, 1f)) / 2;
            low = values[(int)(tail * (values.Length - 1))];
            high = values[(int)Math.Ceiling((1 - tail) * (values.Length - 1))];
        }
        var quantizer = new ScalarQuantizer(dimension, euclidean, low, (high - low) / 127f, quantile, alwaysRam);
        for (int i = 0; i < rows; i++)
        {
            if (states.Get(i) != PointStates.Empty) quantizer.Store(i, vectors.Row(i));
        }
        return quantizer;
    }

    /// <summary>Encodes and stores the vector of <paramref name="node"/>.</summary>
    public override void Store(int node, float* vector)
    {
        _codes.EnsureCapacity(node + 1);
        _corrections.EnsureCapacity(node + 1);
        _corrections.Row(node)[0] = Encode(vector, _codes.Row(node));
    }

    /// <summary>Encodes <paramref name="vector"/> into <paramref name="code"/> and returns its correction term.</summary>
    public float Encode(float* vector, Span<byte> code)
    {
        float inverse = 1f / Alpha;
        long sum = 0, squares = 0;
        for (int i = 0; i < Dimension; i++)
        {
            int q = (int)MathF.Round((vector[i] - Offset) * inverse);
            q = Math.Clamp(q, 0, 127);
            code[i] = (byte)q;
            sum += q;
            squares += q * q;
        }
        code[Dimension..CodeLength].Clear();
        return Euclidean ? squares : Alpha * Offset * sum + Dimension * Offset * Offset / 2f;
    }

    /// <summary>Approximate internal distance (lower is closer) between a query code and a stored node.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Distance(ref byte queryCode, float queryCorrection, int node)
    {
        float dot = QuantizedDot.Compute(ref queryCode, ref _codes.RowRef(node), CodeLength);
        float correction = _corrections.RowRef(node);
        float alpha2 = Alpha * Alpha;
        return Euclidean
            ? alpha2 * (queryCorrection + correction - 2 * dot)
            : -(alpha2 * dot + queryCorrection + correction);
    }

    /// <summary>Prefetches the code and correction of <paramref name="node"/> (see <see cref="IQueryScorer.Prefetch"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int node)
    {
        // The codes are managed and may move in a GC between taking the address and the hint: harmless, a
        // prefetch never faults and at worst warms the wrong line.
        CachePrefetch.Lines(Unsafe.AsPointer(ref _codes.RowRef(node)), Dimension);
        CachePrefetch.Lines(Unsafe.AsPointer(ref _corrections.RowRef(node)), sizeof(float));
    }

    protected override QuantizationKind Kind => QuantizationKind.Scalar;

    /// <summary>Writes the parameters and codes of nodes below <paramref name="rows"/>.</summary>
    protected override void WriteBody(BinaryWriter writer, int rows)
    {
        writer.Write(Dimension);
        writer.Write(Euclidean);
        writer.Write(Offset);
        writer.Write(Alpha);
        writer.Write(Quantile);
        writer.Write(AlwaysRam);
        _codes.EnsureCapacity(rows);
        _corrections.EnsureCapacity(rows);
        for (int i = 0; i < rows; i++)
        {
            writer.Write(_codes.Row(i));
            writer.Write(_corrections.Row(i)[0]);
        }
    }

    /// <summary>Reads a quantizer written by <see cref="VectorQuantizer.WriteTo"/> (after the kind).</summary>
    public static new ScalarQuantizer ReadFrom(BinaryReader reader, int rows)
    {
        var quantizer = new ScalarQuantizer(reader.ReadInt32(), reader.ReadBoolean(), reader.ReadSingle(), reader.ReadSingle(),
            reader.ReadSingle(), reader.ReadBoolean());
        quantizer._codes.EnsureCapacity(rows);
        quantizer._corrections.EnsureCapacity(rows);
        for (int i = 0; i < rows; i++)
        {
            reader.BaseStream.ReadExactly(quantizer._codes.Row(i));
            quantizer._corrections.Row(i)[0] = reader.ReadSingle();
        }
        return quantizer;
    }
}

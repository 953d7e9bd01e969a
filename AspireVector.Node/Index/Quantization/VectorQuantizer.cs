namespace AspireVector.Node.Index.Quantization;

/// <summary>
/// Compressed codes kept next to an index's full-precision vectors: graph traversal scores codes, and the
/// candidates it keeps are rescored with the full vectors (Qdrant's <c>params.quantization</c>).
/// </summary>
public abstract unsafe class VectorQuantizer
{
    /// <summary>Bytes a query's code needs (see <see cref="Hnsw.SearchContext.CodeBuffer"/>).</summary>
    public abstract int CodeLength { get; }

    /// <summary>Bytes held by the codes.</summary>
    public abstract long AllocatedBytes { get; }

    /// <summary>Encodes and stores the vector of <paramref name="node"/>.</summary>
    public abstract void Store(int node, float* vector);

    /// <summary>Writes the kind, parameters and codes of nodes below <paramref name="rows"/>.</summary>
    public void WriteTo(BinaryWriter writer, int rows)
    {
        writer.Write((int)Kind);
        WriteBody(writer, rows);
    }

    /// <summary>Reads a quantizer written by <see cref="WriteTo"/>.</summary>
    public static VectorQuantizer ReadFrom(BinaryReader reader, int rows) => (QuantizationKind)reader.ReadInt32() switch
    {
        QuantizationKind.Scalar => ScalarQuantizer.ReadFrom(reader, rows),
        QuantizationKind.Binary => BinaryQuantizer.ReadFrom(reader, rows),
        QuantizationKind.Product => ProductQuantizer.ReadFrom(reader, rows),
        var kind => throw new InvalidDataException($"unknown quantization kind {kind}"),
    };

    /// <summary>Which codes these are.</summary>
    protected abstract QuantizationKind Kind { get; }

    /// <summary>Writes the parameters and codes (after the kind).</summary>
    protected abstract void WriteBody(BinaryWriter writer, int rows);
}

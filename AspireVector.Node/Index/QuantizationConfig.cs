namespace AspireVector.Node.Index;

/// <summary>The kind of compressed codes an index keeps next to its full-precision vectors.</summary>
public enum QuantizationKind
{
    /// <summary>Qdrant's <c>scalar</c> (<c>type: int8</c>): one byte per dimension.</summary>
    Scalar,

    /// <summary>Qdrant's <c>binary</c> (<c>encoding: one_bit</c>): the sign of each dimension, one bit.</summary>
    Binary,

    /// <summary>Qdrant's <c>product</c>: one byte (a learned centroid) per chunk of dimensions.</summary>
    Product,
}

/// <summary>A vector's resolved <c>quantization_config</c> as the index applies it.</summary>
public sealed record QuantizationConfig
{
    /// <summary>Scalar int8, binary or product codes.</summary>
    public QuantizationKind Kind { get; init; } = QuantizationKind.Scalar;

    /// <summary><c>scalar.quantile</c>: share of values the int8 range must cover (outliers beyond are clamped).</summary>
    public float Quantile { get; init; } = 1f;

    /// <summary><c>always_ram</c>: keep codes in RAM (they always are in this implementation).</summary>
    public bool AlwaysRam { get; init; }

    /// <summary><c>product.compression</c> as a ratio to float32 (4, 8, 16, 32 or 64).</summary>
    public int Compression { get; init; } = 16;

    /// <summary>
    /// Live vectors needed before int8 ranges or product centroids are learned (256 and <see cref="ProductTrainingVectors"/>
    /// by default); smaller segments search full precision. Binary codes need none.
    /// </summary>
    public int MinTrainingVectors { get; init; } = 256;

    /// <summary>Default <see cref="MinTrainingVectors"/> of product quantization: 16 samples per centroid.</summary>
    public const int ProductTrainingVectors = 4096;
}

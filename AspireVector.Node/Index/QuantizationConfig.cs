namespace AspireVector.Node.Index;

/// <summary>The kind of compressed codes an index keeps next to its full-precision vectors.</summary>
public enum QuantizationKind
{
    /// <summary>Qdrant's <c>scalar</c> (<c>type: int8</c>): one byte per dimension.</summary>
    Scalar,

    /// <summary>Qdrant's <c>binary</c> (<c>encoding: one_bit</c>): the sign of each dimension, one bit.</summary>
    Binary,
}

/// <summary>A vector's resolved <c>quantization_config</c> as the index applies it.</summary>
public sealed record QuantizationConfig
{
    /// <summary>Scalar int8 or binary codes.</summary>
    public QuantizationKind Kind { get; init; } = QuantizationKind.Scalar;

    /// <summary><c>scalar.quantile</c>: share of values the int8 range must cover (outliers beyond are clamped).</summary>
    public float Quantile { get; init; } = 1f;

    /// <summary><c>always_ram</c>: keep codes in RAM (they always are in this implementation).</summary>
    public bool AlwaysRam { get; init; }

    /// <summary>Live vectors needed before the int8 range is learned; smaller segments search full precision.</summary>
    public int MinTrainingVectors { get; init; } = 256;
}

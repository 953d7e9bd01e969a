namespace AspireVector.Node.Index;

/// <summary>A collection's <c>quantization_config.scalar</c> (only <c>type: int8</c> exists in Qdrant).</summary>
public sealed record ScalarQuantizationConfig
{
    /// <summary><c>quantile</c>: share of values the int8 range must cover (outliers beyond are clamped).</summary>
    public float Quantile { get; init; } = 1f;

    /// <summary><c>always_ram</c>: keep codes in RAM (they always are in this implementation).</summary>
    public bool AlwaysRam { get; init; }

    /// <summary>Live vectors needed before the range is learned; smaller segments search full precision.</summary>
    public int MinTrainingVectors { get; init; } = 256;
}

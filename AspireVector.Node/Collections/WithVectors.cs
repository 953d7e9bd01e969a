namespace AspireVector.Node.Collections;

/// <summary>
/// Which stored vectors a read returns (Qdrant's <c>with_vector(s)</c>): none, all, or the named ones. A bool converts
/// to none or all.
/// </summary>
/// <param name="Enabled">True when vectors are returned.</param>
/// <param name="Names">With <paramref name="Enabled"/>: the names returned, or null for every vector.</param>
public readonly record struct WithVectors(bool Enabled, IReadOnlyList<string>? Names = null)
{
    /// <summary>No vectors.</summary>
    public static WithVectors None => default;

    /// <summary>Every vector.</summary>
    public static WithVectors All => new(true);

    /// <summary><c>true</c>: every vector; <c>false</c>: none.</summary>
    public static implicit operator WithVectors(bool enabled) => new(enabled, null);
}

namespace AspireVector.Node.Index.Kernels;

/// <summary>
/// A distance function in "lower is closer" form, which is what the graph algorithms compare, plus the
/// conversion to the score Qdrant reports. Static abstract so generic search code is specialised per metric.
/// </summary>
public unsafe interface IDistanceKernel
{
    /// <summary>Internal distance between two vectors of <paramref name="dimension"/> floats; lower is closer.</summary>
    static abstract float Distance(float* a, float* b, int dimension);

    /// <summary>Converts an internal distance to the score reported to clients.</summary>
    static abstract float ToScore(float distance);
}

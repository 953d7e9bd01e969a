namespace AspireVector.Node.Index.Kernels;

/// <summary>Span-based entry points over the kernels for code that is not generic over the metric.</summary>
public static unsafe class DistanceKernels
{
    /// <summary>The internal (lower is closer) distance between <paramref name="a"/> and <paramref name="b"/>.</summary>
    public static float Distance(Distance distance, ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException("vectors differ in dimension");
        fixed (float* pa = a)
        fixed (float* pb = b)
        {
            return distance switch
            {
                Index.Distance.Cosine => CosineKernel.Distance(pa, pb, a.Length),
                Index.Distance.Dot => DotKernel.Distance(pa, pb, a.Length),
                Index.Distance.Euclid => EuclidKernel.Distance(pa, pb, a.Length),
                Index.Distance.Manhattan => ManhattanKernel.Distance(pa, pb, a.Length),
                _ => throw new ArgumentOutOfRangeException(nameof(distance)),
            };
        }
    }

    /// <summary>The score Qdrant reports for <paramref name="a"/> against <paramref name="b"/>.</summary>
    public static float Score(Distance distance, ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        ToScore(distance, Distance(distance, a, b));

    /// <summary>Converts an internal distance to the reported score.</summary>
    public static float ToScore(Distance distance, float internalDistance) => distance switch
    {
        Index.Distance.Cosine => CosineKernel.ToScore(internalDistance),
        Index.Distance.Dot => DotKernel.ToScore(internalDistance),
        Index.Distance.Euclid => EuclidKernel.ToScore(internalDistance),
        Index.Distance.Manhattan => ManhattanKernel.ToScore(internalDistance),
        _ => throw new ArgumentOutOfRangeException(nameof(distance)),
    };
}

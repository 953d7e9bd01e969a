namespace AspireVector.Node.Index.Kernels;

/// <summary>
/// Qdrant's <c>max_sim</c> comparator over multivectors (row-major matrices of rows of one dimension), in the
/// "lower is closer" form of <see cref="IDistanceKernel"/>: the sum over the query's rows of the smallest internal
/// distance to any of the stored rows. Its negation is Qdrant's score (sum of the best similarities), and
/// <see cref="IDistanceKernel.ToScore"/> of the metric gives what Qdrant reports (for Euclid the square root of the
/// summed squared distances, as Qdrant post-processes it).
/// </summary>
public static unsafe class MaxSimKernel
{
    /// <summary>
    /// The max_sim internal distance of <paramref name="query"/> against <paramref name="stored"/>, both matrices of
    /// rows of <paramref name="dimension"/> floats; two single rows give the metric's own distance.
    /// </summary>
    public static float Distance<TKernel>(float* query, int queryRows, float* stored, int storedRows, int dimension)
        where TKernel : struct, IDistanceKernel
    {
        float sum = 0;
        for (int q = 0; q < queryRows; q++)
        {
            float* row = query + (long)q * dimension;
            float best = float.PositiveInfinity;
            for (int s = 0; s < storedRows; s++)
            {
                float d = TKernel.Distance(row, stored + (long)s * dimension, dimension);
                if (d < best) best = d;
            }

            sum += best;
        }

        return sum;
    }

    /// <summary>
    /// The max_sim internal distance for a metric chosen at run time (<paramref name="a"/> and <paramref name="b"/>
    /// hold whole rows of <paramref name="dimension"/>).
    /// </summary>
    public static float Distance(Distance distance, ReadOnlySpan<float> a, ReadOnlySpan<float> b, int dimension)
    {
        if (dimension <= 0 || a.Length == 0 || b.Length == 0 || a.Length % dimension != 0 || b.Length % dimension != 0)
            throw new ArgumentException($"multivectors must hold whole rows of {dimension}");
        fixed (float* pa = a)
        fixed (float* pb = b)
        {
            int ra = a.Length / dimension, rb = b.Length / dimension;
            return distance switch
            {
                Index.Distance.Cosine => Distance<CosineKernel>(pa, ra, pb, rb, dimension),
                Index.Distance.Dot => Distance<DotKernel>(pa, ra, pb, rb, dimension),
                Index.Distance.Euclid => Distance<EuclidKernel>(pa, ra, pb, rb, dimension),
                Index.Distance.Manhattan => Distance<ManhattanKernel>(pa, ra, pb, rb, dimension),
                _ => throw new ArgumentOutOfRangeException(nameof(distance)),
            };
        }
    }
}

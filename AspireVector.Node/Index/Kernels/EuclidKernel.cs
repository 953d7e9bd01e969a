using System.Runtime.CompilerServices;

namespace AspireVector.Node.Index.Kernels;

/// <summary>
/// Euclidean distance. Internally squared (monotone, so rankings are the same and the sqrt is skipped in the
/// hot loop); the square root is taken only when a score is reported.
/// </summary>
public readonly unsafe struct EuclidKernel : IDistanceKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Distance(float* a, float* b, int dimension) => SimdAccumulator.Sum<SquaredDifferenceLanes>(a, b, dimension);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToScore(float distance) => MathF.Sqrt(distance);
}

using System.Runtime.CompilerServices;

namespace AspireVector.Node.Index.Kernels;

/// <summary>Dot product similarity; the internal distance is its negation so that lower is closer.</summary>
public readonly unsafe struct DotKernel : IDistanceKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Distance(float* a, float* b, int dimension) => -SimdAccumulator.Sum<DotLanes>(a, b, dimension);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToScore(float distance) => -distance;
}

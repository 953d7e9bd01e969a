using System.Runtime.CompilerServices;

namespace AspireVector.Node.Index.Kernels;

/// <summary>Manhattan (L1) distance.</summary>
public readonly unsafe struct ManhattanKernel : IDistanceKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Distance(float* a, float* b, int dimension) => SimdAccumulator.Sum<AbsoluteDifferenceLanes>(a, b, dimension);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToScore(float distance) => distance;
}

using System.Runtime.CompilerServices;

namespace AspireVector.Node.Index.Kernels;

/// <summary>
/// Cosine similarity. Vectors are normalised on write (and queries before search), so this is the dot product;
/// a separate type keeps the metric explicit in generic instantiations and benchmarks.
/// </summary>
public readonly unsafe struct CosineKernel : IDistanceKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Distance(float* a, float* b, int dimension) => -SimdAccumulator.Sum<DotLanes>(a, b, dimension);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToScore(float distance) => -distance;
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AspireVector.Node.Index.Kernels;

/// <summary>Accumulates |a-b|, the terms of the Manhattan distance.</summary>
public readonly struct AbsoluteDifferenceLanes : ILaneOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Step(Vector512<float> accumulator, Vector512<float> a, Vector512<float> b) =>
        accumulator + Vector512.Abs(a - b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Step(Vector256<float> accumulator, Vector256<float> a, Vector256<float> b) =>
        accumulator + Vector256.Abs(a - b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Step(Vector128<float> accumulator, Vector128<float> a, Vector128<float> b) =>
        accumulator + Vector128.Abs(a - b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Step(float accumulator, float a, float b) => accumulator + MathF.Abs(a - b);
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AspireVector.Node.Index.Kernels;

/// <summary>Accumulates (a-b)², the terms of the squared Euclidean distance.</summary>
public readonly struct SquaredDifferenceLanes : ILaneOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Step(Vector512<float> accumulator, Vector512<float> a, Vector512<float> b)
    {
        var d = a - b;
        return Vector512.MultiplyAddEstimate(d, d, accumulator);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Step(Vector256<float> accumulator, Vector256<float> a, Vector256<float> b)
    {
        var d = a - b;
        return Vector256.MultiplyAddEstimate(d, d, accumulator);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Step(Vector128<float> accumulator, Vector128<float> a, Vector128<float> b)
    {
        var d = a - b;
        return Vector128.MultiplyAddEstimate(d, d, accumulator);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Step(float accumulator, float a, float b)
    {
        float d = a - b;
        return accumulator + d * d;
    }
}

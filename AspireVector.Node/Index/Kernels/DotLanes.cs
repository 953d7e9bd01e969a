using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AspireVector.Node.Index.Kernels;

/// <summary>Accumulates a·b (fused multiply-add where the CPU has it).</summary>
public readonly struct DotLanes : ILaneOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Step(Vector512<float> accumulator, Vector512<float> a, Vector512<float> b) =>
        Vector512.MultiplyAddEstimate(a, b, accumulator);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Step(Vector256<float> accumulator, Vector256<float> a, Vector256<float> b) =>
        Vector256.MultiplyAddEstimate(a, b, accumulator);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Step(Vector128<float> accumulator, Vector128<float> a, Vector128<float> b) =>
        Vector128.MultiplyAddEstimate(a, b, accumulator);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Step(float accumulator, float a, float b) => accumulator + a * b;
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AspireVector.Node.Index.Kernels;

/// <summary>
/// The single reduction loop behind every float distance kernel: widest available vectors first
/// (Vector512, then Vector256, then Vector128), a scalar tail, and several independent accumulators so the
/// FMA latency chain does not bound throughput.
/// </summary>
public static unsafe class SimdAccumulator
{
    /// <summary>Sums <typeparamref name="TOperator"/> over <paramref name="length"/> lanes of two vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum<TOperator>(float* a, float* b, int length) where TOperator : ILaneOperator
    {
        int i = 0;
        float sum = 0;
        if (Vector512.IsHardwareAccelerated && length >= Vector512<float>.Count)
        {
            var acc0 = Vector512<float>.Zero;
            var acc1 = Vector512<float>.Zero;
            for (; i + 32 <= length; i += 32)
            {
                acc0 = TOperator.Step(acc0, Vector512.Load(a + i), Vector512.Load(b + i));
                acc1 = TOperator.Step(acc1, Vector512.Load(a + i + 16), Vector512.Load(b + i + 16));
            }
            for (; i + 16 <= length; i += 16) acc0 = TOperator.Step(acc0, Vector512.Load(a + i), Vector512.Load(b + i));
            sum = Vector512.Sum(acc0 + acc1);
        }
        else if (Vector256.IsHardwareAccelerated && length >= Vector256<float>.Count)
        {
            var acc0 = Vector256<float>.Zero;
            var acc1 = Vector256<float>.Zero;
            var acc2 = Vector256<float>.Zero;
            var acc3 = Vector256<float>.Zero;
            for (; i + 32 <= length; i += 32)
            {
                acc0 = TOperator.Step(acc0, Vector256.Load(a + i), Vector256.Load(b + i));
                acc1 = TOperator.Step(acc1, Vector256.Load(a + i + 8), Vector256.Load(b + i + 8));
                acc2 = TOperator.Step(acc2, Vector256.Load(a + i + 16), Vector256.Load(b + i + 16));
                acc3 = TOperator.Step(acc3, Vector256.Load(a + i + 24), Vector256.Load(b + i + 24));
            }
            for (; i + 8 <= length; i += 8) acc0 = TOperator.Step(acc0, Vector256.Load(a + i), Vector256.Load(b + i));
            sum = Vector256.Sum((acc0 + acc1) + (acc2 + acc3));
        }
        else if (Vector128.IsHardwareAccelerated && length >= Vector128<float>.Count)
        {
            var acc0 = Vector128<float>.Zero;
            var acc1 = Vector128<float>.Zero;
            for (; i + 8 <= length; i += 8)
            {
                acc0 = TOperator.Step(acc0, Vector128.Load(a + i), Vector128.Load(b + i));
                acc1 = TOperator.Step(acc1, Vector128.Load(a + i + 4), Vector128.Load(b + i + 4));
            }
            for (; i + 4 <= length; i += 4) acc0 = TOperator.Step(acc0, Vector128.Load(a + i), Vector128.Load(b + i));
            sum = Vector128.Sum(acc0 + acc1);
        }
        for (; i < length; i++) sum = TOperator.Step(sum, a[i], b[i]);
        return sum;
    }
}

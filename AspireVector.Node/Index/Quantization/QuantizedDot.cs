using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AspireVector.Node.Index.Quantization;

/// <summary>
/// Integer dot product of two int8 codes whose values lie in [0, 127]. With both operands below 128 the
/// unsigned×signed byte multiply-add (vpmaddubsw) cannot saturate: a pair sums to at most 2·127² &lt; 2^15.
/// </summary>
public static class QuantizedDot
{
    /// <summary>Σ a[i]·b[i] over <paramref name="length"/> bytes (a multiple of 32 on the SIMD path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Compute(ref byte a, ref byte b, int length)
    {
        int i = 0;
        int sum = 0;
        if (AvxVnni.IsSupported)
        {
            // vpdpbusd does the u8·s8 multiply, the pairwise adds and the accumulation in one instruction, where
            // the AVX2 path below needs three (see the kernels benchmark, Int8Dot).
            var acc0 = Vector256<int>.Zero;
            var acc1 = Vector256<int>.Zero;
            for (; i + 64 <= length; i += 64)
            {
                acc0 = AvxVnni.MultiplyWideningAndAdd(acc0, Vector256.LoadUnsafe(ref a, (nuint)i), Vector256.LoadUnsafe(ref b, (nuint)i).AsSByte());
                acc1 = AvxVnni.MultiplyWideningAndAdd(acc1, Vector256.LoadUnsafe(ref a, (nuint)(i + 32)), Vector256.LoadUnsafe(ref b, (nuint)(i + 32)).AsSByte());
            }
            for (; i + 32 <= length; i += 32)
                acc0 = AvxVnni.MultiplyWideningAndAdd(acc0, Vector256.LoadUnsafe(ref a, (nuint)i), Vector256.LoadUnsafe(ref b, (nuint)i).AsSByte());
            sum = Vector256.Sum(acc0 + acc1);
        }
        else if (Avx2.IsSupported)
        {
            var ones = Vector256.Create((short)1);
            var acc0 = Vector256<int>.Zero;
            var acc1 = Vector256<int>.Zero;
            for (; i + 64 <= length; i += 64)
            {
                var p0 = Avx2.MultiplyAddAdjacent(Vector256.LoadUnsafe(ref a, (nuint)i), Vector256.LoadUnsafe(ref b, (nuint)i).AsSByte());
                var p1 = Avx2.MultiplyAddAdjacent(Vector256.LoadUnsafe(ref a, (nuint)(i + 32)), Vector256.LoadUnsafe(ref b, (nuint)(i + 32)).AsSByte());
                acc0 = Avx2.Add(acc0, Avx2.MultiplyAddAdjacent(p0, ones));
                acc1 = Avx2.Add(acc1, Avx2.MultiplyAddAdjacent(p1, ones));
            }
            for (; i + 32 <= length; i += 32)
            {
                var p = Avx2.MultiplyAddAdjacent(Vector256.LoadUnsafe(ref a, (nuint)i), Vector256.LoadUnsafe(ref b, (nuint)i).AsSByte());
                acc0 = Avx2.Add(acc0, Avx2.MultiplyAddAdjacent(p, ones));
            }
            sum = Vector256.Sum(acc0 + acc1);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            var acc = Vector128<int>.Zero;
            for (; i + 16 <= length; i += 16)
            {
                var (aLow, aHigh) = Vector128.Widen(Vector128.LoadUnsafe(ref a, (nuint)i));
                var (bLow, bHigh) = Vector128.Widen(Vector128.LoadUnsafe(ref b, (nuint)i));
                var low = (aLow * bLow).AsInt16();
                var high = (aHigh * bHigh).AsInt16();
                var (l0, l1) = Vector128.Widen(low);
                var (h0, h1) = Vector128.Widen(high);
                acc += (l0 + l1) + (h0 + h1);
            }
            sum = Vector128.Sum(acc);
        }
        for (; i < length; i++) sum += Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i);
        return sum;
    }
}

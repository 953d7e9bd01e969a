using System.Runtime.Intrinsics;

namespace AspireVector.Node.Index.Kernels;

/// <summary>
/// One accumulation step of a distance kernel at every vector width. Implemented by readonly structs so that
/// <see cref="SimdAccumulator.Sum{TOperator}"/> is specialised per operator by the JIT (no virtual calls).
/// </summary>
public interface ILaneOperator
{
    /// <summary>Folds lanes of <paramref name="a"/> and <paramref name="b"/> into <paramref name="accumulator"/>.</summary>
    static abstract Vector512<float> Step(Vector512<float> accumulator, Vector512<float> a, Vector512<float> b);

    /// <summary>Folds lanes of <paramref name="a"/> and <paramref name="b"/> into <paramref name="accumulator"/>.</summary>
    static abstract Vector256<float> Step(Vector256<float> accumulator, Vector256<float> a, Vector256<float> b);

    /// <summary>Folds lanes of <paramref name="a"/> and <paramref name="b"/> into <paramref name="accumulator"/>.</summary>
    static abstract Vector128<float> Step(Vector128<float> accumulator, Vector128<float> a, Vector128<float> b);

    /// <summary>Scalar step used for the tail and on hardware without SIMD.</summary>
    static abstract float Step(float accumulator, float a, float b);
}

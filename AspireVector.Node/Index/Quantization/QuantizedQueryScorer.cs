using System.Runtime.CompilerServices;
using AspireVector.Node.Index.Hnsw;

namespace AspireVector.Node.Index.Quantization;

/// <summary>Approximate distances from an encoded query to stored int8 codes.</summary>
public readonly struct QuantizedQueryScorer(ScalarQuantizer quantizer, byte[] queryCode, float queryCorrection) : IQueryScorer
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Distance(int node) => quantizer.Distance(ref queryCode[0], queryCorrection, node);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int node) => quantizer.Prefetch(node);
}

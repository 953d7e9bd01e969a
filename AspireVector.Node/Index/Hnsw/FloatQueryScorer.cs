using System.Runtime.CompilerServices;
using AspireVector.Node.Index.Kernels;
using AspireVector.Node.Index.Storage;

namespace AspireVector.Node.Index.Hnsw;

/// <summary>Full-precision distances from a pinned query to stored vectors.</summary>
public readonly unsafe struct FloatQueryScorer<TKernel>(float* query, AlignedChunkedBuffer<float> vectors, int dimension) : IQueryScorer
    where TKernel : IDistanceKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Distance(int node) => TKernel.Distance(query, vectors.Row(node), dimension);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int node) => CachePrefetch.Lines(vectors.Row(node), dimension * sizeof(float));
}

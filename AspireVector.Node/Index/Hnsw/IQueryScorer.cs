namespace AspireVector.Node.Index.Hnsw;

/// <summary>
/// Distance from one fixed query to any stored node, lower is closer. Structs implement it (full-precision or
/// quantized) so graph traversal is compiled once per scorer with the distance call inlined.
/// </summary>
public interface IQueryScorer
{
    float Distance(int node);

    /// <summary>
    /// Hints that <see cref="Distance"/> of <paramref name="node"/> follows shortly. Traversal reads vectors at
    /// random, so without it every distance waits on memory; issued a few nodes ahead, the loads overlap.
    /// </summary>
    void Prefetch(int node);
}

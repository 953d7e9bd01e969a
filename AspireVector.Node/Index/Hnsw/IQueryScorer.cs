namespace AspireVector.Node.Index.Hnsw;

/// <summary>
/// Distance from one fixed query to any stored node, lower is closer. Structs implement it (full-precision or
/// quantized) so graph traversal is compiled once per scorer with the distance call inlined.
/// </summary>
public interface IQueryScorer
{
    float Distance(int node);
}

namespace AspireVector.Node.Index.Hnsw;

/// <summary>
/// Decides whether a node reached by the traversal may be returned. Rejected nodes are still expanded
/// (tombstones and filtered-out points keep the graph navigable). Structs, so the check is inlined per case.
/// </summary>
public interface INodeAcceptor
{
    bool Accept(int node);
}

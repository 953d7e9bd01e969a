namespace AspireVector.Node.Index.Hnsw;

/// <summary>Accepts nodes that are not tombstoned.</summary>
public readonly struct AcceptLive(PointStates states) : INodeAcceptor
{
    public bool Accept(int node) => states.IsLive(node);
}

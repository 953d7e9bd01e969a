namespace AspireVector.Node.Index.Hnsw;

/// <summary>Accepts every node: index construction and searches over a segment without deletions.</summary>
public readonly struct AcceptAll : INodeAcceptor
{
    public bool Accept(int node) => true;
}

namespace AspireVector.Node.Index.Hnsw;

/// <summary>Accepts live nodes that pass a payload filter.</summary>
public readonly struct AcceptFiltered(PointStates states, PointFilter filter) : INodeAcceptor
{
    public bool Accept(int node) => states.IsLive(node) && filter.Matches(node);
}

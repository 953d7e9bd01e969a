namespace AspireVector.Node.P2P;

/// <summary>Every peer of the cluster (id to P2P uri) and the id of its first peer.</summary>
public sealed record KnownPeers(IReadOnlyDictionary<ulong, string> Peers, ulong FirstPeerId);

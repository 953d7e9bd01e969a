namespace AspireVector.AppHost.Orchestration;

/// <summary>What one node's <c>GET /cluster</c> said: its peer id, how many peers it knows and who leads.</summary>
public sealed record ClusterView(ulong PeerId, int PeerCount, ulong? Leader, ulong Term);

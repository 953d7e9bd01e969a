using AspireVector.Dashboard.Configuration;

namespace AspireVector.Dashboard.Api;

/// <summary>Whether a configured node answered its latest request.</summary>
/// <param name="Node">The node.</param>
/// <param name="Reachable">False after a transport failure or timeout; null before the first request.</param>
/// <param name="LastError">Failure text of the latest unreachable attempt.</param>
/// <param name="CheckedAt">When the latest attempt finished.</param>
/// <param name="PeerId">Peer id the node reported last time it answered <c>GET /cluster</c>.</param>
public sealed record NodeReachability(NodeEndpoint Node, bool? Reachable, string? LastError, DateTimeOffset? CheckedAt, ulong? PeerId);

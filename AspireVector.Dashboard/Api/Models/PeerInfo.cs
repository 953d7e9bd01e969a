namespace AspireVector.Dashboard.Api.Models;

/// <summary>A peer of the cluster as listed in <c>GET /cluster</c>.</summary>
public sealed record PeerInfo
{
    /// <summary>The peer's P2P uri (e.g. <c>http://node-1:6335/</c>).</summary>
    public string Uri { get; init; } = "";
}

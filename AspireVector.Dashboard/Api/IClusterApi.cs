using AspireVector.Dashboard.Api.Models;
using AspireVector.Dashboard.Configuration;

namespace AspireVector.Dashboard.Api;

/// <summary>
/// The dashboard's view of the nodes' public REST API. Calls without a node fail over across the
/// configured nodes; <c>...FromEachNode</c> calls ask every node and report each answer or failure.
/// </summary>
/// <remarks>Implementations are shared by every browser circuit and must be thread-safe.</remarks>
public interface IClusterApi
{
    /// <summary>Configured nodes in failover order.</summary>
    IReadOnlyList<NodeEndpoint> Nodes { get; }

    /// <summary>Latest known reachability of every configured node.</summary>
    IReadOnlyList<NodeReachability> Reachability { get; }

    /// <summary><c>GET /cluster</c> on every node at once.</summary>
    Task<IReadOnlyList<NodeAnswer<ClusterStatus>>> GetClusterFromEachNodeAsync(CancellationToken cancellationToken);

    /// <summary><c>GET /collections</c>: collection names.</summary>
    Task<IReadOnlyList<string>> ListCollectionsAsync(CancellationToken cancellationToken);

    /// <summary><c>GET /collections/{name}</c>.</summary>
    Task<CollectionSummary> GetCollectionAsync(string collection, CancellationToken cancellationToken);

    /// <summary><c>GET /collections/{name}/cluster</c> on every node at once (each reports its local replicas).</summary>
    Task<IReadOnlyList<NodeAnswer<CollectionClusterInfo>>> GetCollectionClusterFromEachNodeAsync(string collection, CancellationToken cancellationToken);

    /// <summary><c>POST /collections/{name}/cluster</c> with one operation; returns the API's result text.</summary>
    Task<string> UpdateCollectionClusterAsync(string collection, ClusterOperation operation, CancellationToken cancellationToken);

    /// <summary><c>DELETE /cluster/peer/{id}?force=</c>; returns the API's result text.</summary>
    Task<string> RemovePeerAsync(ulong peerId, bool force, CancellationToken cancellationToken);

    /// <summary><c>PUT /collections/{name}</c>; returns the API's result text.</summary>
    Task<string> CreateCollectionAsync(string collection, CreateCollectionRequest request, CancellationToken cancellationToken);

    /// <summary><c>DELETE /collections/{name}</c>; returns the API's result text.</summary>
    Task<string> DeleteCollectionAsync(string collection, CancellationToken cancellationToken);

    /// <summary><c>POST /collections/{name}/points/search</c> with payloads.</summary>
    Task<IReadOnlyList<ScoredPoint>> SearchAsync(string collection, IReadOnlyList<float> vector, int limit, CancellationToken cancellationToken);
}

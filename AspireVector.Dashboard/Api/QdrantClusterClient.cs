using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Dashboard.Api.Models;
using AspireVector.Dashboard.Configuration;
using Microsoft.Extensions.Options;

namespace AspireVector.Dashboard.Api;

/// <summary>
/// Typed client of the nodes' public REST API (Qdrant's shapes). Single-node calls go to the node
/// that answered last and fail over in configured order; every call updates that node's reachability.
/// </summary>
/// <remarks>Registered as a singleton: reachability is shared by every circuit. Thread-safe.</remarks>
public sealed partial class QdrantClusterClient : IClusterApi
{
    /// <summary>Name of the <see cref="HttpClient"/> registered for node calls.</summary>
    public const string HttpClientName = "aspirevector-nodes";

    private readonly IHttpClientFactory _httpClients;
    private readonly DashboardOptions _options;
    private readonly TimeProvider _time;
    private readonly NodeEndpoint[] _nodes;
    private readonly NodeReachability[] _reachability;
    private int _preferred;

    /// <summary>Creates the client for the resolved nodes.</summary>
    public QdrantClusterClient(IHttpClientFactory httpClients, IOptions<DashboardOptions> options, IReadOnlyList<NodeEndpoint> nodes, TimeProvider time)
    {
        _httpClients = httpClients;
        _options = options.Value;
        _time = time;
        _nodes = [.. nodes];
        _reachability = [.. _nodes.Select(n => new NodeReachability(n, null, null, null, null))];
    }

    /// <inheritdoc />
    public IReadOnlyList<NodeEndpoint> Nodes => _nodes;

    /// <inheritdoc />
    public IReadOnlyList<NodeReachability> Reachability
    {
        get
        {
            lock (_reachability)
            {
                return [.. _reachability];
            }
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<NodeAnswer<ClusterStatus>>> GetClusterFromEachNodeAsync(CancellationToken cancellationToken)
    {
        var answers = await FanOutAsync<ClusterStatus>(HttpMethod.Get, "cluster", cancellationToken);
        foreach (var answer in answers)
        {
            if (answer.Value is { } status)
            {
                RememberPeerId(answer.Node, status.PeerId);
            }
        }

        return answers;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListCollectionsAsync(CancellationToken cancellationToken)
    {
        var result = await FailoverAsync(HttpMethod.Get, "collections", null, cancellationToken);
        var names = new List<string>();
        if (result.TryGetProperty("collections", out var collections) && collections.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in collections.EnumerateArray())
            {
                if (item.TryGetProperty("name", out var name) && name.GetString() is { } text)
                {
                    names.Add(text);
                }
            }
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <inheritdoc />
    public async Task<CollectionSummary> GetCollectionAsync(string collection, CancellationToken cancellationToken)
    {
        var result = await FailoverAsync(HttpMethod.Get, CollectionPath(collection), null, cancellationToken);
        return Deserialize<CollectionSummary>(result);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<NodeAnswer<CollectionClusterInfo>>> GetCollectionClusterFromEachNodeAsync(string collection, CancellationToken cancellationToken) =>
        FanOutAsync<CollectionClusterInfo>(HttpMethod.Get, CollectionPath(collection) + "/cluster", cancellationToken);

    /// <inheritdoc />
    public async Task<string> UpdateCollectionClusterAsync(string collection, ClusterOperation operation, CancellationToken cancellationToken)
    {
        var result = await FailoverAsync(HttpMethod.Post, CollectionPath(collection) + "/cluster", operation.ToRequestBody(), cancellationToken, change: true);
        return result.GetRawText();
    }

    /// <inheritdoc />
    public async Task<string> RemovePeerAsync(ulong peerId, bool force, CancellationToken cancellationToken)
    {
        // Not through the peer being removed: it leaves Raft half-way through its own removal and answers 503.
        var path = $"cluster/peer/{peerId}" + (force ? "?force=true" : "");
        var result = await FailoverAsync(HttpMethod.Delete, path, null, cancellationToken, lastResortPeer: peerId, change: true);
        return result.GetRawText();
    }

    /// <inheritdoc />
    public async Task<string> CreateCollectionAsync(string collection, CreateCollectionRequest request, CancellationToken cancellationToken)
    {
        var result = await FailoverAsync(HttpMethod.Put, CollectionPath(collection), request.ToRequestBody(), cancellationToken, change: true);
        return result.GetRawText();
    }

    /// <inheritdoc />
    public async Task<string> DeleteCollectionAsync(string collection, CancellationToken cancellationToken)
    {
        var result = await FailoverAsync(HttpMethod.Delete, CollectionPath(collection), null, cancellationToken, change: true);
        return result.GetRawText();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ScoredPoint>> SearchAsync(string collection, IReadOnlyList<float> vector, int limit, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["vector"] = new JsonArray([.. vector.Select(v => (JsonNode?)JsonValue.Create(v))]),
            ["limit"] = limit,
            ["with_payload"] = true,
        };
        var result = await FailoverAsync(HttpMethod.Post, CollectionPath(collection) + "/points/search", body, cancellationToken);
        return Deserialize<List<ScoredPoint>>(result);
    }

    private static string CollectionPath(string collection) => "collections/" + Uri.EscapeDataString(collection);

    private void RememberPeerId(NodeEndpoint node, ulong peerId)
    {
        lock (_reachability)
        {
            var index = Array.IndexOf(_nodes, node);
            if (index >= 0)
            {
                _reachability[index] = _reachability[index] with { PeerId = peerId };
            }
        }
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Dashboard.Api;
using AspireVector.Dashboard.Api.Models;
using AspireVector.Dashboard.Configuration;

namespace AspireVector.Tests.Dashboard.Fakes;

/// <summary>
/// An in-process <see cref="IClusterApi"/> over a <see cref="FakeClusterState"/> (no HTTP), for component
/// tests. Nodes listed in <see cref="Down"/> behave as unreachable.
/// </summary>
public sealed class FakeClusterApi : IClusterApi
{
    private readonly FakeClusterState? _state;
    private readonly NodeEndpoint[] _nodes;

    /// <summary>An API with no node at all.</summary>
    public FakeClusterApi()
    {
        _nodes = [];
    }

    /// <summary>An API with one node per peer of <paramref name="state"/>.</summary>
    public FakeClusterApi(FakeClusterState state)
    {
        _state = state;
        _nodes = [.. state.PeerIds.Select((_, i) => new NodeEndpoint($"node-{i}", new Uri($"http://node-{i}.fake:6333/")))];
        NodePeers = [.. state.PeerIds];
    }

    /// <summary>Indexes of nodes that do not answer.</summary>
    public HashSet<int> Down { get; } = [];

    /// <summary>Peer id behind each node.</summary>
    public List<ulong> NodePeers { get; } = [];

    /// <summary>Calls made, in words.</summary>
    public List<string> Calls { get; } = [];

    /// <inheritdoc />
    public IReadOnlyList<NodeEndpoint> Nodes => _nodes;

    /// <inheritdoc />
    public IReadOnlyList<NodeReachability> Reachability =>
        [.. _nodes.Select((n, i) => new NodeReachability(n, !Down.Contains(i), Down.Contains(i) ? "Connection refused" : null, DateTimeOffset.UnixEpoch, NodePeers[i]))];

    /// <inheritdoc />
    public Task<IReadOnlyList<NodeAnswer<ClusterStatus>>> GetClusterFromEachNodeAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<NodeAnswer<ClusterStatus>>>([.. _nodes.Select((n, i) => Answer(n, i, () => _state!.ClusterStatus(NodePeers[i]), Convert<ClusterStatus>))]);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListCollectionsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([.. First(() => _state!.ListCollections())["collections"]!.AsArray().Select(c => c!["name"]!.GetValue<string>())]);

    /// <inheritdoc />
    public Task<CollectionSummary> GetCollectionAsync(string collection, CancellationToken cancellationToken) =>
        Task.FromResult(Convert<CollectionSummary>(First(() => _state!.CollectionInfo(collection))));

    /// <inheritdoc />
    public Task<IReadOnlyList<NodeAnswer<CollectionClusterInfo>>> GetCollectionClusterFromEachNodeAsync(string collection, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<NodeAnswer<CollectionClusterInfo>>>([.. _nodes.Select((n, i) => Answer(n, i, () => _state!.CollectionCluster(collection, NodePeers[i]), Convert<CollectionClusterInfo>))]);

    /// <inheritdoc />
    public Task<string> UpdateCollectionClusterAsync(string collection, ClusterOperation operation, CancellationToken cancellationToken)
    {
        Calls.Add($"{operation.WireName} {collection}");
        return Task.FromResult(Run(() => _state!.ApplyOperation(collection, operation.ToRequestBody())));
    }

    /// <inheritdoc />
    public Task<string> RemovePeerAsync(ulong peerId, bool force, CancellationToken cancellationToken)
    {
        Calls.Add($"remove {peerId} force={force}");
        return Task.FromResult(Run(() => _state!.RemovePeer(peerId, force)));
    }

    /// <inheritdoc />
    public Task<string> CreateCollectionAsync(string collection, CreateCollectionRequest request, CancellationToken cancellationToken)
    {
        Calls.Add($"create {collection}");
        return Task.FromResult(Run(() => _state!.CreateCollection(collection, request.ToRequestBody())));
    }

    /// <inheritdoc />
    public Task<string> DeleteCollectionAsync(string collection, CancellationToken cancellationToken)
    {
        Calls.Add($"delete {collection}");
        return Task.FromResult(Run(() => _state!.DeleteCollection(collection)));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ScoredPoint>> SearchAsync(string collection, IReadOnlyList<float> vector, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ScoredPoint>>([]);

    private static T Convert<T>(JsonNode node) => node.Deserialize<T>(QdrantClusterClient.JsonOptions)!;

    private NodeAnswer<T> Answer<T>(NodeEndpoint node, int index, Func<JsonNode> read, Func<JsonNode, T> convert)
        where T : class
    {
        if (Down.Contains(index))
        {
            return new NodeAnswer<T>(node, null, "Connection refused", false);
        }

        try
        {
            return new NodeAnswer<T>(node, convert(read()), null, true);
        }
        catch (FakeApiError ex)
        {
            return new NodeAnswer<T>(node, null, ex.Message, true);
        }
    }

    private JsonNode First(Func<JsonNode> read)
    {
        if (_state is null || Down.Count == _nodes.Length)
        {
            throw new ClusterApiException("No configured node answered.");
        }

        try
        {
            return read();
        }
        catch (FakeApiError ex)
        {
            throw new ClusterApiException(ex.Message, (System.Net.HttpStatusCode)ex.Status);
        }
    }

    private string Run(Action action)
    {
        First(() =>
        {
            action();
            return JsonValue.Create(true);
        });
        return "true";
    }
}

using System.Text.Json;
using AspireVector.Node.Collections;
using AspireVector.Node.Sharding;

namespace AspireVector.Node.Cluster;

public sealed partial class ClusterCollections
{
    /// <inheritdoc />
    /// <remarks>
    /// The placement is decided here, as for a new collection (least loaded peers first, among <c>placement</c> when
    /// given), and proposed with the key: every peer applies the same shards, and opens its own replicas of them.
    /// </remarks>
    public async Task CreateShardKeyAsync(string name, CreateShardKeyRequest request, CancellationToken cancellationToken)
    {
        var state = _node.Metadata.Current;
        if (!state.Collections.TryGetValue(name, out var c)) throw CollectionException.NotFound(name);
        CollectionConfig config;
        using (var doc = JsonDocument.Parse(c.Config)) config = CollectionConfig.FromCreateRequest(doc.RootElement);
        request.Validate(config, name);

        IReadOnlyList<ulong> pool = state.Peers.Keys.ToList();
        if (request.Placement is { Count: > 0 } placement)
        {
            var unknown = placement.Where(p => !state.Peers.ContainsKey(p)).ToList();
            if (unknown.Count > 0)
                throw new CollectionException(400, $"Bad request: Shard Key {request.Key} placement contains unknown peers: [{string.Join(", ", unknown)}]");
            pool = placement.Distinct().ToList();
        }

        if (pool.Count == 0) throw new CollectionException(503, "Service unavailable: the cluster has no peers yet");
        var ids = request.NewShardIds(config);
        var plan = ShardPlacement.Plan(ids.Length, request.ReplicationFactor ?? config.ReplicationFactor, pool, ReplicaLoad(state));
        var shards = new SortedDictionary<uint, SortedDictionary<ulong, ReplicaState>>();
        for (int i = 0; i < ids.Length; i++)
        {
            var replicas = new SortedDictionary<ulong, ReplicaState>();
            foreach (var peer in plan[(uint)i]) replicas[peer] = request.InitialState ?? ReplicaState.Active;
            shards[ids[i]] = replicas;
        }

        await _node.ProposeAndSyncAsync(new CreateShardKeyCommand(name, request.Key.ToJson(), shards), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DropShardKeyAsync(string name, ShardKey key, CancellationToken cancellationToken)
    {
        var state = _node.Metadata.Current;
        if (!state.Collections.TryGetValue(name, out var c)) throw CollectionException.NotFound(name);
        using (var doc = JsonDocument.Parse(c.Config))
        {
            var config = CollectionConfig.FromCreateRequest(doc.RootElement);
            if (!config.IsCustomSharding) throw CreateShardKeyRequest.AutoSharded(key, create: false);
            if (config.ShardsOf(key) is null) throw CreateShardKeyRequest.Missing(key, name);
        }

        await _node.ProposeAndSyncAsync(new DropShardKeyCommand(name, key.ToJson()), cancellationToken).ConfigureAwait(false);
    }
}

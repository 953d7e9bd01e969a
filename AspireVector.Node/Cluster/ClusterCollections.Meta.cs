using System.Text;
using System.Text.Json;
using AspireVector.Node.Collections;
using AspireVector.Node.Sharding;

namespace AspireVector.Node.Cluster;

public sealed partial class ClusterCollections
{
    /// <inheritdoc />
    public Task CreateAsync(string name, CollectionConfig config, JsonElement body, CancellationToken cancellationToken) =>
        CreateAsync(name, config, body, holdHere: [], cancellationToken);

    /// <param name="name">The new collection.</param>
    /// <param name="config">Its config.</param>
    /// <param name="body">The create request, to tell given settings from defaults.</param>
    /// <param name="holdHere">Shards this peer must hold a replica of (a snapshot recovered here has their data).</param>
    /// <param name="cancellationToken">Cancels the wait for consensus.</param>
    private async Task CreateAsync(string name, CollectionConfig config, JsonElement body, IReadOnlyCollection<uint> holdHere, CancellationToken cancellationToken)
    {
        CollectionName.Validate(name);
        var state = _node.Metadata.Current;
        if (state.Collections.ContainsKey(name)) throw CollectionException.AlreadyExists(name);
        AliasMap.EnsureNotAlias(state.Aliases, name);
        if (state.Collections.Count >= _options.Storage.MaxCollections)
            throw CollectionException.WrongInput($"Maximum number of collections ({_options.Storage.MaxCollections}) reached");
        var peers = state.Peers.Keys.ToList();
        if (peers.Count == 0) throw new CollectionException(503, "Service unavailable: the cluster has no peers yet");
        CollectionDefaults.Apply(config, body, _options.Storage, peers.Count);
        if (config.WriteConsistencyFactor > config.ReplicationFactor)
            throw CollectionException.Validation("write_consistency_factor", $"value {config.WriteConsistencyFactor} invalid, must not exceed replication_factor {config.ReplicationFactor}");

        var load = ReplicaLoad(state);
        // A custom-sharded collection starts without shards: each shard key brings its own.
        config.ClearShardKeys();
        var plan = config.IsCustomSharding
            ? new Dictionary<uint, IReadOnlyList<ulong>>()
            : ShardPlacement.Plan(config.ShardNumber, config.ReplicationFactor, peers, load);
        var shards = new SortedDictionary<uint, SortedDictionary<ulong, ReplicaState>>();
        foreach (var (shard, holders) in plan)
        {
            var replicas = new SortedDictionary<ulong, ReplicaState>();
            var chosen = holders.ToList();
            if (holdHere.Contains(shard) && !chosen.Contains(_node.PeerId)) chosen[^1] = _node.PeerId;
            foreach (var peer in chosen) replicas[peer] = ReplicaState.Active;
            shards[shard] = replicas;
        }

        await _node.ProposeAndSyncAsync(new CreateCollectionCommand(name, Encoding.UTF8.GetString(config.ToPersistedJson()), shards), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replicas each peer holds over every collection, so new shards fill the emptiest peers first.</summary>
    private static Dictionary<ulong, int> ReplicaLoad(ClusterStateData state)
    {
        var load = new Dictionary<ulong, int>();
        foreach (var c in state.Collections.Values)
        {
            foreach (var replicas in c.Shards.Values)
            {
                foreach (var peer in replicas.Keys) load[peer] = load.GetValueOrDefault(peer) + 1;
            }
        }

        return load;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        if (!_node.Metadata.Current.Collections.ContainsKey(name)) return false;
        try
        {
            await _node.ProposeAndSyncAsync(new DeleteCollectionCommand(name), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (CollectionException e) when (e.StatusCode == 404)
        {
            return false; // deleted concurrently
        }
    }

    /// <inheritdoc />
    public async Task UpdateConfigAsync(string name, Func<CollectionConfig, CollectionConfig> change, CancellationToken cancellationToken)
    {
        if (!_node.Metadata.Current.Collections.TryGetValue(name, out var c)) throw CollectionException.NotFound(name);
        using var doc = JsonDocument.Parse(c.Config);
        var updated = change(CollectionConfig.FromCreateRequest(doc.RootElement));
        await _node.ProposeAndSyncAsync(new UpdateCollectionCommand(name, Encoding.UTF8.GetString(updated.ToPersistedJson())), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task UpdateAliasesAsync(IReadOnlyList<AliasAction> actions, CancellationToken cancellationToken)
    {
        var state = _node.Metadata.Current;
        _ = AliasMap.Apply(state.Aliases, state.Collections.ContainsKey, actions); // refuse a bad request before proposing it
        await _node.ProposeAndSyncAsync(new UpdateAliasesCommand([.. actions]), cancellationToken).ConfigureAwait(false);
    }
}

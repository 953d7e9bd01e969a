using System.Text.Json;

namespace AspireVector.Node.Collections;

/// <summary>
/// Creates, deletes and reconfigures collections: directly on this node in single-node mode, through consensus
/// (applied on every peer) in cluster mode. The REST API goes through this, never through the table of contents.
/// </summary>
public interface ICollectionMetaOperations
{
    /// <summary>Creates collection <paramref name="name"/>; <paramref name="body"/> is the request, to tell given settings from defaults.</summary>
    Task CreateAsync(string name, CollectionConfig config, JsonElement body, CancellationToken cancellationToken);

    /// <summary>Deletes a collection; false when it did not exist.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken);

    /// <summary>Replaces a collection's config by <paramref name="change"/>(current).</summary>
    Task UpdateConfigAsync(string name, Func<CollectionConfig, CollectionConfig> change, CancellationToken cancellationToken);

    /// <summary>Adds a shard key (and its shards) to custom-sharded collection <paramref name="name"/>.</summary>
    Task CreateShardKeyAsync(string name, CreateShardKeyRequest request, CancellationToken cancellationToken);

    /// <summary>Removes a shard key of collection <paramref name="name"/> and deletes its shards everywhere.</summary>
    Task DropShardKeyAsync(string name, Sharding.ShardKey key, CancellationToken cancellationToken);

    /// <summary>Applies alias changes as a whole, or refuses them all (<see cref="AliasMap.Apply"/>).</summary>
    Task UpdateAliasesAsync(IReadOnlyList<AliasAction> actions, CancellationToken cancellationToken);
}

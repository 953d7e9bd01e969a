using AspireVector.Node.Cluster;
using AspireVector.Node.Sharding;

namespace AspireVector.Node.Collections;

/// <summary>Qdrant's <c>CreateShardingKey</c>: a new shard key with its own shards.</summary>
/// <param name="Key">The key.</param>
/// <param name="ShardsNumber">Shards for the key (the collection's <c>shard_number</c> when null).</param>
/// <param name="ReplicationFactor">Replicas per shard (the collection's <c>replication_factor</c> when null).</param>
/// <param name="Placement">Peers that may hold the key's replicas (every peer when null).</param>
/// <param name="InitialState">State the new replicas start in (active when null).</param>
public sealed record CreateShardKeyRequest(ShardKey Key, int? ShardsNumber, int? ReplicationFactor, IReadOnlyList<ulong>? Placement, ReplicaState? InitialState)
{
    /// <summary>Qdrant's 400 for a key created twice.</summary>
    public static CollectionException Exists(ShardKey key, string collection) =>
        new(400, $"Bad request: Sharding key {key} already exists for collection {collection}");

    /// <summary>Qdrant's 400 for a key dropped that does not exist.</summary>
    public static CollectionException Missing(ShardKey key, string collection) =>
        new(400, $"Bad request: Sharding key {key} does not exist for collection {collection}");

    /// <summary>Qdrant's 400 for a shard key operation on an auto-sharded collection.</summary>
    public static CollectionException AutoSharded(ShardKey key, bool create) =>
        new(400, $"Bad request: Shard Key {key} cannot be {(create ? "created" : "removed")} with Auto sharding method");

    /// <summary>Checks the key can be added to <paramref name="config"/> of collection <paramref name="collection"/>.</summary>
    public void Validate(CollectionConfig config, string collection)
    {
        if (!config.IsCustomSharding) throw AutoSharded(Key, create: true);
        if (config.ShardsOf(Key) is not null) throw Exists(Key, collection);
    }

    /// <summary>The ids of the key's new shards in <paramref name="config"/>: the next free ones, as Qdrant numbers them.</summary>
    public uint[] NewShardIds(CollectionConfig config)
    {
        int count = ShardsNumber ?? config.ShardNumber;
        uint first = config.NextShardId;
        var ids = new uint[count];
        for (int i = 0; i < count; i++) ids[i] = first + (uint)i;
        return ids;
    }
}

using AspireVector.Node.Points;
using AspireVector.Node.Sharding;

namespace AspireVector.Node.Collections;

public sealed partial class Collection
{
    /// <summary>
    /// The shard groups a read covers, each routed by point id on its own: with auto sharding one group of every shard;
    /// with custom sharding one group per key, all keys unless the request's <see cref="ShardKeyScope"/> selects some.
    /// </summary>
    private IReadOnlyList<IReadOnlyList<uint>> ReadGroups()
    {
        var config = Config;
        var selector = ShardKeyScope.For(Name);
        if (selector is null)
        {
            if (!config.IsCustomSharding) return [config.ShardIds];
            return [.. config.ShardKeys.Select(k => k.Shards)];
        }

        if (selector.Fallback is { } fallback) return [ReadFallback(config, selector.Keys[0], fallback)];
        var groups = new List<IReadOnlyList<uint>>(selector.Keys.Count);
        foreach (var key in selector.Keys) groups.Add(config.ShardsOf(key) ?? throw new CollectionException(400, $"Bad request: Shard key {key} not found"));
        return groups;
    }

    /// <summary>Every shard a read covers (see <see cref="ReadGroups"/>), each once, ascending.</summary>
    private List<uint> ReadShardIds()
    {
        var groups = ReadGroups();
        if (groups.Count == 1) return [.. groups[0]];
        var ids = new SortedSet<uint>();
        foreach (var g in groups) ids.UnionWith(g);
        return [.. ids];
    }

    /// <summary>
    /// The shard groups a write goes to: every shard with auto sharding; the selected keys' shards with custom sharding,
    /// where a write must name its key (Qdrant's "Shard key not specified" otherwise).
    /// </summary>
    private IReadOnlyList<IReadOnlyList<uint>> WriteGroups()
    {
        var config = Config;
        var selector = ShardKeyScope.For(Name);
        if (selector is null)
        {
            if (config.IsCustomSharding) throw CollectionException.WrongInput("Shard key not specified");
            return [config.ShardIds];
        }

        IReadOnlyList<ShardKey> keys = selector.Keys;
        if (selector.Fallback is { } fallback) keys = [config.ShardsOf(keys[0]) is { Count: > 0 } ? keys[0] : fallback];
        var groups = new List<IReadOnlyList<uint>>(keys.Count);
        foreach (var key in keys)
        {
            var shards = config.ShardsOf(key);
            if (shards is null)
            {
                throw selector.Fallback is { } f
                    ? new CollectionException(404, $"Not found: Neither target shard key {selector.Keys[0]} nor fallback shard key {f} exist")
                    : CollectionException.WrongInput($"Shard key {key} not found");
            }

            if (shards.Count == 0) throw CollectionException.WrongInput("No shards found for shard key");
            groups.Add(shards);
        }

        return groups;
    }

    /// <summary>The target key's shards when they exist and each has a readable replica, else the fallback key's (Qdrant's rule).</summary>
    private IReadOnlyList<uint> ReadFallback(CollectionConfig config, ShardKey target, ShardKey fallback)
    {
        var targetShards = config.ShardsOf(target);
        var fallbackShards = config.ShardsOf(fallback);
        if (targetShards is { Count: > 0 } && targetShards.All(IsReadable)) return targetShards;
        if (fallbackShards is not null) return fallbackShards;
        if (targetShards is null)
            throw new CollectionException(404, $"Not found: Neither target shard key {target} nor fallback shard key {fallback} exist");
        throw new CollectionException(503, $"Service unavailable: Neither target shard key {target} nor fallback shard key {fallback} have active replicas");
    }

    private bool IsReadable(uint shardId)
    {
        if (Replicas is null) return LocalShard(shardId) is not null;
        foreach (var r in Replicas.ReplicasOf(Name, shardId)) if (r.IsReadable) return true;
        return false;
    }

    /// <summary>Groups <paramref name="ids"/> by the shard each belongs to in every group of <paramref name="groups"/>.</summary>
    private static Dictionary<uint, List<T>> ByShard<T>(IReadOnlyList<IReadOnlyList<uint>> groups, IReadOnlyList<T> items, Func<T, PointId> idOf)
    {
        var byShard = new Dictionary<uint, List<T>>();
        foreach (var group in groups)
        {
            foreach (var item in items)
            {
                uint shard = ShardOf(idOf(item), group);
                if (!byShard.TryGetValue(shard, out var list)) byShard[shard] = list = [];
                list.Add(item);
            }
        }

        return byShard;
    }
}

using System.Text.Json;
using AspireVector.Node.Sharding;

namespace AspireVector.Node.Collections;

/// <summary>The shards of one user-defined shard key.</summary>
public sealed record ShardKeyShards(ShardKey Key, IReadOnlyList<uint> Shards);

public sealed partial class CollectionConfig
{
    private IReadOnlyList<ShardKeyShards> _shardKeys = [];
    private IReadOnlyList<uint>? _shardIds;

    /// <summary><c>sharding_method</c> as given (<c>auto</c> or <c>custom</c>), or null when left out (auto).</summary>
    public string? ShardingMethod { get; set; }

    /// <summary>
    /// True for <c>sharding_method: custom</c>: the collection has the shards of its shard keys only (none at first), and
    /// <see cref="ShardNumber"/> is the default number of shards per key.
    /// </summary>
    public bool IsCustomSharding => ShardingMethod == "custom";

    /// <summary>The shard keys of a custom-sharded collection and their shards, in creation order (persisted with the config).</summary>
    public IReadOnlyList<ShardKeyShards> ShardKeys
    {
        get => _shardKeys;
        private set
        {
            _shardKeys = value;
            _shardIds = null;
        }
    }

    /// <summary>Ids of the shards the collection has, ascending: <c>0..shard_number-1</c>, or the shard keys' shards.</summary>
    public IReadOnlyList<uint> ShardIds => _shardIds ??= ComputeShardIds();

    /// <summary>One more than the highest shard id (the size of per-shard tables).</summary>
    public int ShardCapacity => ShardIds.Count == 0 ? 0 : (int)ShardIds[^1] + 1;

    /// <summary>The shards of <paramref name="key"/>, or null when the collection has no such key.</summary>
    public IReadOnlyList<uint>? ShardsOf(ShardKey key)
    {
        foreach (var k in _shardKeys) if (k.Key == key) return k.Shards;
        return null;
    }

    /// <summary>The shard key <paramref name="shardId"/> belongs to, or null (auto sharding, or no such shard).</summary>
    public ShardKey? KeyOf(uint shardId)
    {
        foreach (var k in _shardKeys) if (k.Shards.Contains(shardId)) return k.Key;
        return null;
    }

    /// <summary>
    /// The id the next shard key's shards start at: one past the highest shard id ever used (Qdrant counts from the highest
    /// present one; never reusing the id of a dropped key's shard keeps a peer that missed the drop from mistaking that
    /// shard's leftover files for the new one).
    /// </summary>
    public uint NextShardId => Math.Max(_lastShardId, ShardIds.Count == 0 ? 0u : ShardIds[^1]) + 1;

    private uint _lastShardId;

    /// <summary>A copy of this config with <paramref name="key"/> added over <paramref name="shards"/>.</summary>
    public CollectionConfig WithShardKey(ShardKey key, IReadOnlyList<uint> shards)
    {
        var copy = Copy();
        copy.ShardKeys = [.. _shardKeys, new ShardKeyShards(key, [.. shards])];
        copy._lastShardId = Math.Max(_lastShardId, shards.Count == 0 ? 0 : shards.Max());
        return copy;
    }

    /// <summary>
    /// A copy of this config with the sharding (method, keys, shard ids used) of <paramref name="current"/>: a config change
    /// computed before a shard key was added or dropped must not undo that.
    /// </summary>
    public CollectionConfig WithShardingOf(CollectionConfig current)
    {
        var copy = Copy();
        copy.ShardingMethod = current.ShardingMethod;
        copy.ShardKeys = current._shardKeys;
        copy._lastShardId = current._lastShardId;
        return copy;
    }

    /// <summary>A copy of this config without <paramref name="key"/>.</summary>
    public CollectionConfig WithoutShardKey(ShardKey key)
    {
        var copy = Copy();
        copy.ShardKeys = [.. _shardKeys.Where(k => k.Key != key)];
        return copy;
    }

    private CollectionConfig Copy() => FromCreateRequest(JsonDocument.Parse(ToPersistedJson()).RootElement);

    private IReadOnlyList<uint> ComputeShardIds()
    {
        if (!IsCustomSharding) return [.. Enumerable.Range(0, ShardNumber).Select(i => (uint)i)];
        var ids = new SortedSet<uint>();
        foreach (var k in _shardKeys) ids.UnionWith(k.Shards);
        return [.. ids];
    }

    private void ReadShardingMethod(JsonElement value)
    {
        ShardingMethod = value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String when value.GetString() is "auto" or "custom" => value.GetString(),
            JsonValueKind.String => throw CollectionException.BadJson($"unknown variant `{value.GetString()}`, expected `auto` or `custom` at `sharding_method`"),
            _ => throw CollectionException.BadJson($"invalid type for `sharding_method`: expected `auto` or `custom`, got {value.GetRawText()}"),
        };
    }

    private void ReadLastShardId(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetUInt32(out uint id)) _lastShardId = id;
    }

    /// <summary>Reads the persisted <c>shard_key_mapping</c> (only ever written by this node, never taken from a client).</summary>
    private void ReadShardKeyMapping(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array) return;
        var keys = new List<ShardKeyShards>();
        foreach (var entry in value.EnumerateArray())
        {
            var key = ShardKey.Read(entry.GetProperty("key"), "shard_key_mapping.key");
            keys.Add(new ShardKeyShards(key, [.. entry.GetProperty("shards").EnumerateArray().Select(s => s.GetUInt32())]));
        }

        ShardKeys = keys;
    }

    private void WriteShardKeyMapping(Utf8JsonWriter w)
    {
        if (ShardingMethod is { } method) w.WriteString("sharding_method", method);
        if (_lastShardId > 0) w.WriteNumber("last_shard_id", _lastShardId);
        if (_shardKeys.Count == 0) return;
        w.WriteStartArray("shard_key_mapping");
        foreach (var k in _shardKeys)
        {
            w.WriteStartObject();
            w.WritePropertyName("key");
            k.Key.WriteTo(w);
            w.WriteStartArray("shards");
            foreach (var s in k.Shards) w.WriteNumberValue(s);
            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>Forgets any shard key mapping a create request carried: keys are made through the shard key API only.</summary>
    public void ClearShardKeys()
    {
        ShardKeys = [];
        _lastShardId = 0;
    }
}

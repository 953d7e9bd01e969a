using AspireVector.Node.Points;

namespace AspireVector.Node.Sharding;

/// <summary>
/// Consistent hashing of point ids onto shards: every shard owns <see cref="VirtualNodesPerShard"/> positions on a
/// 64-bit ring, and a point belongs to the shard owning the first position at or after the point's hash.
/// Adding a shard moves only about 1/N of the points. The hash is fixed forever: it decides where stored data lives.
/// </summary>
public sealed class HashRing
{
    /// <summary>Positions per shard; more positions even out shard sizes.</summary>
    public const int VirtualNodesPerShard = 100;

    private readonly ulong[] _positions;
    private readonly uint[] _shards;

    /// <summary>Builds the ring over shard ids <paramref name="shardIds"/>.</summary>
    public HashRing(IReadOnlyCollection<uint> shardIds)
    {
        if (shardIds.Count == 0) throw new ArgumentException("a ring needs at least one shard", nameof(shardIds));
        var entries = new List<(ulong Position, uint Shard)>(shardIds.Count * VirtualNodesPerShard);
        foreach (var shard in shardIds)
        {
            for (uint v = 0; v < VirtualNodesPerShard; v++)
                entries.Add((Mix(Mix(shard) ^ v), shard));
        }
        entries.Sort((a, b) => a.Position != b.Position ? a.Position.CompareTo(b.Position) : a.Shard.CompareTo(b.Shard));
        _positions = new ulong[entries.Count];
        _shards = new uint[entries.Count];
        for (int i = 0; i < entries.Count; i++) (_positions[i], _shards[i]) = entries[i];
        ShardIds = [.. shardIds.Distinct().Order()];
    }

    /// <summary>A ring over shards <c>0..count-1</c>, the layout of a collection with <c>shard_number = count</c>.</summary>
    public static HashRing ForShardCount(int count) => new(Enumerable.Range(0, count).Select(i => (uint)i).ToArray());

    /// <summary>The shard ids on the ring, ascending.</summary>
    public IReadOnlyList<uint> ShardIds { get; }

    /// <summary>The shard that owns <paramref name="id"/>.</summary>
    public uint ShardOf(PointId id)
    {
        if (ShardIds.Count == 1) return ShardIds[0];
        ulong h = Hash(id);
        int i = Array.BinarySearch(_positions, h);
        if (i < 0) i = ~i;
        if (i == _positions.Length) i = 0;
        return _shards[i];
    }

    /// <summary>The stable 64-bit hash of a point id.</summary>
    public static ulong Hash(PointId id)
    {
        if (!id.IsUuid) return Mix(id.Number);
        Span<byte> bytes = stackalloc byte[16];
        id.Uuid.TryWriteBytes(bytes, bigEndian: true, out _);
        ulong hi = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes);
        ulong lo = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        return Mix(hi ^ Mix(lo ^ 0xD6E8_FEB8_6659_FD93UL));
    }

    /// <summary>SplitMix64's finaliser: a fast bijective mixer with full avalanche.</summary>
    private static ulong Mix(ulong x)
    {
        x += 0x9E37_79B9_7F4A_7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return x ^ (x >> 31);
    }
}

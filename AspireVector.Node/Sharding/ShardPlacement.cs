namespace AspireVector.Node.Sharding;

/// <summary>Decides which peers hold the replicas of each shard when a collection is created.</summary>
public static class ShardPlacement
{
    /// <summary>
    /// Spreads <paramref name="shardNumber"/> shards with <paramref name="replicationFactor"/> replicas each over
    /// <paramref name="peers"/> so that every peer holds the same number of replicas (within one), no peer holds two
    /// replicas of one shard, and the first replicas of consecutive shards land on different peers.
    /// </summary>
    /// <param name="peers">Peers that may hold replicas (voters that are not listeners, for instance).</param>
    /// <param name="load">Replicas each peer already holds (from other collections), to fill the emptiest first.</param>
    /// <returns>Shard id -> peer ids holding it; with fewer peers than the factor, each shard is on every peer.</returns>
    public static IReadOnlyDictionary<uint, IReadOnlyList<ulong>> Plan(
        int shardNumber, int replicationFactor, IReadOnlyList<ulong> peers, IReadOnlyDictionary<ulong, int>? load = null)
    {
        if (shardNumber < 1) throw new ArgumentOutOfRangeException(nameof(shardNumber));
        if (replicationFactor < 1) throw new ArgumentOutOfRangeException(nameof(replicationFactor));
        if (peers.Count == 0) throw new ArgumentException("no peer can hold replicas", nameof(peers));

        var counts = peers.Distinct().ToDictionary(p => p, p => load is not null && load.TryGetValue(p, out var n) ? n : 0);
        int factor = Math.Min(replicationFactor, counts.Count);
        var plan = new Dictionary<uint, IReadOnlyList<ulong>>(shardNumber);
        for (uint shard = 0; shard < shardNumber; shard++)
        {
            // Least loaded first; ties broken by a rotation per shard so equal peers take turns, then by id.
            var chosen = counts.Keys
                .OrderBy(p => counts[p])
                .ThenBy(p => (IndexOf(peers, p) - (int)(shard % (uint)counts.Count) + counts.Count) % counts.Count)
                .Take(factor)
                .ToArray();
            foreach (var p in chosen) counts[p]++;
            plan[shard] = chosen;
        }
        return plan;
    }

    private static int IndexOf(IReadOnlyList<ulong> peers, ulong peer)
    {
        for (int i = 0; i < peers.Count; i++) if (peers[i] == peer) return i;
        return -1;
    }
}

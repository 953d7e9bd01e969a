namespace AspireVector.Tests.Cluster;

/// <summary>Where a collection's shards have active replicas, as one node of a <see cref="LocalCluster"/> sees it.</summary>
internal static class ActiveReplicas
{
    /// <summary>
    /// The peers holding an active replica of each of the <paramref name="shards"/> shards of <paramref name="collection"/>,
    /// as node 0 sees them; every set is empty while a transfer runs (so callers wait for it to end).
    /// </summary>
    public static async Task<Dictionary<int, HashSet<ulong>>> OfAsync(LocalCluster cluster, string collection, int shards = 2)
    {
        var info = await LocalCluster.GetAsync(cluster[0], $"/collections/{collection}/cluster");
        ulong self = info.GetProperty("peer_id").GetUInt64();
        var placement = Enumerable.Range(0, shards).ToDictionary(s => s, _ => new HashSet<ulong>());
        if (info.GetProperty("shard_transfers").GetArrayLength() > 0) return placement;
        foreach (var s in info.GetProperty("local_shards").EnumerateArray().Concat(info.GetProperty("remote_shards").EnumerateArray()))
        {
            if (s.GetProperty("state").GetString() != "Active") continue;
            placement[s.GetProperty("shard_id").GetInt32()].Add(s.TryGetProperty("peer_id", out var p) ? p.GetUInt64() : self);
        }

        return placement;
    }
}

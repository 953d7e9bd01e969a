using System.Globalization;
using System.Text.Json;

namespace AspireVector.Benchmarks.Stress;

/// <summary>A collection's placement as one node reports it (<c>GET /collections/{name}/cluster</c>) plus the cluster's peers.</summary>
internal sealed record StressPlacement(SortedDictionary<uint, Dictionary<ulong, string>> Shards, int Transfers, List<ulong> Peers)
{
    /// <summary>No transfer running and every replica active.</summary>
    public bool Settled => Transfers == 0 && Shards.Count > 0 && Shards.Values.All(r => r.Values.All(s => s == "Active"));

    public static StressPlacement Parse(JsonElement info, JsonElement cluster)
    {
        ulong self = info.GetProperty("peer_id").GetUInt64();
        var shards = new SortedDictionary<uint, Dictionary<ulong, string>>();
        void Add(uint shard, ulong peer, string state)
        {
            if (!shards.TryGetValue(shard, out var replicas)) shards[shard] = replicas = [];
            replicas[peer] = state;
        }

        foreach (var s in info.GetProperty("local_shards").EnumerateArray()) Add(s.GetProperty("shard_id").GetUInt32(), self, s.GetProperty("state").GetString()!);
        foreach (var s in info.GetProperty("remote_shards").EnumerateArray())
            Add(s.GetProperty("shard_id").GetUInt32(), s.GetProperty("peer_id").GetUInt64(), s.GetProperty("state").GetString()!);
        var peers = cluster.GetProperty("peers").EnumerateObject().Select(p => ulong.Parse(p.Name, CultureInfo.InvariantCulture)).ToList();
        return new StressPlacement(shards, info.GetProperty("shard_transfers").GetArrayLength(), peers);
    }
}

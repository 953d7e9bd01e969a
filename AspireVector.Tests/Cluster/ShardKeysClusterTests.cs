using System.Text.Json;

namespace AspireVector.Tests.Cluster;

/// <summary>
/// User-defined sharding on three real nodes: shard keys made through consensus, each key's shards placed on the peers
/// its <c>placement</c> names, writes and reads routed by key through any node, a dropped key's shards deleted on every
/// peer, and the keys kept across a restart.
/// </summary>
[Trait("Category", "Process")]
[Collection(ClusterProcesses.Name)]
public sealed class ShardKeysClusterTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(40);

    private static int[] Ids(JsonElement points) => [.. points.EnumerateArray().Select(p => p.GetProperty("id").GetInt32()).Order()];

    private static string Keys(JsonElement result) => result.GetRawText();

    [Fact]
    public async Task KeysArePlacedByPlacementRoutedByKeyAndDroppedEverywhere()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        ulong peer1 = await cluster.PeerIdAsync(1), peer2 = await cluster.PeerIdAsync(2);
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/tenants",
            new { vectors = new { size = 2, distance = "Dot" }, shard_number = 2, replication_factor = 1, sharding_method = "custom" });
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/tenants/shards", new { shard_key = "eu", placement = new[] { peer1 } });
        await LocalCluster.OkAsync(cluster[1], HttpMethod.Put, "/collections/tenants/shards", new { shard_key = "us", shards_number = 1, placement = new[] { peer2 } });
        var (status, error) = await LocalCluster.SendAsync(cluster[2], HttpMethod.Put, "/collections/tenants/shards", new { shard_key = "x", placement = new[] { 42UL } });
        Assert.Equal(400, status);
        Assert.Contains("placement contains unknown peers: [42]", error.GetProperty("status").GetProperty("error").GetString());
        (status, _) = await LocalCluster.SendAsync(cluster[2], HttpMethod.Put, "/collections/tenants/shards", new { shard_key = "eu" });
        Assert.Equal(400, status);

        // Every node agrees on the keys; node 0 holds none of their shards, node 1 eu's two, node 2 us's one.
        foreach (var n in cluster.Nodes)
        {
            await cluster.WaitUntilAsync(async () => Keys(await LocalCluster.GetAsync(n, "/collections/tenants/shards")) == """{"shard_keys":[{"key":"eu"},{"key":"us"}]}""",
                $"both keys on {n.Name}", Deadline);
        }

        var view = await LocalCluster.GetAsync(cluster[0], "/collections/tenants/cluster");
        Assert.Equal(0, view.GetProperty("local_shards").GetArrayLength());
        Assert.Equal(3, view.GetProperty("shard_count").GetInt32());
        var remote = view.GetProperty("remote_shards").EnumerateArray().ToList();
        Assert.Equal(3, remote.Count);
        Assert.All(remote.Where(r => r.GetProperty("shard_key").GetString() == "eu"), r => Assert.Equal(peer1, r.GetProperty("peer_id").GetUInt64()));
        Assert.Equal(peer2, remote.Single(r => r.GetProperty("shard_key").GetString() == "us").GetProperty("peer_id").GetUInt64());
        var euShards = remote.Where(r => r.GetProperty("shard_key").GetString() == "eu").Select(r => r.GetProperty("shard_id").GetUInt32()).ToList();
        Assert.Equal(2, euShards.Count);

        // Writes through node 0 (which holds nothing) land on the key's peers.
        var eu = Enumerable.Range(1, 30).Select(id => new { id, vector = new[] { 1f, id } }).ToArray();
        var us = Enumerable.Range(101, 10).Select(id => new { id, vector = new[] { 1f, id } }).ToArray();
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/tenants/points?wait=true", new { points = eu, shard_key = "eu" });
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/tenants/points?wait=true", new { points = us, shard_key = "us" });
        (status, error) = await LocalCluster.SendAsync(cluster[0], HttpMethod.Put, "/collections/tenants/points?wait=true", new { points = us });
        Assert.Equal(400, status);
        Assert.Equal("Wrong input: Shard key not specified", error.GetProperty("status").GetProperty("error").GetString());

        var local1 = (await LocalCluster.GetAsync(cluster[1], "/collections/tenants/cluster")).GetProperty("local_shards").EnumerateArray().ToList();
        Assert.Equal(2, local1.Count);
        Assert.All(local1, s => Assert.Equal("eu", s.GetProperty("shard_key").GetString()));
        Assert.Equal(30, local1.Sum(s => s.GetProperty("points_count").GetInt64()));
        var local2 = (await LocalCluster.GetAsync(cluster[2], "/collections/tenants/cluster")).GetProperty("local_shards").EnumerateArray().ToList();
        Assert.Equal(10, Assert.Single(local2).GetProperty("points_count").GetInt64());

        // Reads through any node, by key or over every key.
        Assert.Equal(30, (await LocalCluster.OkAsync(cluster[2], HttpMethod.Post, "/collections/tenants/points/count", new { exact = true, shard_key = "eu" })).GetProperty("count").GetInt32());
        Assert.Equal(40, (await LocalCluster.OkAsync(cluster[0], HttpMethod.Post, "/collections/tenants/points/count", new { exact = true })).GetProperty("count").GetInt32());
        var hits = await LocalCluster.OkAsync(cluster[1], HttpMethod.Post, "/collections/tenants/points/search", new { vector = new[] { 0f, 1f }, limit = 3, shard_key = "eu" });
        Assert.Equal([28, 29, 30], Ids(hits));
        var scroll = await LocalCluster.OkAsync(cluster[0], HttpMethod.Post, "/collections/tenants/points/scroll", new { limit = 100, shard_key = new[] { "us" } });
        Assert.Equal(Enumerable.Range(101, 10), Ids(scroll.GetProperty("points")));

        // Dropping eu through node 2 removes its shards from node 1's disk and from every node's view.
        await LocalCluster.OkAsync(cluster[2], HttpMethod.Post, "/collections/tenants/shards/delete", new { shard_key = "eu" });
        foreach (var n in cluster.Nodes)
        {
            await cluster.WaitUntilAsync(async () => Keys(await LocalCluster.GetAsync(n, "/collections/tenants/shards")) == """{"shard_keys":[{"key":"us"}]}""",
                $"eu dropped on {n.Name}", Deadline);
        }

        await cluster.WaitUntilAsync(async () => (await LocalCluster.GetAsync(cluster[1], "/collections/tenants/cluster")).GetProperty("local_shards").GetArrayLength() == 0
            && euShards.All(id => !Directory.Exists(Path.Combine(cluster[1].Storage, "collections", "tenants", id.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
            "eu's shards deleted on node 1", Deadline);
        Assert.Equal(10, (await LocalCluster.OkAsync(cluster[1], HttpMethod.Post, "/collections/tenants/points/count", new { exact = true })).GetProperty("count").GetInt32());
        (status, _) = await LocalCluster.SendAsync(cluster[0], HttpMethod.Post, "/collections/tenants/points/count", new { shard_key = "eu" });
        Assert.Equal(400, status);

        // A transfer works within a key: us's shard replicated to node 0 keeps its key and its points there.
        uint usShard = remote.Single(r => r.GetProperty("shard_key").GetString() == "us").GetProperty("shard_id").GetUInt32();
        ulong peer0 = await cluster.PeerIdAsync(0);
        await LocalCluster.OkAsync(cluster[1], HttpMethod.Post, "/collections/tenants/cluster",
            new { replicate_shard = new { shard_id = usShard, from_peer_id = peer2, to_peer_id = peer0 } });
        await cluster.WaitUntilAsync(async () =>
        {
            var mine = (await LocalCluster.GetAsync(cluster[0], "/collections/tenants/cluster")).GetProperty("local_shards").EnumerateArray().ToList();
            return mine.Count == 1 && mine[0].GetProperty("shard_key").GetString() == "us" && mine[0].GetProperty("state").GetString() == "Active"
                && mine[0].GetProperty("points_count").GetInt64() == 10;
        }, "us's shard replicated to node 0", Deadline);

        // The key, its shard and its points survive a restart of the node holding them.
        cluster[2].Kill();
        cluster.StartNode(2);
        await cluster.WaitUntilAsync(async () =>
        {
            var (s, body) = await LocalCluster.SendAsync(cluster[2], HttpMethod.Post, "/collections/tenants/points/count", new { exact = true, shard_key = "us" });
            return s == 200 && body.GetProperty("result").GetProperty("count").GetInt32() == 10;
        }, "us's points on node 2 after its restart", TimeSpan.FromSeconds(60));
        Assert.Equal("""{"shard_keys":[{"key":"us"}]}""", Keys(await LocalCluster.GetAsync(cluster[2], "/collections/tenants/shards")));
        await LocalCluster.OkAsync(cluster[1], HttpMethod.Put, "/collections/tenants/points?wait=true", new { points = new[] { new { id = 500, vector = new[] { 1f, 1f } } }, shard_key = "us" });
        Assert.Equal(11, (await LocalCluster.OkAsync(cluster[0], HttpMethod.Post, "/collections/tenants/points/count", new { exact = true, shard_key = "us" })).GetProperty("count").GetInt32());
        await cluster.WaitUntilAsync(async () => (await LocalCluster.GetAsync(cluster[0], "/collections/tenants/cluster")).GetProperty("local_shards")[0].GetProperty("points_count").GetInt64() == 11,
            "the write on node 0's replica of us", Deadline);
    }
}

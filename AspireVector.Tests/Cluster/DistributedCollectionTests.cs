using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace AspireVector.Tests.Cluster;

/// <summary>
/// Collections spread over three real nodes: seed 000's walkthrough (replicated writes, failover reads,
/// send failures, automatic recovery), transfers under concurrent writes, write and read consistency, listeners.
/// </summary>
[Trait("Category", "Process")]
[Collection(ClusterProcesses.Name)]
public sealed class DistributedCollectionTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(40);
    private static readonly Dictionary<string, string> SelfHealing = new() { ["AV__CLUSTER__SELF_HEALING__ENABLED"] = "true" };

    private static readonly object[] Cities =
    [
        new { id = 1, vector = new[] { 0.05, 0.61, 0.76, 0.74 }, payload = new { city = "Berlin" } },
        new { id = 2, vector = new[] { 0.19, 0.81, 0.75, 0.11 }, payload = new { city = "London" } },
        new { id = 3, vector = new[] { 0.36, 0.55, 0.47, 0.94 }, payload = new { city = "Moscow" } },
        new { id = 4, vector = new[] { 0.18, 0.01, 0.85, 0.80 }, payload = new { city = "New York" } },
        new { id = 5, vector = new[] { 0.24, 0.18, 0.22, 0.44 }, payload = new { city = "Beijing" } },
        new { id = 6, vector = new[] { 0.35, 0.08, 0.11, 0.44 }, payload = new { city = "Mumbai" } },
    ];

    [Fact]
    public async Task SeedWalkthroughSurvivesLosingNodeZeroAndHealsItsReplicas()
    {
        await using var cluster = await LocalCluster.StartAsync(3, SelfHealing);
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/my_cluster_collection",
            new { vectors = new { size = 4, distance = "Cosine" }, replication_factor = 2, shard_number = 3 });
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/my_cluster_collection/points?wait=true", new { points = Cities });

        var query = new { vector = new[] { 0.2, 0.1, 0.9, 0.7 }, limit = 3, with_payload = true };
        var viaZero = await LocalCluster.OkAsync(cluster[0], HttpMethod.Post, "/collections/my_cluster_collection/points/search", query);
        var viaOne = await LocalCluster.OkAsync(cluster[1], HttpMethod.Post, "/collections/my_cluster_collection/points/search", query);
        Assert.Equal(Ids(viaZero), Ids(viaOne));
        Assert.Equal([4UL, 1UL, 5UL], Ids(viaOne));

        cluster[0].Kill();
        var viaTwo = await LocalCluster.OkAsync(cluster[2], HttpMethod.Post, "/collections/my_cluster_collection/points/search", query);
        Assert.Equal(Ids(viaOne), Ids(viaTwo));

        // Writes go on without node 0 (its replicas are marked dead), and node 2 reports node 0 unreachable.
        await cluster.WaitUntilAsync(async () =>
        {
            var (status, _) = await LocalCluster.SendAsync(cluster[2], HttpMethod.Put, "/collections/my_cluster_collection/points?wait=true",
                new { points = new[] { new { id = 7, vector = new[] { 0.1, 0.2, 0.3, 0.4 }, payload = new { city = "Paris" } } } });
            return status == 200;
        }, "a write without node 0", Deadline);
        await cluster.WaitUntilAsync(async () =>
            (await LocalCluster.GetAsync(cluster[2], "/cluster")).GetProperty("message_send_failures").TryGetProperty(cluster[0].P2PUri, out var f)
            && f.GetProperty("count").GetInt64() > 0 && f.GetProperty("latest_error").GetString()!.Length > 0,
            "message_send_failures naming node 0", Deadline);

        cluster.StartNode(0);
        await cluster.WaitUntilAsync(async () => (await cluster[0].Http.GetAsync("/readyz")).IsSuccessStatusCode, "node 0 caught up", Deadline);
        await cluster.WaitUntilAsync(async () =>
        {
            var info = await LocalCluster.GetAsync(cluster[0], "/collections/my_cluster_collection/cluster");
            var local = info.GetProperty("local_shards").EnumerateArray().ToList();
            return local.Count == 2 && local.All(s => s.GetProperty("state").GetString() == "Active")
                && info.GetProperty("remote_shards").EnumerateArray().All(s => s.GetProperty("state").GetString() == "Active")
                && info.GetProperty("shard_transfers").GetArrayLength() == 0;
        }, "node 0's replicas active again", Deadline);

        // Every replica converges to every point of its shard: reading with consistency=all keeps only points present on
        // all; replicas marked dead by a refused write in the loop above may still be healing, hence the wait.
        await cluster.WaitUntilAsync(async () =>
        {
            var all = await LocalCluster.OkAsync(cluster[1], HttpMethod.Post, "/collections/my_cluster_collection/points?consistency=all",
                new { ids = Enumerable.Range(1, 7).ToArray() });
            var count = await LocalCluster.OkAsync(cluster[0], HttpMethod.Post, "/collections/my_cluster_collection/points/count", new { exact = true });
            return all.GetArrayLength() == 7 && count.GetProperty("count").GetInt32() == 7;
        }, "all 7 points on every replica", Deadline);
    }

    [Fact]
    public async Task MoveAndReplicateShardsUnderConcurrentWritesLoseNothing()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        await LocalCluster.OkAsync(cluster[1], HttpMethod.Put, "/collections/moving",
            new { vectors = new { size = 8, distance = "Dot" }, replication_factor = 1, shard_number = 3 });
        var acknowledged = new ConcurrentBag<int>();
        var refused = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            var random = new Random(7);
            int next = 0;
            while (!stop.IsCancellationRequested)
            {
                var batch = Enumerable.Range(next, 25).Select(i => new { id = i, vector = Enumerable.Range(0, 8).Select(_ => random.NextDouble()).ToArray(), payload = new { n = i } }).ToArray();
                var (status, answer) = await LocalCluster.SendAsync(cluster[1], HttpMethod.Put, "/collections/moving/points?wait=true", new { points = batch });
                if (status == 200) foreach (var p in batch) acknowledged.Add(p.id);
                else refused.Enqueue($"{status} {answer}");
                next += 25;
            }
        });

        await cluster.WaitUntilAsync(() => Task.FromResult(acknowledged.Count >= 300), "some writes before the move", Deadline);
        var placement = await LocalCluster.GetAsync(cluster[0], "/collections/moving/cluster");
        var holders = ShardHolders(placement, await cluster.PeerIdAsync(0));
        ulong from = holders[0];
        ulong to = (await Task.WhenAll(Enumerable.Range(0, 3).Select(cluster.PeerIdAsync))).First(p => p != from);
        await LocalCluster.OkAsync(cluster[2], HttpMethod.Post, "/collections/moving/cluster",
            new { move_shard = new { shard_id = 0, from_peer_id = from, to_peer_id = to } });
        await WaitForPlacementAsync(cluster, "moving", 0, p => p.SetEquals([to]));

        ulong replicaFrom = holders[1];
        ulong replicaTo = (await Task.WhenAll(Enumerable.Range(0, 3).Select(cluster.PeerIdAsync))).First(p => p != replicaFrom);
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Post, "/collections/moving/cluster",
            new { replicate_shard = new { shard_id = 1, from_peer_id = replicaFrom, to_peer_id = replicaTo } });
        await WaitForPlacementAsync(cluster, "moving", 1, p => p.SetEquals([replicaFrom, replicaTo]));

        int before = acknowledged.Count;
        await cluster.WaitUntilAsync(() => Task.FromResult(acknowledged.Count >= before + 100), "writes after the transfers", Deadline);
        await stop.CancelAsync();
        await writer;

        // Every acknowledged point is on every replica; a refused batch may have landed partly, never twice.
        var ids = acknowledged.Distinct().ToHashSet();
        var both = await LocalCluster.OkAsync(cluster[0], HttpMethod.Post, "/collections/moving/points/scroll?consistency=all", new { limit = 100_000 });
        var found = both.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("id").GetInt32()).ToList();
        Assert.True(ids.IsSubsetOf(found), $"{ids.Except(found).Count()} acknowledged points missing after the transfers; refused batches: {string.Join("; ", refused.Take(3))}");
        var count = await LocalCluster.OkAsync(cluster[2], HttpMethod.Post, "/collections/moving/points/count", new { exact = true });
        Assert.Equal(found.Distinct().Count(), count.GetProperty("count").GetInt32());
        Assert.True(refused.Count <= 2, $"{refused.Count} batches refused during the transfers: {string.Join("; ", refused.Take(3))}");
    }

    [Fact]
    public async Task WriteConsistencyFactorRefusesWritesWhenTooFewReplicasAreUp()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/strict",
            new { vectors = new { size = 2, distance = "Dot" }, replication_factor = 2, write_consistency_factor = 2, shard_number = 1 });
        var holders = ShardHolders(await LocalCluster.GetAsync(cluster[0], "/collections/strict/cluster"), await cluster.PeerIdAsync(0))[0];
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/strict/points?wait=true", new { points = new[] { new { id = 1, vector = new[] { 1.0, 0.0 } } } });

        var peers = await Task.WhenAll(Enumerable.Range(0, 3).Select(cluster.PeerIdAsync));
        int victim = Array.FindIndex(peers, p => p == holders);
        int coordinator = (victim + 1) % 3;
        cluster[victim].Kill();
        var (status, json) = await LocalCluster.SendAsync(cluster[coordinator], HttpMethod.Put, "/collections/strict/points?wait=true",
            new { points = new[] { new { id = 2, vector = new[] { 0.0, 1.0 } } } });
        Assert.Equal(503, status);
        Assert.Contains("write consistency factor", json.GetProperty("status").GetProperty("error").GetString());
    }

    [Fact]
    public async Task EveryReadConsistencyReturnsTheSameDataAndBadValuesAreRefused()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/reads",
            new { vectors = new { size = 4, distance = "Cosine" }, replication_factor = 3, shard_number = 2 });
        await LocalCluster.OkAsync(cluster[1], HttpMethod.Put, "/collections/reads/points?wait=true&ordering=strong", new { points = Cities });
        var query = new { vector = new[] { 0.2, 0.1, 0.9, 0.7 }, limit = 6 };
        foreach (var consistency in new[] { "1", "2", "3", "majority", "quorum", "all" })
        {
            var hits = await LocalCluster.OkAsync(cluster[2], HttpMethod.Post, $"/collections/reads/points/search?consistency={consistency}", query);
            Assert.Equal([4UL, 1UL, 5UL, 3UL, 6UL, 2UL], Ids(hits));
            var count = await LocalCluster.OkAsync(cluster[0], HttpMethod.Post, $"/collections/reads/points/count?consistency={consistency}", new { exact = true });
            Assert.Equal(6, count.GetProperty("count").GetInt32());
            var scroll = await LocalCluster.OkAsync(cluster[1], HttpMethod.Post, $"/collections/reads/points/scroll?consistency={consistency}", new { limit = 4 });
            Assert.Equal(4, scroll.GetProperty("points").GetArrayLength());
            Assert.Equal(5, scroll.GetProperty("next_page_offset").GetInt32());
            // A point id as the query: its vector is read at the same consistency as the search.
            var byId = await LocalCluster.OkAsync(cluster[2], HttpMethod.Post, $"/collections/reads/points/query?consistency={consistency}", new { query = 4, limit = 5 });
            Assert.Equal([1UL, 5UL, 3UL, 6UL, 2UL], Ids(byId.GetProperty("points")));
        }

        var (status, json) = await LocalCluster.SendAsync(cluster[0], HttpMethod.Post, "/collections/reads/points/search?consistency=most", query);
        Assert.Equal(400, status);
        Assert.Equal("Deserialize error in query parameters: data did not match any variant of untagged enum ReadConsistency",
            json.GetProperty("status").GetProperty("error").GetString());
    }

    [Fact]
    public async Task ListenerNodeTakesWritesButNeverServesReads()
    {
        await using var cluster = await LocalCluster.StartAsync(3, perNode: i => i == 2
            ? new Dictionary<string, string> { ["AV__STORAGE__NODE_TYPE"] = "Listener" }
            : new Dictionary<string, string>());
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/listened",
            new { vectors = new { size = 4, distance = "Cosine" }, replication_factor = 3, shard_number = 1 });
        await cluster.WaitUntilAsync(async () =>
            (await LocalCluster.GetAsync(cluster[2], "/collections/listened/cluster")).GetProperty("local_shards")[0].GetProperty("state").GetString() == "Listener",
            "the listener's replica marked Listener", Deadline);
        await LocalCluster.OkAsync(cluster[2], HttpMethod.Put, "/collections/listened/points?wait=true", new { points = Cities });
        var local = (await LocalCluster.GetAsync(cluster[2], "/collections/listened/cluster")).GetProperty("local_shards")[0];
        Assert.Equal(6, local.GetProperty("points_count").GetInt32());

        // With the two normal peers down, the listener alone cannot serve the shard.
        cluster[0].Kill();
        cluster[1].Kill();
        var (status, _) = await LocalCluster.SendAsync(cluster[2], HttpMethod.Post, "/collections/listened/points/count", new { exact = true });
        Assert.Equal(503, status);
    }

    [Fact]
    public async Task SelfHealingRestoresTheReplicationFactorAfterAPeerIsRemoved()
    {
        await using var cluster = await LocalCluster.StartAsync(3, SelfHealing);
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/healed",
            new { vectors = new { size = 4, distance = "Cosine" }, replication_factor = 2, shard_number = 3 });
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/healed/points?wait=true", new { points = Cities });
        ulong gone = await cluster.PeerIdAsync(2);
        cluster[2].Kill();
        await cluster.WaitUntilAsync(async () => await cluster.AgreedLeaderAsync() is var l && l != 0 && l != gone, "a leader among the survivors", Deadline);
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Delete, $"/cluster/peer/{gone}?force=true");

        for (uint shard = 0; shard < 3; shard++)
        {
            uint s = shard;
            await WaitForPlacementAsync(cluster, "healed", s, p => p.Count == 2 && !p.Contains(gone));
        }

        var all = await LocalCluster.OkAsync(cluster[1], HttpMethod.Post, "/collections/healed/points?consistency=all", new { ids = Enumerable.Range(1, 6).ToArray() });
        Assert.Equal(6, all.GetArrayLength());
    }

    [Fact]
    public async Task SelfHealingRebalancesShardsOntoAJoiningPeer()
    {
        await using var cluster = await LocalCluster.StartAsync(2, SelfHealing);
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/spread",
            new { vectors = new { size = 4, distance = "Cosine" }, replication_factor = 1, shard_number = 4 });
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/spread/points?wait=true", new { points = Cities });
        int joiner = await cluster.AddNodeAsync();
        ulong joinerId = await cluster.PeerIdAsync(joiner);

        await cluster.WaitUntilAsync(async () =>
        {
            var info = await LocalCluster.GetAsync(cluster[joiner], "/collections/spread/cluster");
            return info.GetProperty("local_shards").EnumerateArray().Count(s => s.GetProperty("state").GetString() == "Active") >= 1
                && info.GetProperty("shard_transfers").GetArrayLength() == 0;
        }, $"a shard moved onto the new peer {joinerId}", Deadline);
        var count = await LocalCluster.OkAsync(cluster[joiner], HttpMethod.Post, "/collections/spread/points/count", new { exact = true });
        Assert.Equal(6, count.GetProperty("count").GetInt32());
    }

    private static List<ulong> Ids(JsonElement hits) => [.. hits.EnumerateArray().Select(h => h.GetProperty("id").GetUInt64())];

    /// <summary>First holder of each shard, by shard id, from a collection cluster info seen by <paramref name="self"/>.</summary>
    private static List<ulong> ShardHolders(JsonElement info, ulong self)
    {
        var holders = new SortedDictionary<uint, ulong>();
        foreach (var s in info.GetProperty("local_shards").EnumerateArray()) holders.TryAdd(s.GetProperty("shard_id").GetUInt32(), self);
        foreach (var s in info.GetProperty("remote_shards").EnumerateArray()) holders.TryAdd(s.GetProperty("shard_id").GetUInt32(), s.GetProperty("peer_id").GetUInt64());
        return [.. holders.Values];
    }

    /// <summary>Waits until the active holders of <paramref name="shard"/> satisfy <paramref name="expected"/> and no transfer runs.</summary>
    private static Task WaitForPlacementAsync(LocalCluster cluster, string collection, uint shard, Func<HashSet<ulong>, bool> expected) =>
        cluster.WaitUntilAsync(async () =>
        {
            var node = cluster.Nodes.First(n => n.IsRunning);
            var info = await LocalCluster.GetAsync(node, $"/collections/{collection}/cluster");
            ulong self = info.GetProperty("peer_id").GetUInt64();
            var active = new HashSet<ulong>();
            foreach (var s in info.GetProperty("local_shards").EnumerateArray())
            {
                if (s.GetProperty("shard_id").GetUInt32() == shard && s.GetProperty("state").GetString() == "Active") active.Add(self);
            }

            foreach (var s in info.GetProperty("remote_shards").EnumerateArray())
            {
                if (s.GetProperty("shard_id").GetUInt32() == shard && s.GetProperty("state").GetString() == "Active") active.Add(s.GetProperty("peer_id").GetUInt64());
            }

            var all = info.GetProperty("local_shards").EnumerateArray().Concat(info.GetProperty("remote_shards").EnumerateArray())
                .Count(s => s.GetProperty("shard_id").GetUInt32() == shard);
            return info.GetProperty("shard_transfers").GetArrayLength() == 0 && all == active.Count && expected(active);
        }, $"shard {shard} of {collection} placed as expected", Deadline);
}

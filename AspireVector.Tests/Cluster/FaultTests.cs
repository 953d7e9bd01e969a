using System.Collections.Concurrent;
using System.Text.Json;

namespace AspireVector.Tests.Cluster;

/// <summary>
/// Jepsen-style: random SIGKILLs of leaders and followers during continuous writes (replication_factor 3,
/// write_consistency_factor 2, several clients); afterwards every acknowledged write is on every replica.
/// </summary>
[Trait("Category", "Process")]
[Collection(ClusterProcesses.Name)]
public sealed class FaultTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task RandomKillsDuringWritesLoseNoAcknowledgedWrite()
    {
        await using var cluster = await LocalCluster.StartAsync(3, new Dictionary<string, string> { ["AV__CLUSTER__SELF_HEALING__ENABLED"] = "true", ["AV__LOG_LEVEL"] = "INFO" });
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/chaos",
            new { vectors = new { size = 4, distance = "Dot" }, replication_factor = 3, write_consistency_factor = 2, shard_number = 2 });

        var acknowledged = new ConcurrentDictionary<int, int>();
        int refused = 0;
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            int next = w * 1_000_000;
            while (!stop.IsCancellationRequested)
            {
                var node = cluster.Nodes[(next / 10) % cluster.Nodes.Count];
                if (!node.IsRunning) { next += 10; continue; }
                var batch = Enumerable.Range(next, 10).Select(i => new { id = i, vector = new[] { 1.0, i % 7, i % 11, w }, payload = new { writer = w } }).ToArray();
                next += 10;
                try
                {
                    var (status, _) = await LocalCluster.SendAsync(node, HttpMethod.Put, "/collections/chaos/points?wait=true", new { points = batch });
                    if (status == 200) foreach (var p in batch) acknowledged[p.id] = w;
                    else Interlocked.Increment(ref refused);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref refused); // the node died mid-request: not acknowledged
                }
            }
        })).ToArray();

        var random = new Random(2026);
        for (int round = 0; round < 3; round++)
        {
            int before = acknowledged.Count;
            await cluster.WaitUntilAsync(() => Task.FromResult(acknowledged.Count >= before + 100), $"writes before kill {round}", Deadline);
            int victim = round == 1 ? await cluster.IndexOfPeerAsync(await LeaderAsync(cluster)) : random.Next(cluster.Nodes.Count);
            cluster[victim].Kill();
            before = acknowledged.Count;
            await cluster.WaitUntilAsync(() => Task.FromResult(acknowledged.Count >= before + 50), $"writes with node {victim} down", Deadline);
            cluster.StartNode(victim);
            await cluster.WaitUntilAsync(async () => (await cluster[victim].Http.GetAsync("/readyz")).IsSuccessStatusCode, $"node {victim} back", Deadline);
        }

        await stop.CancelAsync();
        await Task.WhenAll(writers);

        // Healed: every replica active again, and every acknowledged point present on all of them.
        await cluster.WaitUntilAsync(async () =>
        {
            var info = await LocalCluster.GetAsync(cluster[0], "/collections/chaos/cluster");
            return info.GetProperty("shard_transfers").GetArrayLength() == 0
                && info.GetProperty("local_shards").EnumerateArray().Concat(info.GetProperty("remote_shards").EnumerateArray()).All(s => s.GetProperty("state").GetString() == "Active");
        }, "every replica active", Deadline);

        var ids = acknowledged.Keys.ToHashSet();
        var found = new HashSet<int>();
        var everywhere = await LocalCluster.OkAsync(cluster[1], HttpMethod.Post, "/collections/chaos/points/scroll?consistency=all", new { limit = 100_000 });
        foreach (var p in everywhere.GetProperty("points").EnumerateArray()) found.Add(p.GetProperty("id").GetInt32());
        var missing = ids.Except(found).ToList();
        if (missing.Count > 0)
        {
            var where = new List<string>();
            foreach (var n in cluster.Nodes)
            {
                var info = await LocalCluster.GetAsync(n, "/collections/chaos/cluster");
                var local = await LocalCluster.OkAsync(n, HttpMethod.Post, "/collections/chaos/points", new { ids = missing.Take(5).ToArray() });
                where.Add($"{n.Name}: local {info.GetProperty("local_shards")} sees {local.GetArrayLength()} of the first 5 missing");
            }

            foreach (var n in cluster.Nodes) File.WriteAllText(Path.Combine(Path.GetTempPath(), $"chaos-{n.Name}.log"), n.Log);
            Assert.Fail($"{missing.Count} of {ids.Count} acknowledged writes missing on some replica (refused {refused}); missing {string.Join(",", missing.Order())}; last acknowledged per writer {string.Join(",", acknowledged.GroupBy(a => a.Value).Select(g => g.Max(x => x.Key)))}\n{string.Join("\n", where)}\n{cluster.Logs()}");
        }

        foreach (var n in cluster.Nodes)
        {
            var count = await LocalCluster.OkAsync(n, HttpMethod.Post, "/collections/chaos/points/count", new { exact = true });
            Assert.Equal(found.Count, count.GetProperty("count").GetInt32());
        }

        output.WriteLine($"3 kills (one of them the leader): {ids.Count} writes acknowledged, {refused} batches refused, {found.Count} points on every replica, 0 acknowledged missing");
    }

    private static async Task<ulong> LeaderAsync(LocalCluster cluster)
    {
        ulong leader = 0;
        await cluster.WaitUntilAsync(async () => (leader = await cluster.AgreedLeaderAsync()) != 0, "an agreed leader", Deadline);
        return leader;
    }
}

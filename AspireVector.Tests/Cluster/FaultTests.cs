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
        var reasons = new ConcurrentDictionary<string, int>();
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
                    var (status, answer) = await LocalCluster.SendAsync(node, HttpMethod.Put, "/collections/chaos/points?wait=true", new { points = batch });
                    if (status == 200) foreach (var p in batch) acknowledged[p.id] = w;
                    else
                    {
                        Interlocked.Increment(ref refused);
                        string why = answer.TryGetProperty("status", out var st) && st.ValueKind == JsonValueKind.Object ? st.GetProperty("error").GetString() ?? "" : answer.ToString();
                        reasons.AddOrUpdate($"{status} {why[..Math.Min(70, why.Length)]}", 1, (_, n) => n + 1);
                    }
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

        foreach (var (why, n) in reasons.OrderByDescending(r => r.Value).Take(4)) output.WriteLine($"refused {n}x: {why}");
        output.WriteLine($"3 kills (one of them the leader): {ids.Count} writes acknowledged, {refused} batches refused, {found.Count} points on every replica, 0 acknowledged missing");
    }

    [Fact]
    public async Task PartitionedLeaderStepsDownMajorityElectsAnotherAndHealingConverges()
    {
        string faults = Path.Combine(Path.GetTempPath(), "av-faults-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(faults);
        string FaultFile(int i) => Path.Combine(faults, $"node-{i}.txt");
        try
        {
            await using var cluster = await LocalCluster.StartAsync(3, new Dictionary<string, string> { ["AV__CLUSTER__CONSENSUS__TICK_PERIOD_MS"] = "100" },
                perNode: i => new Dictionary<string, string> { ["AV__CLUSTER__P2P__FAULT_INJECTION_FILE"] = FaultFile(i) });
            await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/before", new { vectors = new { size = 2, distance = "Dot" } });
            ulong oldLeader = await LeaderAsync(cluster);
            int cut = await cluster.IndexOfPeerAsync(oldLeader);
            int[] majority = [.. Enumerable.Range(0, 3).Where(i => i != cut)];

            // Cut the leader off from both others, in both directions.
            File.WriteAllLines(FaultFile(cut), majority.Select(i => $"drop {cluster[i].P2PUri}"));
            foreach (int i in majority) File.WriteAllText(FaultFile(i), $"drop {cluster[cut].P2PUri}");
            var sw = System.Diagnostics.Stopwatch.StartNew();
            ulong newLeader = 0;
            await cluster.WaitUntilAsync(async () =>
            {
                var a = (await LocalCluster.GetAsync(cluster[majority[0]], "/cluster")).GetProperty("raft_info");
                var b = (await LocalCluster.GetAsync(cluster[majority[1]], "/cluster")).GetProperty("raft_info");
                if (a.GetProperty("leader").ValueKind != JsonValueKind.Number || b.GetProperty("leader").ValueKind != JsonValueKind.Number) return false;
                newLeader = a.GetProperty("leader").GetUInt64();
                return newLeader != oldLeader && newLeader == b.GetProperty("leader").GetUInt64();
            }, "the majority electing a new leader", Deadline);
            var elected = sw.Elapsed;

            // No split brain: the cut-off leader steps down (check quorum) and cannot change metadata.
            await cluster.WaitUntilAsync(async () =>
                (await LocalCluster.GetAsync(cluster[cut], "/cluster")).GetProperty("raft_info").GetProperty("role").GetString() != "Leader",
                "the old leader stepping down", Deadline);
            var (status, refusal) = await LocalCluster.SendAsync(cluster[cut], HttpMethod.Put, "/collections/minority", new { vectors = new { size = 2, distance = "Dot" } });
            Assert.True(status is 503 or 504, $"the minority accepted a metadata change: {status} {refusal}");
            await LocalCluster.OkAsync(cluster[majority[0]], HttpMethod.Put, "/collections/majority", new { vectors = new { size = 2, distance = "Dot" } });

            // Heal: everyone agrees again, and the old leader has exactly what the majority decided.
            foreach (var f in Directory.GetFiles(faults)) File.Delete(f);
            await cluster.WaitUntilAsync(async () =>
            {
                if (await cluster.AgreedLeaderAsync() == 0) return false;
                var names = (await LocalCluster.GetAsync(cluster[cut], "/collections")).GetProperty("collections").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToHashSet();
                return names.SetEquals(["before", "majority"]);
            }, "the partition healed and converged", Deadline);
            output.WriteLine($"partition: a new leader was elected {elected.TotalMilliseconds:F0} ms after the cut; the old leader refused writes with {status}");
        }
        finally
        {
            Directory.Delete(faults, recursive: true);
        }
    }

    private static async Task<ulong> LeaderAsync(LocalCluster cluster)
    {
        ulong leader = 0;
        await cluster.WaitUntilAsync(async () => (leader = await cluster.AgreedLeaderAsync()) != 0, "an agreed leader", Deadline);
        return leader;
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace AspireVector.Tests.Cluster;

/// <summary>
/// Two transfers of one shard from the same peer, the second committed while the first one's runner is still winding
/// down (it keeps forwarding for a moment after its completion, for coordinators on the old placement): the second
/// transfer's receiver must still get every write acknowledged while it was filled.
/// </summary>
/// <remarks>
/// Latency is injected on the source's calls to the second receiver, so the second transfer outlasts the first
/// runner's wind-down, and on the writer's calls to the source, so the writer stays slower than the forwarding.
/// </remarks>
[Trait("Category", "Process")]
[Collection(ClusterProcesses.Name)]
public sealed class BackToBackTransferTests(Xunit.Abstractions.ITestOutputHelper output)
{
    // Generous: on a loaded machine a transfer's completion may miss its commit, and its runner then restarts it a minute later.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(180);

    [Theory]
    [InlineData("snapshot")]
    [InlineData("stream_records")]
    public async Task MovingRightAfterReplicatingTheSameShardForwardsEveryAcknowledgedWrite(string method)
    {
        string faults = Path.Combine(Path.GetTempPath(), "av-b2b-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(faults);
        string FaultFile(int i) => Path.Combine(faults, $"node-{i}.txt");
        try
        {
            // A write slowed by the injected latency must not outlast the grace: its replica would be marked dead, aborting the move.
            await using var cluster = await LocalCluster.StartAsync(3, new Dictionary<string, string> { ["AV__LOG_LEVEL"] = "INFO", ["AV__CLUSTER__REPLICA_WRITE_GRACE_MS"] = "60000" },
                perNode: i => new Dictionary<string, string> { ["AV__CLUSTER__P2P__FAULT_INJECTION_FILE"] = FaultFile(i) });
            await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/b2b",
                new { vectors = new { size = 64, distance = "Dot" }, replication_factor = 1, shard_number = 1 });
            var peers = await Task.WhenAll(Enumerable.Range(0, 3).Select(cluster.PeerIdAsync));
            var placement = await LocalCluster.GetAsync(cluster[0], "/collections/b2b/cluster");
            ulong source = placement.GetProperty("local_shards").GetArrayLength() == 1 ? peers[0] : placement.GetProperty("remote_shards")[0].GetProperty("peer_id").GetUInt64();
            int sourceIndex = Array.IndexOf(peers, source);
            int target = (sourceIndex + 1) % 3, third = (sourceIndex + 2) % 3;

            var seed = new Random(5);
            for (int first = 1_000_000; first < 1_003_000; first += 500)
            {
                var batch = Enumerable.Range(first, 500).Select(id => new { id, vector = Vector(seed), payload = new { round = -1 } });
                await LocalCluster.OkAsync(cluster[target], HttpMethod.Put, "/collections/b2b/points?wait=true", new { points = batch });
            }

            // The source reaches the move's receiver slowly; the writer (coordinating on the target) reaches the source
            // more slowly still, so queued or forwarded updates drain faster than they are written.
            File.WriteAllText(FaultFile(sourceIndex), $"delay {cluster[third].P2PUri} 100");
            File.WriteAllText(FaultFile(target), $"delay {cluster[sourceIndex].P2PUri} 200");

            var acknowledged = new ConcurrentDictionary<int, int>();
            var refused = new ConcurrentQueue<string>();
            var indeterminate = new ConcurrentDictionary<int, byte>(); // refused writes may have landed on some replicas
            using var stop = new CancellationTokenSource();
            var writer = Task.Run(async () =>
            {
                var random = new Random(7);
                for (int round = 0; !stop.IsCancellationRequested; round++)
                {
                    var ids = Enumerable.Range(round * 10, 10).ToArray();
                    var batch = ids.Select(id => new { id, vector = Vector(random), payload = new { round } }).ToArray();
                    var (status, answer) = await LocalCluster.SendAsync(cluster[target], HttpMethod.Put, "/collections/b2b/points?wait=true", new { points = batch });
                    if (status == 200) foreach (var id in ids) acknowledged[id] = round;
                    else
                    {
                        refused.Enqueue($"{status} {answer}");
                        foreach (var id in ids) indeterminate[id] = 0;
                    }
                }
            });

            await LocalCluster.OkAsync(cluster[target], HttpMethod.Post, "/collections/b2b/cluster",
                new { replicate_shard = new { shard_id = 0, from_peer_id = source, to_peer_id = peers[target], method } });

            // The move is refused while the replication is listed; it is committed as soon as it no longer is.
            var moveBy = DateTime.UtcNow + Deadline;
            while (true)
            {
                var (status, answer) = await LocalCluster.SendAsync(cluster[target], HttpMethod.Post, "/collections/b2b/cluster",
                    new { move_shard = new { shard_id = 0, from_peer_id = source, to_peer_id = peers[third], method } });
                if (status == 200) break;
                // 400 while the replication is listed; 504 when the cluster did not commit the move within its deadline on a
                // starved machine (it may still be applied: the wait below sees it, or moves again if it was not).
                Assert.True(status is 400 or 504 && DateTime.UtcNow < moveBy, $"move answered {status}: {answer}\n{cluster.Logs()}");
                if (status == 504)
                {
                    output.WriteLine($"the move was not committed in time: {answer}");
                    break;
                }
            }

            // Under heavy load the replication may have been aborted (its completion missed the commit deadline): the move
            // went on from the source alone, and only the move's receiver is checked then. The move itself may be aborted
            // the same way (no transfer listed, the source still active, the receiver not): an operator moves it again,
            // and so does the test (a move stuck in the transfer list still fails it).
            int before = acknowledged.Count;
            var active = new HashSet<ulong>();
            int moves = 1;
            await cluster.WaitUntilAsync(async () =>
            {
                var info = await LocalCluster.GetAsync(cluster[third], "/collections/b2b/cluster");
                active.Clear();
                foreach (var s in info.GetProperty("local_shards").EnumerateArray().Concat(info.GetProperty("remote_shards").EnumerateArray()))
                {
                    if (s.GetProperty("state").GetString() == "Active") active.Add(s.TryGetProperty("peer_id", out var p) ? p.GetUInt64() : peers[third]);
                }

                bool listed = info.GetProperty("shard_transfers").GetArrayLength() > 0;
                if (!listed && active.Contains(source) && !active.Contains(peers[third]) && moves < 4)
                {
                    var (again, _) = await LocalCluster.SendAsync(cluster[target], HttpMethod.Post, "/collections/b2b/cluster",
                        new { move_shard = new { shard_id = 0, from_peer_id = source, to_peer_id = peers[third], method } });
                    if (again == 200) output.WriteLine($"the move was aborted; moved again (attempt {++moves})");
                    return false;
                }

                return !listed && active.Contains(peers[third]) && !active.Contains(source);
            }, "the move done", Deadline);
            await cluster.WaitUntilAsync(() => Task.FromResult(acknowledged.Count >= before + 30), "writes during and after the move", Deadline);
            await stop.CancelAsync();
            await writer;
            output.WriteLine($"{acknowledged.Count} points acknowledged by the writer; replicated to the target too: {active.Contains(peers[target])}");
            output.WriteLine(cluster.Logs());
            Assert.True(refused.Count <= 2, $"{refused.Count} batches refused: {string.Join("; ", refused.Take(3))}");

            var onThird = await ScrollAsync(cluster[third]);
            var missing = acknowledged.Keys.Where(id => !onThird.ContainsKey(id)).Order().ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} acknowledged points missing on the move's receiver (first {string.Join(", ", missing.Take(10))})\n{cluster.Logs()}");
            foreach (var (id, round) in acknowledged) Assert.True(onThird[id] >= round, $"point {id} on the move's receiver");
            if (active.Contains(peers[target]))
            {
                var onTarget = await ScrollAsync(cluster[target]);
                Assert.Equal(onTarget.Where(p => !indeterminate.ContainsKey(p.Key)), onThird.Where(p => !indeterminate.ContainsKey(p.Key)));
            }
        }
        finally
        {
            Directory.Delete(faults, recursive: true);
        }
    }

    private static double[] Vector(Random random) => Enumerable.Range(0, 64).Select(_ => random.NextDouble()).ToArray();

    /// <summary>Each peer reads its own replica first: point id to its payload's round.</summary>
    private static async Task<SortedDictionary<int, int>> ScrollAsync(NodeProcess node)
    {
        var page = await LocalCluster.OkAsync(node, HttpMethod.Post, "/collections/b2b/points/scroll", new { limit = 100_000, with_payload = true });
        var points = new SortedDictionary<int, int>();
        foreach (var p in page.GetProperty("points").EnumerateArray())
            points[p.GetProperty("id").GetInt32()] = p.GetProperty("payload").GetProperty("round").GetInt32();
        return points;
    }
}

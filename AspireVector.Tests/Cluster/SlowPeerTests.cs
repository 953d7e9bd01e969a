using System.Diagnostics;
using System.Text.Json;

namespace AspireVector.Tests.Cluster;

/// <summary>
/// A slow peer (latency injected on the other peers' calls to it through <c>cluster.p2p.fault_injection_file</c>):
/// writes meet <c>write_consistency_factor</c> without waiting on it beyond the grace, reads route around it, and a
/// replica slower than the grace is taken out of service, then healed back holding every acknowledged point.
/// </summary>
[Trait("Category", "Process")]
[Collection(ClusterProcesses.Name)]
public sealed class SlowPeerTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private const int GraceMs = 5_000;
    private const int BelowGraceMs = 3_000;
    private const int AboveGraceMs = 8_000;

    [Fact]
    public async Task WritesMeetTheFactorWithoutASlowPeerAndReadsRouteAroundIt()
    {
        string faults = Path.Combine(Path.GetTempPath(), "av-slow-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(faults);
        string FaultFile(int i) => Path.Combine(faults, $"node-{i}.txt");
        try
        {
            await using var cluster = await LocalCluster.StartAsync(3, new Dictionary<string, string>
            {
                ["AV__CLUSTER__SELF_HEALING__ENABLED"] = "true",
                ["AV__CLUSTER__REPLICA_WRITE_GRACE_MS"] = GraceMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["AV__CLUSTER__CONSENSUS__TICK_PERIOD_MS"] = "100",
            }, perNode: i => new Dictionary<string, string> { ["AV__CLUSTER__P2P__FAULT_INJECTION_FILE"] = FaultFile(i) });

            // The slow peer is a follower: a slow leader would also lose its leadership, which is another test's subject.
            ulong leader = 0;
            await cluster.WaitUntilAsync(async () => (leader = await cluster.AgreedLeaderAsync()) != 0, "an agreed leader", Deadline);
            int slow = 2;
            while (await cluster.PeerIdAsync(slow) == leader) slow--;
            int[] healthy = [.. Enumerable.Range(0, 3).Where(i => i != slow)];
            ulong slowPeer = await cluster.PeerIdAsync(slow);

            await LocalCluster.OkAsync(cluster[healthy[0]], HttpMethod.Put, "/collections/slow",
                new { vectors = new { size = 4, distance = "Dot" }, replication_factor = 3, write_consistency_factor = 2, shard_number = 2 });
            // Replication factor 2 over 3 peers: each peer lacks one shard, held by the two others; reads of it go remote.
            await LocalCluster.OkAsync(cluster[healthy[0]], HttpMethod.Put, "/collections/routed",
                new { vectors = new { size = 4, distance = "Dot" }, replication_factor = 2, shard_number = 3 });
            await LocalCluster.OkAsync(cluster[healthy[0]], HttpMethod.Put, "/collections/routed/points?wait=true", new { points = Batch(0, 60) });

            await cluster.WaitUntilAsync(async () =>
                (await LocalCluster.GetAsync(cluster[slow], "/collections/slow/cluster")).GetProperty("local_shards").GetArrayLength() == 2
                && (await LocalCluster.GetAsync(cluster[slow], "/collections/routed/cluster")).GetProperty("local_shards").GetArrayLength() == 2,
                "the slow peer holding its replicas", Deadline);

            // 1. Latency below the grace: every write waits for the slow replica and lands on all three.
            foreach (int i in healthy) File.WriteAllText(FaultFile(i), $"delay {cluster[slow].P2PUri} {BelowGraceMs}");
            int written = 0;
            for (int b = 0; b < 3; b++, written += 20)
            {
                await LocalCluster.OkAsync(cluster[healthy[b % 2]], HttpMethod.Put, "/collections/slow/points?wait=true", new { points = Batch(written, 20) });
            }

            Assert.All(await ReplicaStatesAsync(cluster, healthy[0], "slow", slowPeer), s => Assert.Equal("Active", s));
            Assert.Equal(written, await LocalCountAsync(cluster, slow, "slow"));

            // Reads of the shard a healthy peer lacks go to the other healthy peer or are hedged away from the slow one.
            var slowest = TimeSpan.Zero;
            for (int r = 0; r < 10; r++)
            {
                foreach (int i in healthy)
                {
                    var sw = Stopwatch.StartNew();
                    var page = await LocalCluster.OkAsync(cluster[i], HttpMethod.Post, "/collections/routed/points/scroll", new { limit = 100 });
                    var took = sw.Elapsed;
                    Assert.Equal(Enumerable.Range(0, 60), page.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("id").GetInt32()).Order());
                    Assert.True(took < TimeSpan.FromMilliseconds(BelowGraceMs / 2), $"a read through node {i} took {took.TotalMilliseconds:F0} ms with {BelowGraceMs} ms injected toward node {slow}");
                    if (took > slowest) slowest = took;
                }
            }

            // 2. Latency above the grace: writes are acknowledged after the grace, once the slow replicas are out of service.
            foreach (int i in healthy) File.WriteAllText(FaultFile(i), $"delay {cluster[slow].P2PUri} {AboveGraceMs}");
            var write = Stopwatch.StartNew();
            for (int b = 0; b < 2; b++, written += 20)
            {
                await LocalCluster.OkAsync(cluster[healthy[b % 2]], HttpMethod.Put, "/collections/slow/points?wait=true", new { points = Batch(written, 20) });
            }

            var aboveGrace = write.Elapsed;
            var states = await ReplicaStatesAsync(cluster, healthy[0], "slow", slowPeer);
            Assert.All(states, s => Assert.NotEqual("Active", s)); // Dead, or already Partial when healing started a transfer
            Assert.Equal(written, (await LocalCluster.OkAsync(cluster[healthy[1]], HttpMethod.Post, "/collections/slow/points/count", new { exact = true })).GetProperty("count").GetInt32());

            // 3. Heal: the fault is cleared, self-healing brings the replicas back holding every acknowledged point.
            foreach (int i in healthy) File.Delete(FaultFile(i));
            await cluster.WaitUntilAsync(async () =>
            {
                var info = await LocalCluster.GetAsync(cluster[healthy[0]], "/collections/slow/cluster");
                return info.GetProperty("shard_transfers").GetArrayLength() == 0
                    && (await ReplicaStatesAsync(cluster, healthy[0], "slow", slowPeer)).All(s => s == "Active");
            }, "the slow peer's replicas active again", Deadline);
            await cluster.WaitUntilAsync(async () => await LocalCountAsync(cluster, slow, "slow") == written, $"{written} points on the healed peer", Deadline);
            var all = await LocalCluster.OkAsync(cluster[healthy[0]], HttpMethod.Post, "/collections/slow/points/scroll?consistency=all", new { limit = 1000 });
            Assert.Equal(Enumerable.Range(0, written), all.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("id").GetInt32()).Order());
            output.WriteLine($"slow peer: {BelowGraceMs} ms injected: writes on all 3 replicas, slowest of 20 reads {slowest.TotalMilliseconds:F0} ms; "
                + $"{AboveGraceMs} ms injected (grace {GraceMs} ms): 2 writes acknowledged in {aboveGrace.TotalMilliseconds:F0} ms, replicas {string.Join("/", states)}, healed with all {written} points");
        }
        finally
        {
            Directory.Delete(faults, recursive: true);
        }
    }

    private static object[] Batch(int from, int count) =>
        [.. Enumerable.Range(from, count).Select(i => new { id = i, vector = new[] { 1.0, i % 5, i % 7, 0.5 } })];

    /// <summary>States of <paramref name="peer"/>'s replicas of <paramref name="collection"/> as node <paramref name="via"/> sees them.</summary>
    private static async Task<List<string>> ReplicaStatesAsync(LocalCluster cluster, int via, string collection, ulong peer)
    {
        var info = await LocalCluster.GetAsync(cluster[via], $"/collections/{collection}/cluster");
        var states = info.GetProperty("remote_shards").EnumerateArray()
            .Where(s => s.GetProperty("peer_id").GetUInt64() == peer).Select(s => s.GetProperty("state").GetString()!).ToList();
        Assert.NotEmpty(states);
        return states;
    }

    /// <summary>Exact count read through node <paramref name="i"/>, which holds every shard: its local replicas answer.</summary>
    private static async Task<int> LocalCountAsync(LocalCluster cluster, int i, string collection) =>
        (await LocalCluster.OkAsync(cluster[i], HttpMethod.Post, $"/collections/{collection}/points/count", new { exact = true })).GetProperty("count").GetInt32();
}

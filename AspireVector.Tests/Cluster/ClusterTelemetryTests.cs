using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace AspireVector.Tests.Cluster;

/// <summary>
/// <c>GET /cluster/telemetry</c> over three real nodes (P2P with <c>cluster.p2p.api_key</c>): every peer's details and
/// every replica's figures; a hanging peer and a killed peer show up as <c>responsive: false</c> while the request
/// still answers within its timeout.
/// </summary>
[Trait("Category", "Process")]
[Collection(ClusterProcesses.Name)]
public sealed class ClusterTelemetryTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task ReportsEveryPeerAndReplicaAndMarksSilentPeersUnresponsiveWithinTheTimeout()
    {
        string faults = Path.Combine(Path.GetTempPath(), "av-ctel-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(faults);
        string FaultFile(int i) => Path.Combine(faults, $"node-{i}.txt");
        try
        {
            await using var cluster = await LocalCluster.StartAsync(3, new Dictionary<string, string> { ["AV__CLUSTER__P2P__API_KEY"] = "ctel-p2p-key" },
                perNode: i => new Dictionary<string, string> { ["AV__CLUSTER__P2P__FAULT_INJECTION_FILE"] = FaultFile(i) });
            ulong[] peers = await Task.WhenAll(Enumerable.Range(0, 3).Select(cluster.PeerIdAsync));
            await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/ctel",
                new { vectors = new { size = 4, distance = "Dot" }, shard_number = 3, replication_factor = 2 });
            var points = Enumerable.Range(0, 60).Select(i => new { id = i, vector = new[] { i, 1.0, 0.5, 0.25 }, payload = new { n = i } }).ToArray();
            await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/ctel/points?wait=true", new { points });

            // 1. Everyone answers: details for each peer, figures for each replica, replicas of a shard agree, shards add up.
            JsonElement telemetry = default;
            await cluster.WaitUntilAsync(async () =>
            {
                telemetry = await LocalCluster.GetAsync(cluster[1], "/cluster/telemetry?timeout=10");
                var shards = Shards(telemetry, "ctel");
                return shards.All(s => s.Replicas.Count == 2 && s.Replicas.All(r => r.GetProperty("state").GetString() == "Active" && r.TryGetProperty("num_points", out _)))
                    && shards.All(s => s.Replicas.Select(NumPoints).Distinct().Count() == 1)
                    && shards.Sum(s => NumPoints(s.Replicas[0])) == 60;
            }, "every replica active and counted", Deadline);

            var clusterPart = telemetry.GetProperty("cluster");
            Assert.True(clusterPart.GetProperty("enabled").GetBoolean());
            Assert.Equal(3, clusterPart.GetProperty("number_of_peers").GetInt32());
            var reported = clusterPart.GetProperty("peers");
            Assert.Equal(peers.Select(p => p.ToString(CultureInfo.InvariantCulture)).Order(), reported.EnumerateObject().Select(p => p.Name).Order());
            for (int i = 0; i < 3; i++)
            {
                var peer = reported.GetProperty(peers[i].ToString(CultureInfo.InvariantCulture));
                Assert.Equal(cluster[i].P2PUri, peer.GetProperty("uri").GetString());
                Assert.True(peer.GetProperty("responsive").GetBoolean());
                var details = peer.GetProperty("details");
                Assert.Matches(@"^\d+\.\d+\.\d+", details.GetProperty("version").GetString());
                Assert.Contains(details.GetProperty("role").GetString(), new[] { "Leader", "Follower", "Candidate", "PreCandidate" });
                Assert.True(details.GetProperty("is_voter").GetBoolean());
                Assert.True(details.GetProperty("term").GetUInt64() >= 1);
                Assert.True(details.GetProperty("commit").GetUInt64() >= 1);
                Assert.True(details.GetProperty("num_pending_operations").GetUInt64() >= 0);
                Assert.Equal("working", details.GetProperty("consensus_thread_status").GetProperty("consensus_thread_status").GetString());
            }

            Assert.Single(reported.EnumerateObject(), p => p.Value.GetProperty("details").GetProperty("role").GetString() == "Leader");
            var replica = Shards(telemetry, "ctel")[0].Replicas[0];
            Assert.Equal(NumPoints(replica), replica.GetProperty("num_vectors_by_name").GetProperty("").GetInt64());
            Assert.Equal(NumPoints(replica) * 4 * sizeof(float), replica.GetProperty("vectors_size_bytes").GetInt64());
            Assert.True(replica.GetProperty("payloads_size_bytes").GetInt64() >= NumPoints(replica) * 7);
            Assert.Equal(60, (await LocalCluster.OkAsync(cluster[2], HttpMethod.Post, "/collections/ctel/points/count", new { exact = true })).GetProperty("count").GetInt64());

            // 2. A hanging peer (node 0's calls to it stall for 30 s): unresponsive, no details, its replicas bare; the answer keeps the timeout.
            const int hanging = 2;
            File.WriteAllText(FaultFile(0), $"delay {cluster[hanging].P2PUri} 30000");
            var sw = Stopwatch.StartNew();
            telemetry = await LocalCluster.GetAsync(cluster[0], "/cluster/telemetry?timeout=2");
            sw.Stop();
            Assert.InRange(sw.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(8));
            AssertSilent(telemetry, peers[hanging], responsive: peers.Where(p => p != peers[hanging]));
            File.WriteAllText(FaultFile(0), "");

            // 3. A killed peer: unresponsive as well, and the request still succeeds.
            const int killed = 1;
            cluster[killed].Kill();
            sw.Restart();
            telemetry = await LocalCluster.GetAsync(cluster[0], "/cluster/telemetry?timeout=3");
            sw.Stop();
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(9), $"took {sw.Elapsed}");
            AssertSilent(telemetry, peers[killed], responsive: peers.Where(p => p != peers[killed]));
        }
        finally
        {
            Directory.Delete(faults, recursive: true);
        }
    }

    private static void AssertSilent(JsonElement telemetry, ulong silent, IEnumerable<ulong> responsive)
    {
        var peers = telemetry.GetProperty("cluster").GetProperty("peers");
        var peer = peers.GetProperty(silent.ToString(CultureInfo.InvariantCulture));
        Assert.False(peer.GetProperty("responsive").GetBoolean());
        Assert.Equal(JsonValueKind.Null, peer.GetProperty("details").ValueKind);
        foreach (var other in responsive) Assert.True(peers.GetProperty(other.ToString(CultureInfo.InvariantCulture)).GetProperty("responsive").GetBoolean());

        var replicas = Shards(telemetry, "ctel").SelectMany(s => s.Replicas).ToList();
        var bare = replicas.Where(r => r.GetProperty("peer_id").GetUInt64() == silent).ToList();
        Assert.NotEmpty(bare);
        Assert.All(bare, r => Assert.Equal(["peer_id", "state"], r.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)));
        Assert.All(replicas.Where(r => r.GetProperty("peer_id").GetUInt64() != silent), r => Assert.True(r.TryGetProperty("num_points", out _)));
    }

    private static long NumPoints(JsonElement replica) => replica.GetProperty("num_points").GetInt64();

    private static List<(uint Id, List<JsonElement> Replicas)> Shards(JsonElement telemetry, string collection) =>
        [.. telemetry.GetProperty("collections").GetProperty(collection).GetProperty("shards").EnumerateArray()
            .Select(s => (s.GetProperty("id").GetUInt32(), s.GetProperty("replicas").EnumerateArray().ToList()))];
}

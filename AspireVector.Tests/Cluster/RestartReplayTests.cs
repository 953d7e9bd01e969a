using System.Text.Json;

namespace AspireVector.Tests.Cluster;

/// <summary>
/// A restarted peer replays its Raft log from the start. Local storage must follow only the state reached at the end
/// of that replay: acting on an intermediate state (here an aborted transfer to this peer) would drop a replica the
/// log later gives back to it, and the peer would come back holding an empty shard.
/// </summary>
[Trait("Category", "Process")]
[Collection(ClusterProcesses.Name)]
public sealed class RestartReplayTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task A_replica_given_back_after_an_aborted_transfer_survives_the_log_replay_of_a_restart()
    {
        string faults = Path.Combine(Path.GetTempPath(), "av-replay-faults-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(faults);
        string FaultFile(int i) => Path.Combine(faults, $"node-{i}.txt");
        try
        {
            await using var cluster = await LocalCluster.StartAsync(3,
                perNode: i => new Dictionary<string, string> { ["AV__CLUSTER__P2P__FAULT_INJECTION_FILE"] = FaultFile(i) });
            ulong leader = await cluster.AgreedLeaderAsync();
            var peers = await Task.WhenAll(Enumerable.Range(0, 3).Select(cluster.PeerIdAsync));
            int leaderIndex = Array.IndexOf(peers, leader);

            // One shard per peer; the transfer goes between the two followers, so cutting it leaves Raft alone.
            await LocalCluster.OkAsync(cluster[leaderIndex], HttpMethod.Put, "/collections/replayed",
                new { vectors = new { size = 4, distance = "Dot" }, shard_number = 3, replication_factor = 1 });
            var points = Enumerable.Range(1, 300).Select(i => new { id = i, vector = new[] { i, 1.0, 0.5, -i } }).ToArray();
            await LocalCluster.OkAsync(cluster[leaderIndex], HttpMethod.Put, "/collections/replayed/points?wait=true", new { points });

            int source = Enumerable.Range(0, 3).First(i => i != leaderIndex);
            int target = Enumerable.Range(0, 3).First(i => i != leaderIndex && i != source);
            var sourceInfo = await LocalCluster.GetAsync(cluster[source], "/collections/replayed/cluster");
            var shard = sourceInfo.GetProperty("local_shards")[0];
            uint shardId = shard.GetProperty("shard_id").GetUInt32();
            long shardPoints = shard.GetProperty("points_count").GetInt64();
            Assert.True(shardPoints > 0, "the source's shard holds no points");
            var replicate = new { replicate_shard = new { shard_id = shardId, from_peer_id = peers[source], to_peer_id = peers[target] } };

            // First attempt: the source cannot reach the target, so the transfer fails and is aborted through consensus.
            File.WriteAllText(FaultFile(source), $"drop {cluster[target].P2PUri}");
            await LocalCluster.OkAsync(cluster[leaderIndex], HttpMethod.Post, "/collections/replayed/cluster", replicate);
            await cluster.WaitUntilAsync(async () =>
            {
                var info = await LocalCluster.GetAsync(cluster[leaderIndex], "/collections/replayed/cluster");
                return info.GetProperty("shard_transfers").GetArrayLength() == 0 && HoldersOf(info, shardId).SetEquals([peers[source]]);
            }, "the failed transfer aborted", Deadline);

            // Second attempt succeeds: the target now holds an active replica with every point of the shard.
            // The node re-reads its fault file within 100 ms, so an attempt started at once may still be cut off and
            // aborted: start it again whenever no transfer runs and the target holds no replica yet.
            File.Delete(FaultFile(source));
            await cluster.WaitUntilAsync(async () =>
            {
                var info = await LocalCluster.GetAsync(cluster[target], "/collections/replayed/cluster");
                if (info.GetProperty("shard_transfers").GetArrayLength() == 0 && LocalShard(info, shardId) is { } s
                    && s.GetProperty("state").GetString() == "Active" && s.GetProperty("points_count").GetInt64() == shardPoints)
                    return true;
                var leaderView = await LocalCluster.GetAsync(cluster[leaderIndex], "/collections/replayed/cluster");
                if (leaderView.GetProperty("shard_transfers").GetArrayLength() == 0 && !HoldersOf(leaderView, shardId).Contains(peers[target]))
                    await LocalCluster.OkAsync(cluster[leaderIndex], HttpMethod.Post, "/collections/replayed/cluster", replicate);
                return false;
            }, "the second transfer completed", Deadline);

            // Restart the target: its replay passes through "replica removed" (the abort) before "replica active".
            cluster[target].Kill();
            cluster.StartNode(target);
            await cluster.WaitUntilAsync(async () => (await cluster[target].Http.GetAsync("/readyz")).StatusCode == System.Net.HttpStatusCode.OK,
                "the restarted target ready", Deadline);
            var after = await LocalCluster.GetAsync(cluster[target], "/collections/replayed/cluster");
            var kept = LocalShard(after, shardId);
            Assert.True(kept is not null, $"the restarted peer lost its replica of shard {shardId}: {after}");
            Assert.Equal(shardPoints, kept.Value.GetProperty("points_count").GetInt64());
            Assert.Equal("Active", kept.Value.GetProperty("state").GetString());
        }
        finally
        {
            Directory.Delete(faults, recursive: true);
        }
    }

    private static JsonElement? LocalShard(JsonElement info, uint shardId)
    {
        foreach (var s in info.GetProperty("local_shards").EnumerateArray())
        {
            if (s.GetProperty("shard_id").GetUInt32() == shardId) return s;
        }

        return null;
    }

    private static HashSet<ulong> HoldersOf(JsonElement info, uint shardId)
    {
        var holders = new HashSet<ulong>();
        ulong self = info.GetProperty("peer_id").GetUInt64();
        foreach (var s in info.GetProperty("local_shards").EnumerateArray())
        {
            if (s.GetProperty("shard_id").GetUInt32() == shardId) holders.Add(self);
        }

        foreach (var s in info.GetProperty("remote_shards").EnumerateArray())
        {
            if (s.GetProperty("shard_id").GetUInt32() == shardId) holders.Add(s.GetProperty("peer_id").GetUInt64());
        }

        return holders;
    }
}

using System.Text.Json;

namespace AspireVector.Tests.Cluster;

/// <summary>Three real nodes on loopback: agreement, leader failover, rejoin, collections through consensus, peer removal.</summary>
[Trait("Category", "Process")]
[Collection(ClusterProcesses.Name)]
public sealed class ClusterModeTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task PeersAgreeLeaderFailsOverOldLeaderRejoinsAndCollectionsExistEverywhere()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        var first = await LocalCluster.GetAsync(cluster[1], "/cluster");
        Assert.Equal("enabled", first.GetProperty("status").GetString());
        Assert.Equal(3, first.GetProperty("peers").EnumerateObject().Count());
        Assert.Contains(first.GetProperty("peers").EnumerateObject(), p => p.Value.GetProperty("uri").GetString() == cluster[2].P2PUri);
        Assert.Equal("working", first.GetProperty("consensus_thread_status").GetProperty("consensus_thread_status").GetString());

        await LocalCluster.OkAsync(cluster[1], HttpMethod.Put, "/collections/before", new { vectors = new { size = 4, distance = "Dot" } });

        // Elections can happen on a loaded machine: wait for agreement rather than reading a leader mid-election.
        ulong oldLeader = 0;
        await cluster.WaitUntilAsync(async () => (oldLeader = await cluster.AgreedLeaderAsync()) != 0, "an agreed leader", Deadline);
        int leaderIndex = await cluster.IndexOfPeerAsync(oldLeader);
        cluster[leaderIndex].Kill();
        await cluster.WaitUntilAsync(async () => await cluster.AgreedLeaderAsync() is var l && l != 0 && l != oldLeader, "a new leader", Deadline);

        var survivor = cluster.Nodes.First(n => n.IsRunning);
        await LocalCluster.OkAsync(survivor, HttpMethod.Put, "/collections/after", new { vectors = new { size = 4, distance = "Dot" } });

        cluster.StartNode(leaderIndex);
        await cluster.WaitUntilAsync(async () =>
        {
            var c = await LocalCluster.GetAsync(cluster[leaderIndex], "/cluster");
            return c.GetProperty("raft_info").GetProperty("role").GetString() == "Follower"
                && c.GetProperty("peer_id").GetUInt64() == oldLeader
                && await cluster.AgreedLeaderAsync() != 0;
        }, "the old leader back as a follower with its peer id", Deadline);

        foreach (var n in cluster.Nodes)
        {
            await cluster.WaitUntilAsync(async () =>
            {
                var names = (await LocalCluster.GetAsync(n, "/collections")).GetProperty("collections").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToHashSet();
                return names.SetEquals(["before", "after"]);
            }, $"both collections on {n.Name}", Deadline);
        }
    }

    [Fact]
    public async Task RemovingAnEmptyPeerDropsItEverywhereAndItStopsParticipating()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        ulong removed = await cluster.PeerIdAsync(2);
        var (status, json) = await LocalCluster.SendAsync(cluster[0], HttpMethod.Delete, $"/cluster/peer/{removed}");
        Assert.True(status == 200, json.ToString());

        foreach (var i in new[] { 0, 1 })
        {
            await cluster.WaitUntilAsync(async () =>
                !(await LocalCluster.GetAsync(cluster[i], "/cluster")).GetProperty("peers").TryGetProperty(removed.ToString(System.Globalization.CultureInfo.InvariantCulture), out _),
                $"peer {removed} gone from node {i}", Deadline);
        }

        // The removed node notices and reports itself not ready; the others still agree and accept changes.
        await cluster.WaitUntilAsync(async () => (await cluster[2].Http.GetAsync("/readyz")).StatusCode == System.Net.HttpStatusCode.ServiceUnavailable, "the removed node to stop being ready", Deadline);
        cluster[2].Kill();
        await LocalCluster.OkAsync(cluster[1], HttpMethod.Put, "/collections/two_peers", new { vectors = new { size = 2, distance = "Euclid" } });
        var info = await LocalCluster.GetAsync(cluster[0], "/collections/two_peers/cluster");
        Assert.Equal(2, info.GetProperty("shard_count").GetInt32());
    }

    [Fact]
    public async Task PeerHoldingShardsIsRemovedOnlyWithForce()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/held", new { vectors = new { size = 2, distance = "Dot" }, shard_number = 3 });
        ulong peer = await cluster.PeerIdAsync(2);
        var (status, json) = await LocalCluster.SendAsync(cluster[0], HttpMethod.Delete, $"/cluster/peer/{peer}");
        Assert.Equal(400, status);
        Assert.Contains("shards on it", json.GetProperty("status").GetProperty("error").GetString());

        (status, json) = await LocalCluster.SendAsync(cluster[0], HttpMethod.Delete, $"/cluster/peer/{peer}?force=true");
        Assert.True(status == 200, json.ToString());
        var placement = await LocalCluster.GetAsync(cluster[0], "/collections/held/cluster");
        Assert.DoesNotContain(placement.GetProperty("remote_shards").EnumerateArray(), r => r.GetProperty("peer_id").GetUInt64() == peer);
    }
}

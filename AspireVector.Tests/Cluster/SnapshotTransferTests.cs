using System.Collections.Concurrent;
using System.Formats.Tar;
using System.Text.Json;
using AspireVector.Tests.Storage;

namespace AspireVector.Tests.Cluster;

/// <summary>
/// The <c>snapshot</c> shard-transfer method under concurrent writes, and collection snapshots of a cluster peer's
/// local shards.
/// </summary>
[Trait("Category", "Process")]
[Collection(ClusterProcesses.Name)]
public sealed class SnapshotTransferTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ReplicatingAndMovingBySnapshotUnderConcurrentWritesCopiesEveryPointExactly()
    {
        using var snapshots = new TempDirectory();
        await using var cluster = await LocalCluster.StartAsync(3,
            new Dictionary<string, string> { ["AV__STORAGE__SHARD_TRANSFER_METHOD"] = "snapshot", ["AV__LOG_LEVEL"] = "INFO" },
            perNode: i => new Dictionary<string, string> { ["AV__STORAGE__SNAPSHOTS_PATH"] = Path.Combine(snapshots.Path, $"node-{i}") });
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/snap",
            new { vectors = new { size = 64, distance = "Dot" }, replication_factor = 1, shard_number = 1 });
        var peers = await Task.WhenAll(Enumerable.Range(0, 3).Select(cluster.PeerIdAsync));
        var placement = await LocalCluster.GetAsync(cluster[0], "/collections/snap/cluster");
        ulong source = placement.GetProperty("local_shards").GetArrayLength() == 1 ? peers[0] : placement.GetProperty("remote_shards")[0].GetProperty("peer_id").GetUInt64();
        int sourceIndex = Array.IndexOf(peers, source);
        int targetIndex = (sourceIndex + 1) % 3, coordinator = (sourceIndex + 2) % 3;

        // Enough data for a snapshot of several P2P chunks (1 MB each).
        var seed = new Random(3);
        for (int first = 1_000_000; first < 1_006_000; first += 500)
        {
            var batch = Enumerable.Range(first, 500).Select(id => new { id, vector = Enumerable.Range(0, 64).Select(_ => seed.NextDouble()).ToArray(), payload = new { n = id, round = -1 } });
            await LocalCluster.OkAsync(cluster[coordinator], HttpMethod.Put, "/collections/snap/points?wait=true", new { points = batch });
        }

        // One writer: new points, and rewrites of older points with a new payload, so order matters on the replica.
        var acknowledged = new ConcurrentDictionary<int, int>();
        var refused = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            var random = new Random(11);
            for (int next = 0, round = 0; !stop.IsCancellationRequested; next += 20, round++)
            {
                var ids = Enumerable.Range(next, 20).Concat(next > 0 ? Enumerable.Range(0, 5).Select(_ => random.Next(next)) : []).Distinct().ToArray();
                var batch = ids.Select(id => new { id, vector = Enumerable.Range(0, 64).Select(_ => random.NextDouble()).ToArray(), payload = new { n = id, round } }).ToArray();
                var (status, answer) = await LocalCluster.SendAsync(cluster[coordinator], HttpMethod.Put, "/collections/snap/points?wait=true", new { points = batch });
                if (status == 200) foreach (var id in ids) acknowledged[id] = round;
                else refused.Enqueue($"{status} {answer}");
            }
        });

        await cluster.WaitUntilAsync(() => Task.FromResult(acknowledged.Count >= 400), "writes before the transfer", Deadline);
        await LocalCluster.OkAsync(cluster[coordinator], HttpMethod.Post, "/collections/snap/cluster",
            new { replicate_shard = new { shard_id = 0, from_peer_id = source, to_peer_id = peers[targetIndex], method = "snapshot" } });
        await WaitForActiveAsync(cluster, "snap", p => p.SetEquals([source, peers[targetIndex]]));
        int before = acknowledged.Count;
        await cluster.WaitUntilAsync(() => Task.FromResult(acknowledged.Count >= before + 200), "writes after the transfer", Deadline);

        // Moved by the configured default method (no `method`): the third peer gets it by snapshot too.
        await LocalCluster.OkAsync(cluster[coordinator], HttpMethod.Post, "/collections/snap/cluster",
            new { move_shard = new { shard_id = 0, from_peer_id = source, to_peer_id = peers[coordinator] } });
        await WaitForActiveAsync(cluster, "snap", p => p.SetEquals([peers[targetIndex], peers[coordinator]]));
        before = acknowledged.Count;
        await cluster.WaitUntilAsync(() => Task.FromResult(acknowledged.Count >= before + 100), "writes after the move", Deadline);
        await stop.CancelAsync();
        await writer;
        Assert.True(refused.Count <= 2, $"{refused.Count} batches refused: {string.Join("; ", refused.Take(3))}");
        // Both transfers went by snapshot: each receiver installed one.
        Assert.True(2 == cluster.Nodes.Count(n => n.Log.Contains("Installed a snapshot of shard 0 of snap", StringComparison.Ordinal)), cluster.Logs());

        // Each peer reads its own replica first: both hold exactly the same points, vectors and payloads, and every
        // acknowledged write with its last acknowledged payload.
        var onTarget = await ScrollAsync(cluster[targetIndex]);
        var onThird = await ScrollAsync(cluster[coordinator]);
        Assert.Equal(onTarget.Count, onThird.Count);
        Assert.Equal(onTarget.Values.Select(p => p.GetRawText()), onThird.Values.Select(p => p.GetRawText()));
        Assert.Equal(6000, onTarget.Keys.Count(id => id >= 1_000_000));
        foreach (var (id, round) in acknowledged)
        {
            Assert.True(onTarget.TryGetValue(id, out var point), $"acknowledged point {id} missing on the snapshot replica");
            Assert.True(point.GetProperty("payload").GetProperty("round").GetInt32() >= round);
        }

        var count = await LocalCluster.OkAsync(cluster[targetIndex], HttpMethod.Post, "/collections/snap/points/count", new { exact = true });
        Assert.Equal(onTarget.Count, count.GetProperty("count").GetInt32());

        // Collection snapshots in cluster mode hold the peer's local shards (recovering them: SnapshotRecoveryClusterTests).
        var created = await LocalCluster.OkAsync(cluster[targetIndex], HttpMethod.Post, "/collections/snap/snapshots");
        string name = created.GetProperty("name").GetString()!;
        Assert.StartsWith($"snap-{peers[targetIndex]}-", name);
        var listed = await LocalCluster.GetAsync(cluster[targetIndex], "/collections/snap/snapshots");
        Assert.Contains(listed.EnumerateArray(), d => d.GetProperty("name").GetString() == name);
        var file = await cluster[targetIndex].Http.GetByteArrayAsync($"/collections/snap/snapshots/{name}");
        var entries = new List<string>();
        using (var reader = new TarReader(new MemoryStream(file)))
        {
            while (reader.GetNextEntry() is { } entry) entries.Add(entry.Name);
        }

        Assert.Contains("0/segments/CURRENT", entries);
    }

    private static async Task<SortedDictionary<int, JsonElement>> ScrollAsync(NodeProcess node)
    {
        var page = await LocalCluster.OkAsync(node, HttpMethod.Post, "/collections/snap/points/scroll", new { limit = 100_000, with_payload = true, with_vector = true });
        var points = new SortedDictionary<int, JsonElement>();
        foreach (var p in page.GetProperty("points").EnumerateArray()) points[p.GetProperty("id").GetInt32()] = p.Clone();
        return points;
    }

    private static Task WaitForActiveAsync(LocalCluster cluster, string collection, Func<HashSet<ulong>, bool> expected) =>
        cluster.WaitUntilAsync(async () =>
        {
            var info = await LocalCluster.GetAsync(cluster[0], $"/collections/{collection}/cluster");
            ulong self = info.GetProperty("peer_id").GetUInt64();
            var active = new HashSet<ulong>();
            int all = 0;
            foreach (var s in info.GetProperty("local_shards").EnumerateArray().Concat(info.GetProperty("remote_shards").EnumerateArray()))
            {
                all++;
                if (s.GetProperty("state").GetString() == "Active") active.Add(s.TryGetProperty("peer_id", out var p) ? p.GetUInt64() : self);
            }

            return info.GetProperty("shard_transfers").GetArrayLength() == 0 && all == active.Count && expected(active);
        }, $"replicas of {collection} placed as expected", Deadline);
}

using System.Text.Json;
using AspireVector.Tests.Storage;

namespace AspireVector.Tests.Cluster;

/// <summary>
/// Recovering a collection snapshot on one peer of a 3-node cluster, with Qdrant's priorities: <c>snapshot</c> makes the
/// recovered replica the source of truth for every replica, <c>replica</c> (the default) keeps the cluster's data, a
/// missing collection is created from the snapshot's config, an incompatible snapshot is refused and changes nothing.
/// </summary>
[Trait("Category", "Process")]
[Collection(ClusterProcesses.Name)]
public sealed class SnapshotRecoveryClusterTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_snapshot_recovered_on_one_peer_reaches_every_replica_by_priority()
    {
        using var snapshots = new TempDirectory();
        await using var cluster = await LocalCluster.StartAsync(3,
            perNode: i => new Dictionary<string, string> { ["AV__STORAGE__SNAPSHOTS_PATH"] = Path.Combine(snapshots.Path, $"node-{i}") });
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/books",
            new { vectors = new { size = 4, distance = "Dot" }, shard_number = 1, replication_factor = 2 });
        await UpsertAsync(cluster[0], "books", Enumerable.Range(1, 200));

        // Snapshot the replica on one holder; then the cluster moves on: half the points deleted, new ones added.
        var holders = await HoldersAsync(cluster, "books");
        Assert.Equal(2, holders.Count);
        int x = holders[0];
        string location = await SnapshotAsync(cluster, snapshots, x, "books");
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Post, "/collections/books/points/delete?wait=true", new { points = Enumerable.Range(1, 100) });
        await UpsertAsync(cluster[0], "books", Enumerable.Range(201, 20));
        Assert.Equal(120, await CountAsync(cluster[x], "books"));

        // priority snapshot: the recovered replica wins; the other one is marked dead and refilled from it.
        await LocalCluster.OkAsync(cluster[x], HttpMethod.Put, "/collections/books/snapshots/recover", new { location, priority = "snapshot" });
        await SettledAsync(cluster, "books", replicaCount: 200);
        Assert.Equal(Enumerable.Range(1, 200), await IdsAsync(cluster[holders[1]], "books"));

        // priority replica (the default): the cluster's data wins; the recovered replica is refilled from the other one.
        await UpsertAsync(cluster[0], "books", Enumerable.Range(300, 11));
        await LocalCluster.OkAsync(cluster[x], HttpMethod.Put, "/collections/books/snapshots/recover", new { location });
        await SettledAsync(cluster, "books", replicaCount: 211);
        Assert.Equal(Enumerable.Range(1, 200).Concat(Enumerable.Range(300, 11)), await IdsAsync(cluster[x], "books"));

        // A shard snapshot recovered on the other holder with priority snapshot: back to the 200 points everywhere.
        int y = holders[1];
        var shardSnapshot = await LocalCluster.OkAsync(cluster[y], HttpMethod.Post, "/collections/books/shards/0/snapshots");
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Post, "/collections/books/points/delete?wait=true", new { points = Enumerable.Range(1, 50) });
        string shardFile = Path.Combine(snapshots.Path, $"node-{y}", "books", "shards", "0", shardSnapshot.GetProperty("name").GetString()!);
        Assert.True(File.Exists(shardFile), shardFile);
        await LocalCluster.OkAsync(cluster[y], HttpMethod.Put, "/collections/books/shards/0/snapshots/recover", new { location = new Uri(shardFile).AbsoluteUri, priority = "snapshot" });
        await SettledAsync(cluster, "books", replicaCount: 211);
        int notHolding = Enumerable.Range(0, 3).Single(i => !holders.Contains(i));
        string elsewhere = Path.Combine(snapshots.Path, $"node-{notHolding}", "copied.snapshot");
        Directory.CreateDirectory(Path.GetDirectoryName(elsewhere)!);
        File.Copy(shardFile, elsewhere);
        var (refused, why) = await LocalCluster.SendAsync(cluster[notHolding], HttpMethod.Put, "/collections/books/shards/0/snapshots/recover", new { location = new Uri(elsewhere).AbsoluteUri });
        Assert.True(refused == 404, why.GetRawText());

        // A collection that does not exist is created from the snapshot's config, this peer holding the shard.
        await LocalCluster.OkAsync(cluster[x], HttpMethod.Put, "/collections/copy/snapshots/recover", new { location, priority = "snapshot" });
        var copy = await LocalCluster.GetAsync(cluster[(x + 1) % 3], "/collections/copy");
        Assert.Equal(4, copy.GetProperty("config").GetProperty("params").GetProperty("vectors").GetProperty("size").GetInt32());
        Assert.Equal(2, copy.GetProperty("config").GetProperty("params").GetProperty("replication_factor").GetInt32());
        Assert.Contains(x, await HoldersAsync(cluster, "copy"));
        await SettledAsync(cluster, "copy", replicaCount: 200);

        // Another vector space: refused, nothing changed.
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/other",
            new { vectors = new { size = 8, distance = "Dot" }, shard_number = 1, replication_factor = 3 });
        await UpsertAsync(cluster[0], "other", Enumerable.Range(1, 3), size: 8);
        var (status, error) = await LocalCluster.SendAsync(cluster[x], HttpMethod.Put, "/collections/other/snapshots/recover", new { location, priority = "snapshot" });
        Assert.Equal(400, status);
        Assert.StartsWith("Wrong input: Snapshot is not compatible with existing collection: Collection vectors: \"\": 8 Dot Snapshot Vectors: \"\": 4 Dot",
            error.GetProperty("status").GetProperty("error").GetString());
        await SettledAsync(cluster, "other", replicaCount: 3);
    }

    private static async Task UpsertAsync(NodeProcess node, string collection, IEnumerable<int> ids, int size = 4) =>
        await LocalCluster.OkAsync(node, HttpMethod.Put, $"/collections/{collection}/points?wait=true", new
        {
            points = ids.Select(id => new { id, vector = Enumerable.Range(0, size).Select(d => (float)(id % 7 + d)).ToArray(), payload = new { id } }),
        });

    private static async Task<string> SnapshotAsync(LocalCluster cluster, TempDirectory snapshots, int node, string collection)
    {
        var created = await LocalCluster.OkAsync(cluster[node], HttpMethod.Post, $"/collections/{collection}/snapshots");
        string file = Path.Combine(snapshots.Path, $"node-{node}", collection, created.GetProperty("name").GetString()!);
        Assert.True(File.Exists(file), file);
        return new Uri(file).AbsoluteUri;
    }

    /// <summary>Indexes of the nodes holding a replica of the collection's shard 0.</summary>
    private static async Task<List<int>> HoldersAsync(LocalCluster cluster, string collection)
    {
        var holders = new List<int>();
        for (int i = 0; i < cluster.Nodes.Count; i++)
        {
            var info = await LocalCluster.GetAsync(cluster[i], $"/collections/{collection}/cluster");
            if (info.GetProperty("local_shards").GetArrayLength() > 0) holders.Add(i);
        }

        return holders;
    }

    /// <summary>Waits until no transfer runs and every replica of shard 0, read on its own peer, is active with <paramref name="replicaCount"/> points.</summary>
    private static Task SettledAsync(LocalCluster cluster, string collection, int replicaCount) =>
        cluster.WaitUntilAsync(async () =>
        {
            int replicas = 0;
            for (int i = 0; i < cluster.Nodes.Count; i++)
            {
                var info = await LocalCluster.GetAsync(cluster[i], $"/collections/{collection}/cluster");
                if (info.GetProperty("shard_transfers").GetArrayLength() > 0) return false;
                if (info.GetProperty("remote_shards").EnumerateArray().Any(s => s.GetProperty("state").GetString() != "Active")) return false;
                foreach (var local in info.GetProperty("local_shards").EnumerateArray())
                {
                    if (local.GetProperty("state").GetString() != "Active" || local.GetProperty("points_count").GetInt32() != replicaCount) return false;
                    replicas++;
                }
            }

            return replicas > 0;
        }, $"every replica of {collection} active with {replicaCount} points", Deadline);

    private static async Task<int> CountAsync(NodeProcess node, string collection) =>
        (await LocalCluster.OkAsync(node, HttpMethod.Post, $"/collections/{collection}/points/count", new { exact = true })).GetProperty("count").GetInt32();

    private static async Task<List<int>> IdsAsync(NodeProcess node, string collection)
    {
        var page = await LocalCluster.OkAsync(node, HttpMethod.Post, $"/collections/{collection}/points/scroll?consistency=all", new { limit = 10_000 });
        return [.. page.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("id").GetInt32())];
    }
}

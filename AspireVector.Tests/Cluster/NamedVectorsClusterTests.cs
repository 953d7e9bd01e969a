using System.Text.Json;
using AspireVector.Tests.Api.Rest;

namespace AspireVector.Tests.Cluster;

/// <summary>
/// Named vectors on three real nodes: replicated writes (upsert, vector update, vector deletion), reads through any
/// node, and both transfer methods (stream_records and snapshot) carrying every named vector to the new replica.
/// </summary>
[Trait("Category", "Process")]
[Collection(ClusterProcesses.Name)]
public sealed class NamedVectorsClusterTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Named_vectors_go_through_replicated_writes_reads_and_both_transfer_methods()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        using (var create = JsonDocument.Parse(NamedVectorSet.CreateBody))
        {
            await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/named",
                new { vectors = create.RootElement.GetProperty("vectors"), shard_number = 2, replication_factor = 2 });
        }

        var set = new NamedVectorSet(60, seed: 17);
        using (var points = JsonDocument.Parse(set.PointsJson()))
            await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/named/points?wait=true", new { points = points.RootElement });
        await LocalCluster.OkAsync(cluster[2], HttpMethod.Put, "/collections/named/points/vectors?wait=true",
            new { points = new[] { new { id = 1, vector = new Dictionary<string, float[]> { ["image"] = [4, 3, 2, 1] } } } });
        set.Image[1] = [4, 3, 2, 1];
        await LocalCluster.OkAsync(cluster[1], HttpMethod.Post, "/collections/named/points/vectors/delete?wait=true", new { points = new[] { 2, 5 }, vector = new[] { "text" } });
        set.Text.Remove(2);
        set.Text.Remove(5);

        var query = NamedVectorSet.Random(new Random(8), 8);
        for (int i = 0; i < 3; i++)
        {
            var hits = await LocalCluster.OkAsync(cluster[i], HttpMethod.Post, "/collections/named/points/search",
                new { vector = new { name = "text", vector = query }, limit = 5 });
            Assert.Equal(NamedVectorSet.Nearest(set.Text, query, cosine: true, 5), NamedVectorSet.IdsOf(hits));
        }

        // Each shard has two replicas on three peers: stream one shard to its missing peer, move the other by snapshot.
        var peers = await Task.WhenAll(Enumerable.Range(0, 3).Select(cluster.PeerIdAsync));
        var placement = await ActiveReplicas.OfAsync(cluster, "named");
        ulong missing0 = peers.Except(placement[0]).Single();
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Post, "/collections/named/cluster",
            new { replicate_shard = new { shard_id = 0, from_peer_id = placement[0].First(), to_peer_id = missing0, method = "stream_records" } });
        await cluster.WaitUntilAsync(async () => (await ActiveReplicas.OfAsync(cluster, "named"))[0].Count == 3, "shard 0 on every peer", Deadline);
        ulong missing1 = peers.Except(placement[1]).Single();
        ulong from1 = placement[1].First();
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Post, "/collections/named/cluster",
            new { move_shard = new { shard_id = 1, from_peer_id = from1, to_peer_id = missing1, method = "snapshot" } });
        await cluster.WaitUntilAsync(async () =>
        {
            var now = (await ActiveReplicas.OfAsync(cluster, "named"))[1];
            return now.Contains(missing1) && !now.Contains(from1) && now.Count == 2;
        }, "shard 1 moved by snapshot", Deadline);

        // Every node (reading its own replicas first) holds every point with exactly its named vectors.
        for (int i = 0; i < 3; i++)
        {
            var page = await LocalCluster.OkAsync(cluster[i], HttpMethod.Post, "/collections/named/points/scroll", new { limit = 1000, with_vector = true, with_payload = false });
            var points = page.GetProperty("points").EnumerateArray().ToList();
            Assert.Equal(set.Count, points.Count);
            foreach (var p in points)
            {
                int id = p.GetProperty("id").GetInt32();
                var vector = p.GetProperty("vector");
                Assert.Equal(set.Image.ContainsKey(id), vector.TryGetProperty("image", out var image));
                Assert.Equal(set.Text.ContainsKey(id), vector.TryGetProperty("text", out _));
                if (set.Image.TryGetValue(id, out var expected)) Assert.Equal(expected, image.EnumerateArray().Select(x => x.GetSingle()));
            }

            var count = await LocalCluster.OkAsync(cluster[i], HttpMethod.Post, "/collections/named/points/count?consistency=all",
                new { exact = true, filter = new { must = new[] { new { has_vector = "text" } } } });
            Assert.Equal(set.Text.Count, count.GetProperty("count").GetInt32());
        }
    }
}

using AspireVector.Tests.Cluster;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using static Qdrant.Client.Grpc.Conditions;

namespace AspireVector.Tests.Api.Grpc;

/// <summary>Any peer coordinates gRPC calls as it coordinates REST ones: written through one node, read through another.</summary>
[Trait("Category", "Process")]
[Collection(ClusterProcesses.Name)]
public sealed class GrpcClusterTests
{
    [Fact]
    public async Task Points_upserted_through_one_node_are_found_through_another()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        using var a = new QdrantClient("127.0.0.1", cluster[0].GrpcPort);
        using var b = new QdrantClient("127.0.0.1", cluster[1].GrpcPort);
        using var c = new QdrantClient("127.0.0.1", cluster[2].GrpcPort);

        await a.CreateCollectionAsync("grpc_cluster", new VectorParams { Size = 4, Distance = Distance.Cosine }, shardNumber: 3, replicationFactor: 2);
        await cluster.WaitUntilAsync(async () => await b.CollectionExistsAsync("grpc_cluster") && await c.CollectionExistsAsync("grpc_cluster"),
            "the collection on every peer", TimeSpan.FromSeconds(30));
        var info = await b.GetCollectionInfoAsync("grpc_cluster");
        Assert.Equal(3u, info.Config.Params.ShardNumber);
        Assert.Equal(2u, info.Config.Params.ReplicationFactor);

        var points = new List<PointStruct>();
        for (ulong i = 1; i <= 30; i++)
        {
            points.Add(new PointStruct
            {
                Id = i,
                Vectors = new[] { i % 3 * 0.3f + 0.1f, i % 5 * 0.2f + 0.1f, i % 7 * 0.1f + 0.1f, 0.5f },
                Payload = { ["group"] = i % 2 == 0 ? "even" : "odd", ["n"] = (long)i },
            });
        }
        var upsert = await a.UpsertAsync("grpc_cluster", points, wait: true);
        Assert.Equal(UpdateStatus.Completed, upsert.Status);

        float[] query = [0.4f, 0.3f, 0.2f, 0.5f];
        var viaA = await a.QueryAsync("grpc_cluster", query: query, filter: MatchKeyword("group", "even"), limit: 5, payloadSelector: true);
        var viaB = await b.QueryAsync("grpc_cluster", query: query, filter: MatchKeyword("group", "even"), limit: 5, payloadSelector: true);
        var viaC = await c.QueryAsync("grpc_cluster", query: query, filter: MatchKeyword("group", "even"), limit: 5, payloadSelector: true);
        Assert.Equal(5, viaB.Count);
        Assert.Equal(viaA.Select(p => p.Id.Num), viaB.Select(p => p.Id.Num));
        Assert.Equal(viaA.Select(p => p.Id.Num), viaC.Select(p => p.Id.Num));
        Assert.All(viaB, p => Assert.Equal("even", p.Payload["group"].StringValue));

        // The same answer as REST's search on node B.
        var rest = await LocalCluster.OkAsync(cluster[1], HttpMethod.Post, "/collections/grpc_cluster/points/search",
            new { vector = query, limit = 5, filter = new { must = new[] { new { key = "group", match = new { value = "even" } } } } });
        Assert.Equal(rest.EnumerateArray().Select(h => h.GetProperty("id").GetUInt64()), viaB.Select(p => p.Id.Num));

        // Shard placement as REST's GET /collections/{name}/cluster shows it: 3 shards x 2 replicas, all active.
        var placement = await b.GetCollectionClusterSetupInfoAsync("grpc_cluster");
        Assert.Equal(3ul, placement.ShardCount);
        Assert.Equal(6, placement.LocalShards.Count + placement.RemoteShards.Count);
        Assert.All(placement.LocalShards, s => Assert.Equal(ReplicaState.Active, s.State));
        var restPlacement = await LocalCluster.OkAsync(cluster[1], HttpMethod.Get, "/collections/grpc_cluster/cluster");
        Assert.Equal(restPlacement.GetProperty("peer_id").GetUInt64(), placement.PeerId);
        Assert.Equal(restPlacement.GetProperty("local_shards").EnumerateArray().Select(s => s.GetProperty("shard_id").GetUInt32()), placement.LocalShards.Select(s => s.ShardId));
        Assert.Equal(restPlacement.GetProperty("local_shards").EnumerateArray().Select(s => s.GetProperty("points_count").GetUInt64()), placement.LocalShards.Select(s => s.PointsCount));

        // Counts and reads with a read consistency asking every replica agree on every node.
        var all = new ReadConsistency { Type = ReadConsistencyType.All };
        Assert.Equal(30ul, await b.CountAsync("grpc_cluster", exact: true, readConsistency: all));
        Assert.Equal(30ul, await c.CountAsync("grpc_cluster", exact: true));
        var retrieved = await c.RetrieveAsync("grpc_cluster", [7ul, 8ul], withPayload: true, withVectors: false, readConsistency: all);
        Assert.Equal([7L, 8L], retrieved.OrderBy(p => p.Id.Num).Select(p => p.Payload["n"].IntegerValue));

        // Deletes through B are seen through A.
        await b.DeleteAsync("grpc_cluster", MatchKeyword("group", "odd"), wait: true);
        Assert.Equal(15ul, await a.CountAsync("grpc_cluster", exact: true));
        await c.DeleteCollectionAsync("grpc_cluster");
        await cluster.WaitUntilAsync(async () => !await a.CollectionExistsAsync("grpc_cluster"), "the collection gone on node A", TimeSpan.FromSeconds(30));
    }
}

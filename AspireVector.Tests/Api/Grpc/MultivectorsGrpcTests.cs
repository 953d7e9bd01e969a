using Grpc.Core;
using Qdrant.Client.Grpc;

namespace AspireVector.Tests.Api.Grpc;

/// <summary>
/// Multivectors through the official .NET client (<c>Qdrant.Client</c>, gRPC): <c>multivector_config</c> on create and
/// in info, points given as <c>float[][]</c> (<c>multi_dense</c>), Query with a multivector input ranked as brute-force
/// max_sim, vectors returned as <c>multi_dense</c> rows, and the client's errors for the wrong shape.
/// </summary>
public sealed class MultivectorsGrpcTests(GrpcNode node) : IClassFixture<GrpcNode>
{
    [Fact]
    public async Task Official_client_creates_writes_queries_and_reads_multivectors()
    {
        const string name = "grpc_multi";
        using var client = node.Client();
        await client.CreateCollectionAsync(name, new VectorParamsMap
        {
            Map =
            {
                ["colbert"] = new VectorParams { Size = 4, Distance = Distance.Dot, MultivectorConfig = new MultiVectorConfig { Comparator = MultiVectorComparator.MaxSim } },
                ["dense"] = new VectorParams { Size = 2, Distance = Distance.Dot },
            },
        });
        var info = await client.GetCollectionInfoAsync(name);
        Assert.Equal(MultiVectorComparator.MaxSim, info.Config.Params.VectorsConfig.ParamsMap.Map["colbert"].MultivectorConfig.Comparator);
        Assert.Null(info.Config.Params.VectorsConfig.ParamsMap.Map["dense"].MultivectorConfig);
        var rest = (await node.Rest.GetAsync($"/collections/{name}")).Result.GetProperty("config").GetProperty("params").GetProperty("vectors");
        Assert.Equal("""{"comparator":"max_sim"}""", Rest.JsonText.Canonical(rest.GetProperty("colbert").GetProperty("multivector_config")));

        var set = new Rest.MultivectorSet(40, seed: 6);
        var points = set.Vectors.Select(p => new PointStruct
        {
            Id = (ulong)p.Key, Vectors = new Dictionary<string, Vector> { ["colbert"] = p.Value }, Payload = { ["n"] = p.Key },
        }).ToList();
        Assert.Equal(UpdateStatus.Completed, (await client.UpsertAsync(name, points, wait: true)).Status);

        var query = Rest.MultivectorSet.Random(new Random(8), 3);
        var queried = await client.QueryAsync(name, query: query, usingVector: "colbert", limit: 40);
        Rest.MultivectorSet.AssertRanked(set.Ranked("Dot", query), [.. queried.Select(h => ((int)h.Id.Num, (double)h.Score))]);

        var one = Assert.Single(await client.RetrieveAsync(name, [new PointId { Num = 5 }], payloadSelector: false, vectorSelector: true));
        var rows = one.Vectors.Vectors.Vectors["colbert"].MultiDense.Vectors;
        Assert.Equal(set.Vectors[5].Length, rows.Count);
        Assert.Equal(set.Vectors[5].SelectMany(r => r), rows.SelectMany(r => r.Data));
        var hit = (await client.QueryAsync(name, query: query, usingVector: "colbert", limit: 1, vectorsSelector: true))[0];
        Assert.Equal(set.Vectors[(int)hit.Id.Num].Length, hit.Vectors.Vectors.Vectors["colbert"].MultiDense.Vectors.Count);

        // update_vectors replaces the matrix.
        await client.UpdateVectorsAsync(name, [new PointVectors { Id = 5, Vectors = ("colbert", (Vector)new[] { new[] { 1f, 0, 0, 0 }, new[] { 0f, 1, 0, 0 } }) }], wait: true);
        var updated = Assert.Single(await client.RetrieveAsync(name, [new PointId { Num = 5 }], payloadSelector: false, vectorSelector: true));
        Assert.Equal(2, updated.Vectors.Vectors.Vectors["colbert"].MultiDense.Vectors.Count);

        // The wrong shape is refused and writes nothing: a plain vector for the multivector, a matrix for the dense one.
        var bad = await Assert.ThrowsAsync<RpcException>(() => client.UpsertAsync(name,
            [new PointStruct { Id = 99ul, Vectors = new Dictionary<string, Vector> { ["colbert"] = new[] { 1f, 2f, 3f, 4f } } }], wait: true));
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        Assert.Contains("Conversion between multi and regular vectors failed", bad.Status.Detail);
        bad = await Assert.ThrowsAsync<RpcException>(() => client.UpsertAsync(name,
            [new PointStruct { Id = 99ul, Vectors = new Dictionary<string, Vector> { ["dense"] = new[] { new[] { 1f, 2f } } } }], wait: true));
        Assert.Contains("Conversion between multi and regular vectors failed", bad.Status.Detail);
        bad = await Assert.ThrowsAsync<RpcException>(() => client.UpsertAsync(name,
            [new PointStruct { Id = 99ul, Vectors = new Dictionary<string, Vector> { ["colbert"] = new[] { new[] { 1f, 2f, 3f } } } }], wait: true));
        Assert.Contains("Vector dimension error: expected dim: 4, got 3", bad.Status.Detail);
        Assert.Empty(await client.RetrieveAsync(name, [new PointId { Num = 99 }]));
    }
}

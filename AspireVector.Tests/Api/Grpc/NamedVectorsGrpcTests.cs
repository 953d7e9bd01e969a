using Grpc.Core;
using Qdrant.Client.Grpc;
using static Qdrant.Client.Grpc.Conditions;

// Search is obsolete in the client in favour of Query, but older clients call it: both are served.
#pragma warning disable CS0618, CS0612

namespace AspireVector.Tests.Api.Grpc;

/// <summary>Named vectors through the official .NET client (<c>Qdrant.Client</c>, gRPC), checked against REST.</summary>
public sealed class NamedVectorsGrpcTests(GrpcNode node) : IClassFixture<GrpcNode>
{
    [Fact]
    public async Task Official_client_creates_writes_searches_and_edits_named_vectors()
    {
        const string name = "grpc_named";
        using var client = node.Client();
        await client.CreateCollectionAsync(name, new VectorParamsMap
        {
            Map =
            {
                ["image"] = new VectorParams { Size = 4, Distance = Distance.Dot },
                ["text"] = new VectorParams { Size = 8, Distance = Distance.Cosine, OnDisk = true },
            },
        });
        var info = await client.GetCollectionInfoAsync(name);
        Assert.Equal(4ul, info.Config.Params.VectorsConfig.ParamsMap.Map["image"].Size);
        Assert.Equal(Distance.Cosine, info.Config.Params.VectorsConfig.ParamsMap.Map["text"].Distance);
        Assert.True(info.Config.Params.VectorsConfig.ParamsMap.Map["text"].OnDisk);
        var restVectors = (await node.Rest.GetAsync($"/collections/{name}")).Result.GetProperty("config").GetProperty("params").GetProperty("vectors");
        Assert.Equal(8, restVectors.GetProperty("text").GetProperty("size").GetInt32());

        var set = new Rest.NamedVectorSet(30, seed: 21);
        var points = new List<PointStruct>();
        foreach (int id in set.Ids)
        {
            var vectors = new Dictionary<string, float[]>();
            if (set.Image.TryGetValue(id, out var image)) vectors["image"] = image;
            if (set.Text.TryGetValue(id, out var text)) vectors["text"] = text;
            points.Add(new PointStruct { Id = (ulong)id, Vectors = vectors, Payload = { ["n"] = id } });
        }

        var upsert = await client.UpsertAsync(name, points, wait: true);
        Assert.Equal(UpdateStatus.Completed, upsert.Status);

        var query = Rest.NamedVectorSet.Random(new Random(4), 4);
        var hits = await client.SearchAsync(name, query, vectorName: "image", limit: 5);
        Assert.Equal(Rest.NamedVectorSet.Nearest(set.Image, query, cosine: false, 5), hits.Select(h => (int)h.Id.Num));
        var textQuery = Rest.NamedVectorSet.Random(new Random(5), 8);
        var queried = await client.QueryAsync(name, query: textQuery, usingVector: "text", limit: 5, vectorsSelector: new[] { "text" });
        Assert.Equal(Rest.NamedVectorSet.Nearest(set.Text, textQuery, cosine: true, 5), queried.Select(h => (int)h.Id.Num));
        Assert.All(queried, h => Assert.Equal(["text"], h.Vectors.Vectors.Vectors.Keys));

        var one = Assert.Single(await client.RetrieveAsync(name, [new PointId { Num = 1 }], payloadSelector: true, vectorSelector: true));
        Assert.Equal(set.Image[1], one.Vectors.Vectors.Vectors["image"].Dense.Data);
        Assert.Equal(["image", "text"], one.Vectors.Vectors.Vectors.Keys.Order());

        // Update one vector: the other and the payload stay; delete one: the point stays, has_vector reflects it.
        await client.UpdateVectorsAsync(name, [new PointVectors { Id = 1, Vectors = new Dictionary<string, float[]> { ["image"] = [1, 2, 3, 4] } }], wait: true);
        await client.SetPayloadAsync(name, new Dictionary<string, Value> { ["tag"] = "kept" }, id: 1, wait: true);
        one = Assert.Single(await client.RetrieveAsync(name, [new PointId { Num = 1 }], payloadSelector: true, vectorSelector: true));
        Assert.Equal([1f, 2f, 3f, 4f], one.Vectors.Vectors.Vectors["image"].Dense.Data);
        Assert.True(one.Vectors.Vectors.Vectors.ContainsKey("text"));
        Assert.Equal("kept", one.Payload["tag"].StringValue);

        await client.DeleteVectorsAsync(name, ["text"], [1ul, 2ul], wait: true);
        Assert.Equal((ulong)set.Text.Count - (set.Text.ContainsKey(2) ? 2ul : 1ul), await client.CountAsync(name, HasVector("text"), exact: true));
        Assert.Equal(30ul, await client.CountAsync(name, exact: true));
        one = Assert.Single(await client.RetrieveAsync(name, [new PointId { Num = 1 }], payloadSelector: false, vectorSelector: true));
        Assert.Equal(["image"], one.Vectors.Vectors.Vectors.Keys);

        var unknown = await Assert.ThrowsAsync<RpcException>(() => client.SearchAsync(name, query, vectorName: "audio", limit: 1));
        Assert.Equal(StatusCode.InvalidArgument, unknown.StatusCode);
        Assert.Contains("Not existing vector name error: audio", unknown.Status.Detail, StringComparison.Ordinal);
        var unnamed = await Assert.ThrowsAsync<RpcException>(() => client.UpsertAsync(name, [new PointStruct { Id = 99, Vectors = new[] { 1f, 2f, 3f, 4f } }]));
        Assert.Equal(StatusCode.InvalidArgument, unnamed.StatusCode);
        Assert.Contains("Not existing vector name error: ", unnamed.Status.Detail, StringComparison.Ordinal);

        // Point 1 lost its text vector above: querying by it is Qdrant's NOT_FOUND, not a bad argument.
        var lacking = await Assert.ThrowsAsync<RpcException>(() => client.QueryAsync(name, query: new PointId { Num = 1 }, usingVector: "text", limit: 3));
        Assert.Equal(StatusCode.NotFound, lacking.StatusCode);
        Assert.Equal("Not found: Vector with name \"text\" for point", lacking.Status.Detail);
    }
}

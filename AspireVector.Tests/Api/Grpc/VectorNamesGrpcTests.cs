using Grpc.Core;
using Qdrant.Client.Grpc;

namespace AspireVector.Tests.Api.Grpc;

/// <summary>CreateVectorName and DeleteVectorName through the official .NET client, checked against REST.</summary>
public sealed class VectorNamesGrpcTests(GrpcNode node) : IClassFixture<GrpcNode>
{
    [Fact]
    public async Task Official_client_adds_and_deletes_dense_and_sparse_vectors()
    {
        const string name = "grpc_vector_names";
        using var client = node.Client();
        await client.CreateCollectionAsync(name, new VectorParamsMap { Map = { ["a"] = new VectorParams { Size = 2, Distance = Distance.Dot } } });

        var added = await client.CreateVectorNameAsync(new CreateVectorNameRequest
        {
            CollectionName = name, VectorName = "b", Wait = true,
            DenseConfig = new DenseVectorCreationConfig { Size = 3, Distance = Distance.Euclid },
        });
        Assert.Equal(UpdateStatus.Completed, added.Status);
        await client.CreateVectorNameAsync(new CreateVectorNameRequest
        {
            CollectionName = name, VectorName = "words", Wait = true,
            SparseConfig = new SparseVectorCreationConfig { Modifier = Modifier.Idf },
        });
        var info = await client.GetCollectionInfoAsync(name);
        Assert.Equal(3ul, info.Config.Params.VectorsConfig.ParamsMap.Map["b"].Size);
        Assert.Equal(Modifier.Idf, info.Config.Params.SparseVectorsConfig.Map["words"].Modifier);

        var clash = await Assert.ThrowsAsync<RpcException>(() => client.CreateVectorNameAsync(new CreateVectorNameRequest
        {
            CollectionName = name, VectorName = "b", DenseConfig = new DenseVectorCreationConfig { Size = 4, Distance = Distance.Euclid },
        }));
        Assert.Equal(StatusCode.InvalidArgument, clash.StatusCode);
        Assert.Contains("already exists with a different configuration", clash.Status.Detail);

        await client.DeleteVectorNameAsync(new DeleteVectorNameRequest { CollectionName = name, VectorName = "b", Wait = true });
        await client.DeleteVectorNameAsync(new DeleteVectorNameRequest { CollectionName = name, VectorName = "words", Wait = true });
        var rest = (await node.Rest.GetAsync($"/collections/{name}")).Result.GetProperty("config").GetProperty("params");
        Assert.False(rest.GetProperty("vectors").TryGetProperty("b", out _));
        Assert.False(rest.TryGetProperty("sparse_vectors", out _));
    }
}

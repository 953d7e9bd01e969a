using Grpc.Core;
using Qdrant.Client.Grpc;

// Search is obsolete in the client in favour of Query, but older clients call it: both are served.
#pragma warning disable CS0618

namespace AspireVector.Tests.Api.Grpc;

/// <summary><c>strict_mode_config</c> and <c>metadata</c> through the official .NET client: set, shown, and enforced alike on gRPC.</summary>
public sealed class StrictModeGrpcTests(GrpcNode node) : IClassFixture<GrpcNode>
{
    [Fact]
    public async Task Strict_mode_and_metadata_round_trip_and_limits_hold_on_grpc()
    {
        const string name = "grpc_strict";
        using var client = node.Client();
        await client.CreateCollectionAsync(name, new VectorParams { Size = 2, Distance = Distance.Dot },
            strictModeConfig: new StrictModeConfig { Enabled = true, MaxQueryLimit = 2, UpsertMaxBatchsize = 2 },
            metadata: new Dictionary<string, Value> { ["model"] = "m1" });
        var info = await client.GetCollectionInfoAsync(name);
        Assert.True(info.Config.StrictModeConfig.Enabled);
        Assert.Equal(2u, info.Config.StrictModeConfig.MaxQueryLimit);
        Assert.Equal("m1", info.Config.Metadata["model"].StringValue);
        var rest = (await node.Rest.GetAsync($"/collections/{name}")).Result.GetProperty("config");
        Assert.Equal(2, rest.GetProperty("strict_mode_config").GetProperty("upsert_max_batchsize").GetInt32());
        Assert.Equal("m1", rest.GetProperty("metadata").GetProperty("model").GetString());

        await client.UpsertAsync(name, [new PointStruct { Id = 1, Vectors = new[] { 1f, 0f } }, new PointStruct { Id = 2, Vectors = new[] { 0f, 1f } }]);
        var tooMany = await Assert.ThrowsAsync<RpcException>(() => client.UpsertAsync(name,
            [new PointStruct { Id = 3, Vectors = new[] { 1f, 1f } }, new PointStruct { Id = 4, Vectors = new[] { 1f, 1f } }, new PointStruct { Id = 5, Vectors = new[] { 1f, 1f } }]));
        Assert.Equal(StatusCode.InvalidArgument, tooMany.StatusCode);
        Assert.Contains("\"upsert limit\"", tooMany.Status.Detail);
        var overLimit = await Assert.ThrowsAsync<RpcException>(() => client.SearchAsync(name, new[] { 1f, 0f }, limit: 3));
        Assert.Contains("\"limit\"", overLimit.Status.Detail);
        Assert.Equal(2, (await client.SearchAsync(name, new[] { 1f, 0f }, limit: 2)).Count);

        await client.UpdateCollectionAsync(name, strictModeConfig: new StrictModeConfig { MaxQueryLimit = 5 },
            metadata: new Dictionary<string, Value> { ["v"] = 2 });
        info = await client.GetCollectionInfoAsync(name);
        Assert.Equal(5u, info.Config.StrictModeConfig.MaxQueryLimit);
        Assert.True(info.Config.StrictModeConfig.Enabled);
        Assert.Equal("m1", info.Config.Metadata["model"].StringValue);
        Assert.Equal(2, info.Config.Metadata["v"].IntegerValue);
    }
}

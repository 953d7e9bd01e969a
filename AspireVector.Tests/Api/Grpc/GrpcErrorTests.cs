using Grpc.Core;
using Qdrant.Client.Grpc;
using static Qdrant.Client.Grpc.Conditions;

namespace AspireVector.Tests.Api.Grpc;

/// <summary>Client mistakes answer Qdrant's gRPC status codes with REST's messages, never INTERNAL.</summary>
public sealed class GrpcErrorTests(GrpcNode node) : IClassFixture<GrpcNode>
{
    [Fact]
    public async Task Missing_collection_is_not_found()
    {
        using var client = node.Client();
        var info = await Assert.ThrowsAsync<RpcException>(() => client.GetCollectionInfoAsync("grpc_missing"));
        Assert.Equal(StatusCode.NotFound, info.StatusCode);
        Assert.Equal("Not found: Collection `grpc_missing` doesn't exist!", info.Status.Detail);
        var query = await Assert.ThrowsAsync<RpcException>(() => client.QueryAsync("grpc_missing", query: new float[] { 1f, 2f }));
        Assert.Equal(StatusCode.NotFound, query.StatusCode);
        var upsert = await Assert.ThrowsAsync<RpcException>(() => client.UpsertAsync("grpc_missing", [new PointStruct { Id = 1ul, Vectors = new[] { 1f } }]));
        Assert.Equal(StatusCode.NotFound, upsert.StatusCode);
    }

    [Fact]
    public async Task Bad_input_is_invalid_argument_and_changes_nothing()
    {
        const string name = "grpc_bad_input";
        using var client = node.Client();
        await client.CreateCollectionAsync(name, new VectorParams { Size = 4, Distance = Distance.Cosine });
        await client.UpsertAsync(name, [new PointStruct { Id = 1ul, Vectors = new[] { 1f, 0f, 0f, 0f } }], wait: true);

        // Wrong dimension in the second point: nothing of the batch is written.
        var dimension = await Assert.ThrowsAsync<RpcException>(() => client.UpsertAsync(name, [
            new PointStruct { Id = 2ul, Vectors = new[] { 1f, 0f, 0f, 0f } },
            new PointStruct { Id = 3ul, Vectors = new[] { 1f, 0f, 0f } },
        ]));
        Assert.Equal(StatusCode.InvalidArgument, dimension.StatusCode);
        Assert.Equal("Wrong input: Vector dimension error: expected dim: 4, got 3", dimension.Status.Detail);
        Assert.Equal(1ul, await client.CountAsync(name));

        var queryDimension = await Assert.ThrowsAsync<RpcException>(() => client.QueryAsync(name, query: new float[] { 1f }));
        Assert.Equal(StatusCode.InvalidArgument, queryDimension.StatusCode);

        // Qdrant answers a duplicate create as bad input (INVALID_ARGUMENT), with REST's message.
        var duplicate = await Assert.ThrowsAsync<RpcException>(() => client.CreateCollectionAsync(name, new VectorParams { Size = 4, Distance = Distance.Cosine }));
        Assert.Equal(StatusCode.InvalidArgument, duplicate.StatusCode);
        Assert.Equal($"Wrong input: Collection `{name}` already exists!", duplicate.Status.Detail);

        var named = await Assert.ThrowsAsync<RpcException>(() => client.QueryAsync(name, query: new float[] { 1f, 0f, 0f, 0f }, usingVector: "image"));
        Assert.Equal(StatusCode.InvalidArgument, named.StatusCode);
        Assert.Contains("Not existing vector name error: image", named.Status.Detail, StringComparison.Ordinal);

        var badUuid = await Assert.ThrowsAsync<RpcException>(() => client.RetrieveAsync(name, [new PointId { Uuid = "not-a-uuid" }]));
        Assert.Equal(StatusCode.InvalidArgument, badUuid.StatusCode);

        var zeroLimit = await Assert.ThrowsAsync<RpcException>(() => client.ScrollAsync(name, limit: 0));
        Assert.Equal(StatusCode.InvalidArgument, zeroLimit.StatusCode);

        // A filter REST cannot express is refused, not ignored.
        var prefix = await Assert.ThrowsAsync<RpcException>(() => client.CountAsync(name, filter: MatchPrefix("city", "Ber")));
        Assert.Equal(StatusCode.InvalidArgument, prefix.StatusCode);

        var badKey = await Assert.ThrowsAsync<RpcException>(() => client.CreatePayloadIndexAsync(name, "", PayloadSchemaType.Keyword));
        Assert.Equal(StatusCode.InvalidArgument, badKey.StatusCode);

        var missingPoint = await Assert.ThrowsAsync<RpcException>(() => client.QueryAsync(name, query: 42ul));
        Assert.Equal(StatusCode.NotFound, missingPoint.StatusCode);
        var payloadOfMissing = await Assert.ThrowsAsync<RpcException>(() => client.SetPayloadAsync(name, new Dictionary<string, Value> { ["a"] = 1 }, 42ul));
        Assert.Equal(StatusCode.NotFound, payloadOfMissing.StatusCode);

        // Recommending by a missing example point is NOT_FOUND, as REST's 404.
#pragma warning disable CS0618 // obsolete in the client in favour of Query
        var recommend = await Assert.ThrowsAsync<RpcException>(() => client.RecommendAsync(name, [4242ul]));
#pragma warning restore CS0618
        Assert.Equal(StatusCode.NotFound, recommend.StatusCode);
        await client.DeleteCollectionAsync(name);
    }
}

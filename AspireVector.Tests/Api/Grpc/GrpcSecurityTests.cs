using Grpc.Core;
using Grpc.Core.Interceptors;
using Qdrant.Client.Grpc;
using AspireVector.Tests.Api.Security;
using AspireVector.Tests.Telemetry;

namespace AspireVector.Tests.Api.Grpc;

/// <summary>The gRPC port applies REST's api keys and JWT RBAC, in the <c>api-key</c> metadata or as a bearer token.</summary>
public sealed class GrpcSecurityTests : IAsyncLifetime
{
    private const string Key = "grpc-secret";
    private const string ReadKey = "grpc-reader";
    private GrpcNode _node = null!;

    public Task InitializeAsync()
    {
        _node = GrpcNode.Start(o =>
        {
            o.Service.ApiKey = Key;
            o.Service.ReadOnlyApiKey = ReadKey;
            o.Service.JwtRbac = true;
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Keys_decide_what_a_caller_may_do()
    {
        using (var anonymous = _node.Client())
        {
            // The health check stays open, as REST's GET / does.
            Assert.False(string.IsNullOrEmpty((await anonymous.HealthAsync()).Version));
            var missing = await Assert.ThrowsAsync<RpcException>(() => anonymous.ListCollectionsAsync());
            Assert.Equal(StatusCode.Unauthenticated, missing.StatusCode);
            Assert.Equal("Must provide an API key or an Authorization bearer token", missing.Status.Detail);
        }

        using (var wrong = _node.Client("not-the-key"))
        {
            Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() => wrong.ListCollectionsAsync())).StatusCode);
        }

        using var admin = _node.Client(Key);
        await admin.CreateCollectionAsync("secured", new VectorParams { Size = 2, Distance = Distance.Dot });
        await admin.UpsertAsync("secured", [new PointStruct { Id = 1ul, Vectors = new[] { 1f, 0f } }], wait: true);

        using var reader = _node.Client(ReadKey);
        Assert.Contains("secured", await reader.ListCollectionsAsync());
        Assert.Single(await reader.QueryAsync("secured", query: new float[] { 1f, 0f }));
        var write = await Assert.ThrowsAsync<RpcException>(() => reader.UpsertAsync("secured", [new PointStruct { Id = 2ul, Vectors = new[] { 0f, 1f } }]));
        Assert.Equal(StatusCode.PermissionDenied, write.StatusCode);
        var create = await Assert.ThrowsAsync<RpcException>(() => reader.CreateCollectionAsync("secured_2", new VectorParams { Size = 2, Distance = Distance.Dot }));
        Assert.Equal(StatusCode.PermissionDenied, create.StatusCode);
        Assert.Equal(1ul, await admin.CountAsync("secured"));
        Assert.False(await admin.CollectionExistsAsync("secured_2"));
    }

    [Fact]
    public async Task Jwt_bearer_tokens_grant_per_collection_access()
    {
        using var admin = _node.Client(Key);
        await admin.CreateCollectionAsync("jwt_rw", new VectorParams { Size = 2, Distance = Distance.Dot });
        await admin.CreateCollectionAsync("jwt_other", new VectorParams { Size = 2, Distance = Distance.Dot });
        string token = ApiKeyMiddlewareTests.Token(Key, """{"access": [{"collection": "jwt_rw", "access": "rw"}]}""");

        // The official client sends its key as `api-key`; a bearer token goes in the `authorization` metadata.
        var channel = Qdrant.Client.Grpc.QdrantChannel.ForAddress($"http://127.0.0.1:{_node.GrpcPort}");
        var grpc = new QdrantGrpcClient(channel.CreateCallInvoker().Intercept(metadata =>
        {
            metadata.Add("authorization", "Bearer " + token);
            return metadata;
        }));
        using var scoped = new Qdrant.Client.QdrantClient(grpc);
        await scoped.UpsertAsync("jwt_rw", [new PointStruct { Id = 1ul, Vectors = new[] { 1f, 0f } }], wait: true);
        Assert.Equal(1ul, await scoped.CountAsync("jwt_rw"));
        var other = await Assert.ThrowsAsync<RpcException>(() => scoped.CountAsync("jwt_other"));
        Assert.Equal(StatusCode.PermissionDenied, other.StatusCode);
        var delete = await Assert.ThrowsAsync<RpcException>(() => scoped.DeleteCollectionAsync("jwt_rw"));
        Assert.Equal(StatusCode.PermissionDenied, delete.StatusCode);
    }

    [Fact]
    public async Task Answered_calls_are_counted_per_method_and_status()
    {
        using var admin = _node.Client(Key);
        using var anonymous = _node.Client();
        await admin.ListCollectionsAsync();
        await Assert.ThrowsAsync<RpcException>(() => anonymous.ListCollectionsAsync());
        var lines = NodeHost.Lines(await NodeHost.ScrapeAsync(_node.Rest.Client));
        Assert.Contains(lines, l => l.StartsWith("grpc_responses_total{endpoint=\"/qdrant.Collections/List\",status=\"0\"}", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("grpc_responses_fail_total{endpoint=\"/qdrant.Collections/List\",status=\"16\"}", StringComparison.Ordinal));
    }
}

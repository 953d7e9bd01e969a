using Grpc.Core;
using Qdrant.Client.Grpc;

namespace AspireVector.Tests.Api.Grpc;

/// <summary>User-defined sharding through the official .NET client: keys created, listed and deleted, points routed by key.</summary>
public sealed class GrpcShardKeysTests(GrpcNode node) : IClassFixture<GrpcNode>
{
    private static ShardKeySelector Select(params string[] keys)
    {
        var selector = new ShardKeySelector();
        foreach (var k in keys) selector.ShardKeys.Add(new ShardKey { Keyword = k });
        return selector;
    }

    [Fact]
    public async Task Keys_made_over_grpc_route_writes_and_reads()
    {
        using var client = node.Client();
        const string name = "grpc_shard_keys";
        await client.CreateCollectionAsync(name, new VectorParams { Size = 2, Distance = Distance.Dot }, shardNumber: 2, shardingMethod: ShardingMethod.Custom);
        var info = await client.GetCollectionInfoAsync(name);
        Assert.Equal(ShardingMethod.Custom, info.Config.Params.ShardingMethod);

        await client.CreateShardKeyAsync(name, new CreateShardKey { ShardKey = new ShardKey { Keyword = "red" } });
        await client.CreateShardKeyAsync(name, new CreateShardKey { ShardKey = new ShardKey { Number = 9 }, ShardsNumber = 1 });
        var keys = await client.ListShardKeysAsync(name);
        Assert.Equal(["red", "9"], keys.Select(k => k.Key.KeyCase == ShardKey.KeyOneofCase.Keyword ? k.Key.Keyword : k.Key.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        var red = Enumerable.Range(1, 12).Select(i => new PointStruct { Id = (ulong)i, Vectors = new[] { 1f, i } }).ToList();
        await client.UpsertAsync(name, red, wait: true, shardKeySelector: Select("red"));
        var nine = new ShardKeySelector { ShardKeys = { new ShardKey { Number = 9 } } };
        await client.UpsertAsync(name, [new PointStruct { Id = 100ul, Vectors = new[] { 1f, 1000f } }], wait: true, shardKeySelector: nine);
        var unkeyed = await Assert.ThrowsAsync<RpcException>(() => client.UpsertAsync(name, [new PointStruct { Id = 5ul, Vectors = new[] { 1f, 1f } }], wait: true));
        Assert.Equal(StatusCode.InvalidArgument, unkeyed.StatusCode);
        Assert.Contains("Shard key not specified", unkeyed.Status.Detail);

        Assert.Equal(12ul, await client.CountAsync(name, exact: true, shardKeySelector: Select("red")));
        Assert.Equal(13ul, await client.CountAsync(name, exact: true));
        var hits = await client.QueryAsync(name, new float[] { 0, 1 }, limit: 2, shardKeySelector: Select("red"));
        Assert.Equal([12ul, 11ul], hits.Select(h => h.Id.Num));
        Assert.All(hits, h => Assert.Equal("red", h.ShardKey.Keyword));
        var everywhere = await client.QueryAsync(name, new float[] { 0, 1 }, limit: 1);
        Assert.Equal(100ul, everywhere.Single().Id.Num);
        var scrolled = await client.ScrollAsync(name, limit: 100, shardKeySelector: nine);
        Assert.Equal(100ul, scrolled.Result.Single().Id.Num);
        Assert.Equal(9ul, scrolled.Result.Single().ShardKey.Number);

        await client.DeleteAsync(name, [1ul, 2ul], wait: true, shardKeySelector: Select("red"));
        Assert.Equal(10ul, await client.CountAsync(name, exact: true, shardKeySelector: Select("red")));

        var cluster = (await node.Rest.GetAsync($"/collections/{name}/cluster")).Result.GetProperty("local_shards").EnumerateArray();
        Assert.Equal(2, cluster.Count(s => s.TryGetProperty("shard_key", out var k) && k.ValueKind == System.Text.Json.JsonValueKind.String && k.GetString() == "red"));

        await client.DeleteShardKeyAsync(name, new DeleteShardKey { ShardKey = new ShardKey { Keyword = "red" } });
        Assert.Equal(1ul, await client.CountAsync(name, exact: true));
        var missing = await Assert.ThrowsAsync<RpcException>(() => client.DeleteShardKeyAsync(name, new DeleteShardKey { ShardKey = new ShardKey { Keyword = "red" } }));
        Assert.Equal(StatusCode.InvalidArgument, missing.StatusCode);
        Assert.Single(await client.ListShardKeysAsync(name));
    }
}

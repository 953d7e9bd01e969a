using Grpc.Core;
using Qdrant.Client.Grpc;

namespace AspireVector.Tests.Api.Grpc;

/// <summary>Aliases through the official client: created, listed, used in place of the collection, renamed and deleted.</summary>
public sealed class GrpcAliasTests(GrpcNode node) : IClassFixture<GrpcNode>
{
    [Fact]
    public async Task An_alias_made_over_grpc_serves_reads_and_writes_and_follows_renames()
    {
        using var client = node.Client();
        await client.CreateCollectionAsync("grpc_alias_target", new VectorParams { Size = 2, Distance = Distance.Dot });
        await client.CreateAliasAsync("grpc_alias", "grpc_alias_target");

        Assert.Contains("grpc_alias", await client.ListCollectionAliasesAsync("grpc_alias_target"));
        var all = await client.ListAliasesAsync();
        Assert.Contains(all, a => a.AliasName == "grpc_alias" && a.CollectionName == "grpc_alias_target");

        await client.UpsertAsync("grpc_alias", [new PointStruct { Id = 1ul, Vectors = new[] { 1f, 0f } }], wait: true);
        Assert.Equal(1ul, await client.CountAsync("grpc_alias_target"));

        await client.RenameAliasAsync("grpc_alias", "grpc_alias_renamed");
        Assert.Equal(1ul, await client.CountAsync("grpc_alias_renamed"));
        var gone = await Assert.ThrowsAsync<RpcException>(() => client.CountAsync("grpc_alias"));
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);

        await client.DeleteAliasAsync("grpc_alias_renamed");
        Assert.DoesNotContain(await client.ListAliasesAsync(), a => a.CollectionName == "grpc_alias_target");

        var missing = await Assert.ThrowsAsync<RpcException>(() => client.CreateAliasAsync("grpc_alias_dangling", "grpc_no_such_collection"));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }
}

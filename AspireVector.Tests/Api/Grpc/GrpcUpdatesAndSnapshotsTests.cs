using System.Text.Json;
using Grpc.Core;
using Qdrant.Client.Grpc;
using static Qdrant.Client.Grpc.Conditions;

namespace AspireVector.Tests.Api.Grpc;

/// <summary>
/// UpdateVectors, DeleteVectors, UpdateBatch and the <c>qdrant.Snapshots</c> service through the official .NET client,
/// each checked against what REST does with the same request.
/// </summary>
public sealed class GrpcUpdatesAndSnapshotsTests(GrpcNode node) : IClassFixture<GrpcNode>
{
    private async Task CreateAsync(string name)
    {
        await node.Rest.CreateCollectionAsync(name, 3, "Dot", """, "shard_number": 2""");
        await node.Rest.UpsertAsync(name, """
            [{"id": 1, "vector": [1, 0, 0], "payload": {"a": 1}}, {"id": 2, "vector": [0, 1, 0], "payload": {"a": 2}},
             {"id": 3, "vector": [0, 0, 1], "payload": {"a": 3}}, {"id": 4, "vector": [1, 1, 0], "payload": {"a": 4}}]
            """);
    }

    /// <summary>Every point of a collection as JSON text (id, payload, vector), in id order.</summary>
    private async Task<string[]> StateAsync(string name) =>
        [.. (await node.Rest.ScrollAllAsync(name)).Select(p => p.GetProperty("id").GetRawText() + " " + p.GetProperty("payload").GetRawText() + " " + p.GetProperty("vector").GetRawText())];

    [Fact]
    public async Task Vector_updates_and_a_batch_change_the_points_as_rest_does()
    {
        const string viaGrpc = "grpc_updates_g", viaRest = "grpc_updates_r";
        await CreateAsync(viaGrpc);
        await CreateAsync(viaRest);
        using var client = node.Client();

        var updated = await client.UpdateVectorsAsync(viaGrpc, [new PointVectors { Id = 1ul, Vectors = new[] { 0.5f, 0.5f, 0.5f } }], updateFilter: Range("a", new Qdrant.Client.Grpc.Range { Lte = 2 }));
        Assert.Equal(UpdateStatus.Completed, updated.Status);
        await client.UpdateVectorsAsync(viaGrpc, [new PointVectors { Id = 3ul, Vectors = new[] { 0.25f, 0.25f, 0.25f } }], updateFilter: Range("a", new Qdrant.Client.Grpc.Range { Lte = 2 }));
        await node.Rest.PutAsync($"/collections/{viaRest}/points/vectors?wait=true", """
            {"points": [{"id": 1, "vector": [0.5, 0.5, 0.5]}], "update_filter": {"must": [{"key": "a", "range": {"lte": 2}}]}}
            """);
        await node.Rest.PutAsync($"/collections/{viaRest}/points/vectors?wait=true", """
            {"points": [{"id": 3, "vector": [0.25, 0.25, 0.25]}], "update_filter": {"must": [{"key": "a", "range": {"lte": 2}}]}}
            """);
        Assert.Equal(await StateAsync(viaRest), await StateAsync(viaGrpc));
        Assert.Contains("1 {\"a\":1} [0.5,0.5,0.5]", await StateAsync(viaGrpc));

        var batch = await client.UpdateBatchAsync(viaGrpc, [
            new PointsUpdateOperation { Upsert = new PointsUpdateOperation.Types.PointStructList { Points = { new PointStruct { Id = 5ul, Vectors = new[] { 0f, 2f, 0f }, Payload = { ["a"] = 5 } } } } },
            new PointsUpdateOperation { SetPayload = new PointsUpdateOperation.Types.SetPayload { Payload = { ["b"] = "x" }, PointsSelector = new PointsSelector { Points = new PointsIdsList { Ids = { 5ul, 2ul } } } } },
            new PointsUpdateOperation { OverwritePayload = new PointsUpdateOperation.Types.OverwritePayload { Payload = { ["c"] = true }, PointsSelector = new PointsSelector { Filter = MatchKeyword("b", "x") & Range("a", new Qdrant.Client.Grpc.Range { Gte = 5 }) } } },
            new PointsUpdateOperation { DeletePayload = new PointsUpdateOperation.Types.DeletePayload { Keys = { "a" }, PointsSelector = new PointsSelector { Points = new PointsIdsList { Ids = { 1ul } } } } },
            new PointsUpdateOperation { UpdateVectors = new PointsUpdateOperation.Types.UpdateVectors { Points = { new PointVectors { Id = 2ul, Vectors = new[] { 3f, 3f, 3f } } } } },
            new PointsUpdateOperation { ClearPayload = new PointsUpdateOperation.Types.ClearPayload { Points = new PointsSelector { Points = new PointsIdsList { Ids = { 4ul } } } } },
            new PointsUpdateOperation { DeletePoints = new PointsUpdateOperation.Types.DeletePoints { Points = new PointsSelector { Points = new PointsIdsList { Ids = { 3ul } } } } },
        ]);
        Assert.Equal(7, batch.Count);
        Assert.All(batch, r => Assert.Equal(UpdateStatus.Completed, r.Status));
        var restBatch = await node.Rest.PostAsync($"/collections/{viaRest}/points/batch?wait=true", """
            {"operations": [
              {"upsert": {"points": [{"id": 5, "vector": [0, 2, 0], "payload": {"a": 5}}]}},
              {"set_payload": {"payload": {"b": "x"}, "points": [5, 2]}},
              {"overwrite_payload": {"payload": {"c": true}, "filter": {"must": [{"key": "b", "match": {"value": "x"}}, {"key": "a", "range": {"gte": 5}}]}}},
              {"delete_payload": {"keys": ["a"], "points": [1]}},
              {"update_vectors": {"points": [{"id": 2, "vector": [3, 3, 3]}]}},
              {"clear_payload": {"points": [4]}},
              {"delete": {"points": [3]}}]}
            """);
        Assert.Equal(7, restBatch.Result.GetArrayLength());
        Assert.Equal(await StateAsync(viaRest), await StateAsync(viaGrpc));
        Assert.Contains("5 {\"c\":true} [0,2,0]", await StateAsync(viaGrpc));

        // A batch whose later operation targets a missing point changes nothing, as REST's does.
        var before = await StateAsync(viaGrpc);
        var missing = await Assert.ThrowsAsync<RpcException>(() => client.UpdateBatchAsync(viaGrpc, [
            new PointsUpdateOperation { DeletePoints = new PointsUpdateOperation.Types.DeletePoints { Points = new PointsSelector { Points = new PointsIdsList { Ids = { 1ul } } } } },
            new PointsUpdateOperation { UpdateVectors = new PointsUpdateOperation.Types.UpdateVectors { Points = { new PointVectors { Id = 404ul, Vectors = new[] { 1f, 1f, 1f } } } } },
        ]));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Equal(before, await StateAsync(viaGrpc));
        var badDimension = await Assert.ThrowsAsync<RpcException>(() => client.UpdateVectorsAsync(viaGrpc, [new PointVectors { Id = 1ul, Vectors = new[] { 1f } }]));
        Assert.Equal(StatusCode.InvalidArgument, badDimension.StatusCode);
        Assert.Contains("operations", (await Assert.ThrowsAsync<RpcException>(() => client.UpdateBatchAsync(viaGrpc, [
            new PointsUpdateOperation { SetPayload = new PointsUpdateOperation.Types.SetPayload { Payload = { ["k"] = 1 } } },
        ]))).Status.Detail);
        Assert.Equal(before, await StateAsync(viaGrpc));

        // DeleteVectors: unknown names are named and change nothing; the unnamed vector goes as REST removes it (the point
        // and its payload stay).
        var unknown = await Assert.ThrowsAsync<RpcException>(() => client.DeleteVectorsAsync(viaGrpc, ["image"], MatchKeyword("b", "x")));
        Assert.Contains("Not existing vector name error: image", unknown.Status.Detail);
        Assert.Equal(before, await StateAsync(viaGrpc));
        Assert.Equal(System.Net.HttpStatusCode.OK,
            (await node.Rest.PostAsync($"/collections/{viaRest}/points/vectors/delete?wait=true", """{"points": [1], "vector": [""]}""")).Status);
        await client.DeleteVectorsAsync(viaGrpc, [""], [1ul]);
        Assert.Equal(await StateAsync(viaRest), await StateAsync(viaGrpc));
        Assert.NotEqual(before, await StateAsync(viaGrpc));
    }

    [Fact]
    public async Task Snapshots_are_created_listed_and_deleted_as_rest_sees_them()
    {
        const string name = "grpc_snapshots";
        await CreateAsync(name);
        using var client = node.Client();

        var created = await client.CreateSnapshotAsync(name);
        Assert.EndsWith(".snapshot", created.Name);
        Assert.True(created.Size > 0);
        Assert.Equal(64, created.Checksum.Length);
        var listed = await client.ListSnapshotsAsync(name);
        var restListed = (await node.Rest.GetAsync($"/collections/{name}/snapshots")).Result;
        Assert.Equal([created.Name], listed.Select(s => s.Name));
        Assert.Equal(restListed.EnumerateArray().Select(s => (s.GetProperty("name").GetString()!, s.GetProperty("size").GetInt64(), s.GetProperty("checksum").GetString()!)),
            listed.Select(s => (s.Name, s.Size, s.Checksum)));
        Assert.Equal(restListed[0].GetProperty("creation_time").GetString(), listed[0].CreationTime.ToDateTime().ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
        await client.DeleteSnapshotAsync(name, created.Name);
        Assert.Empty((await node.Rest.GetAsync($"/collections/{name}/snapshots")).Result.EnumerateArray());
        Assert.Empty(await client.ListSnapshotsAsync(name));

        var full = await client.CreateFullSnapshotAsync();
        Assert.Contains(full.Name, (await node.Rest.GetAsync("/snapshots")).Result.EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Contains(full.Name, (await client.ListFullSnapshotsAsync()).Select(s => s.Name));
        await client.DeleteFullSnapshotAsync(full.Name);
        Assert.DoesNotContain(full.Name, (await client.ListFullSnapshotsAsync()).Select(s => s.Name));

        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => client.CreateSnapshotAsync("grpc_snapshots_missing"))).StatusCode);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => client.ListSnapshotsAsync("grpc_snapshots_missing"))).StatusCode);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => client.DeleteSnapshotAsync(name, created.Name))).StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, (await Assert.ThrowsAsync<RpcException>(() => client.DeleteFullSnapshotAsync("../escape.snapshot"))).StatusCode);
    }

    [Fact]
    public async Task Read_only_key_lists_collection_snapshots_but_cannot_create_them()
    {
        await using var secured = GrpcNode.Start(o => { o.Service.ApiKey = "full-key"; o.Service.ReadOnlyApiKey = "read-key"; });
        await secured.Rest.CreateCollectionAsync("grpc_snapshots_rbac", 3, "Dot");
        using var reader = secured.Client("read-key");
        Assert.Empty(await reader.ListSnapshotsAsync("grpc_snapshots_rbac"));
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => reader.CreateSnapshotAsync("grpc_snapshots_rbac"))).StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => reader.ListFullSnapshotsAsync())).StatusCode);
        using var writer = secured.Client("full-key");
        Assert.NotEmpty((await writer.CreateSnapshotAsync("grpc_snapshots_rbac")).Name);
    }
}

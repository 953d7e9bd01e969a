using Grpc.Core;
using Qdrant.Client.Grpc;

// Search is obsolete in the client in favour of Query, but older clients call it: both are served.
#pragma warning disable CS0618, CS0612

namespace AspireVector.Tests.Api.Grpc;

/// <summary>
/// Sparse vectors through the official .NET client (<c>Qdrant.Client</c>, gRPC): config on create, info and update,
/// points with sparse vectors, Query with a sparse input, Search with <c>sparse_indices</c>, vectors returned in the
/// sparse shape; checked against brute force and REST.
/// </summary>
public sealed class SparseVectorsGrpcTests(GrpcNode node) : IClassFixture<GrpcNode>
{
    private static Vector SparseOf(SortedDictionary<uint, float> v) => (v.Values.ToArray(), v.Keys.ToArray());

    [Fact]
    public async Task Official_client_creates_writes_queries_and_reads_sparse_vectors()
    {
        const string name = "grpc_sparse";
        using var client = node.Client();
        await client.CreateCollectionAsync(name, new VectorParamsMap { Map = { ["dense"] = new VectorParams { Size = 4, Distance = Distance.Dot } } },
            sparseVectorsConfig: new SparseVectorConfig { Map = { ["text"] = new SparseVectorParams { Index = new SparseIndexConfig { FullScanThreshold = 1000 } } } });
        var info = await client.GetCollectionInfoAsync(name);
        Assert.Equal(1000ul, info.Config.Params.SparseVectorsConfig.Map["text"].Index.FullScanThreshold);
        Assert.False(info.Config.Params.SparseVectorsConfig.Map["text"].HasModifier);
        var rest = (await node.Rest.GetAsync($"/collections/{name}")).Result.GetProperty("config").GetProperty("params").GetProperty("sparse_vectors");
        Assert.Equal("""{"text":{"index":{"full_scan_threshold":1000}}}""", Rest.JsonText.Canonical(rest));

        var set = new Rest.SparseVectorSet(40, seed: 8);
        var points = new List<PointStruct>();
        for (int id = 1; id <= set.Count; id++)
        {
            var vectors = new Dictionary<string, Vector> { ["dense"] = set.Dense[id] };
            if (set.Sparse.TryGetValue(id, out var sparse)) vectors["text"] = SparseOf(sparse);
            points.Add(new PointStruct { Id = (ulong)id, Vectors = vectors, Payload = { ["n"] = id } });
        }

        Assert.Equal(UpdateStatus.Completed, (await client.UpsertAsync(name, points, wait: true)).Status);

        var query = Rest.SparseVectorSet.RandomSparse(new Random(3));
        var expected = set.Ranked(query);
        var queried = await client.QueryAsync(name, query: (query.Values.ToArray(), query.Keys.ToArray()), usingVector: "text", limit: 1000);
        Rest.SparseVectorSet.AssertRanked(expected, [.. queried.Select(h => ((int)h.Id.Num, (double)h.Score))]);
        var searched = await client.SearchAsync(name, query.Values.ToArray(), vectorName: "text", sparseIndices: query.Keys.ToArray(), limit: 5);
        Rest.SparseVectorSet.AssertRanked([.. expected.Take(5)], [.. searched.Select(h => ((int)h.Id.Num, (double)h.Score))]);

        var one = Assert.Single(await client.RetrieveAsync(name, [new PointId { Num = 1 }], payloadSelector: false, vectorSelector: true));
        var text = one.Vectors.Vectors.Vectors["text"];
        Assert.Equal(set.Sparse[1].Keys, text.Sparse.Indices);
        Assert.Equal(set.Sparse[1].Values, text.Sparse.Values);
        Assert.Equal(set.Dense[1], one.Vectors.Vectors.Vectors["dense"].Dense.Data);

        // Update the sparse vector alone (unsorted indices are sorted), then switch the modifier to idf.
        await client.UpdateVectorsAsync(name, [new PointVectors { Id = 1, Vectors = ("text", (Vector)(new[] { 1f, 2f }, new uint[] { 9, 4 })) }], wait: true);
        var updated = Assert.Single(await client.RetrieveAsync(name, [new PointId { Num = 1 }], payloadSelector: false, vectorSelector: true)).Vectors.Vectors.Vectors;
        Assert.Equal([4u, 9u], updated["text"].Sparse.Indices);
        Assert.Equal([2f, 1f], updated["text"].Sparse.Values);
        Assert.Equal(set.Dense[1], updated["dense"].Dense.Data);
        await client.UpdateCollectionAsync(name, sparseVectorsConfig: new SparseVectorConfig { Map = { ["text"] = new SparseVectorParams { Modifier = Modifier.Idf } } });
        Assert.Equal(Modifier.Idf, (await client.GetCollectionInfoAsync(name)).Config.Params.SparseVectorsConfig.Map["text"].Modifier);

        // Invalid sparse vectors are refused: different lengths, repeated indices, a dense query on the sparse name.
        var bad = await Assert.ThrowsAsync<RpcException>(() => client.UpsertAsync(name,
            [new PointStruct { Id = 99ul, Vectors = new Dictionary<string, Vector> { ["text"] = (new[] { 1f, 2f }, new uint[] { 3, 3 }) } }], wait: true));
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        Assert.Contains("must be unique", bad.Status.Detail);
        bad = await Assert.ThrowsAsync<RpcException>(() => client.QueryAsync(name, query: new[] { 1f, 0f, 0f, 0f }, usingVector: "text"));
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        Assert.Empty(await client.RetrieveAsync(name, [new PointId { Num = 99 }]));
    }
}

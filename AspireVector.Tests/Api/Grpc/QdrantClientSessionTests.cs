using System.Text.Json;
using Grpc.Core;
using Qdrant.Client.Grpc;
using static Qdrant.Client.Grpc.Conditions;

// Search/SearchBatch are obsolete in the client in favour of Query, but older clients call them: both are served.
#pragma warning disable CS0618

namespace AspireVector.Tests.Api.Grpc;

/// <summary>
/// A realistic session of the official .NET client (<c>Qdrant.Client</c>, gRPC) against a node, checking each
/// answer against what the node's REST API returns for the same data.
/// </summary>
public sealed class QdrantClientSessionTests(GrpcNode node) : IClassFixture<GrpcNode>
{
    private static readonly Guid UuidA = Guid.Parse("5c56c793-69f3-4fbf-87e6-c4bf54c28c26");
    private static readonly Guid UuidB = Guid.Parse("b1f0a8c2-1d2e-4c3b-9a8f-0e1d2c3b4a59");

    [Fact]
    public async Task Health_check_names_the_node_and_its_version()
    {
        using var client = node.Client();
        var health = await client.HealthAsync();
        Assert.Equal("aspirevector - vector search engine", health.Title);
        Assert.Equal(AspireVector.Node.Api.Rest.ServiceApi.Version, health.Version);
    }

    [Fact]
    public async Task Binary_and_product_quantization_round_trip_through_the_client_and_unsupported_encodings_are_refused()
    {
        using var client = node.Client();
        await client.CreateCollectionAsync("grpc_binary", new VectorParams { Size = 8, Distance = Distance.Cosine },
            quantizationConfig: new QuantizationConfig { Binary = new BinaryQuantization { Encoding = BinaryQuantizationEncoding.OneBit } });
        var binary = (await client.GetCollectionInfoAsync("grpc_binary")).Config.QuantizationConfig.Binary;
        Assert.Equal(BinaryQuantizationEncoding.OneBit, binary.Encoding);

        await client.UpdateCollectionAsync("grpc_binary", quantizationConfig: new QuantizationConfigDiff { Product = new ProductQuantization { Compression = CompressionRatio.X16 } });
        Assert.Equal(CompressionRatio.X16, (await client.GetCollectionInfoAsync("grpc_binary")).Config.QuantizationConfig.Product.Compression);
        var rest = (await node.Rest.GetAsync("/collections/grpc_binary")).Result.GetProperty("config").GetProperty("quantization_config");
        Assert.Equal("x16", rest.GetProperty("product").GetProperty("compression").GetString());

        var refused = await Assert.ThrowsAsync<RpcException>(() => client.CreateCollectionAsync("grpc_two_bits", new VectorParams { Size = 8, Distance = Distance.Cosine },
            quantizationConfig: new QuantizationConfig { Binary = new BinaryQuantization { Encoding = BinaryQuantizationEncoding.TwoBits } }));
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("two_bits", refused.Status.Detail);
        Assert.False(await client.CollectionExistsAsync("grpc_two_bits"));
    }

    [Fact]
    public async Task Official_client_session_matches_the_rest_api()
    {
        const string name = "grpc_session";
        using var client = node.Client();

        // Collection with hnsw and scalar quantization settings.
        await client.CreateCollectionAsync(name, new VectorParams { Size = 4, Distance = Distance.Dot },
            hnswConfig: new HnswConfigDiff { M = 8, EfConstruct = 64 },
            quantizationConfig: new QuantizationConfig { Scalar = new ScalarQuantization { Type = QuantizationType.Int8, Quantile = 0.99f } });
        Assert.Contains(name, await client.ListCollectionsAsync());
        Assert.True(await client.CollectionExistsAsync(name));
        Assert.False(await client.CollectionExistsAsync(name + "_missing"));
        var info = await client.GetCollectionInfoAsync(name);
        Assert.Equal(4ul, info.Config.Params.VectorsConfig.Params.Size);
        Assert.Equal(Distance.Dot, info.Config.Params.VectorsConfig.Params.Distance);
        Assert.Equal(8ul, info.Config.HnswConfig.M);
        Assert.Equal(64ul, info.Config.HnswConfig.EfConstruct);
        Assert.Equal(0.99f, info.Config.QuantizationConfig.Scalar.Quantile);
        var restInfo = (await node.Rest.GetAsync($"/collections/{name}")).Result;
        Assert.Equal(8, restInfo.GetProperty("config").GetProperty("hnsw_config").GetProperty("m").GetInt32());
        Assert.Equal("int8", restInfo.GetProperty("config").GetProperty("quantization_config").GetProperty("scalar").GetProperty("type").GetString());

        // Numeric and uuid ids, payloads of every value kind, and one point in the named-vector form ("").
        var points = new List<PointStruct>();
        string[] cities = ["Berlin", "London", "Berlin", "Paris", "London", "Berlin"];
        for (int i = 1; i <= 6; i++)
        {
            points.Add(new PointStruct
            {
                Id = (ulong)i,
                Vectors = new[] { i * 0.1f, 1f - i * 0.1f, 0.5f, i % 2 },
                Payload =
                {
                    ["city"] = cities[i - 1],
                    ["count"] = i,
                    ["rating"] = i + 0.5,
                    ["tags"] = new[] { "a", i % 2 == 0 ? "even" : "odd" },
                    ["open"] = i % 2 == 0,
                    ["address"] = new Dictionary<string, Value> { ["zip"] = 10_000 + i, ["street"] = $"street {i}" },
                },
            });
        }
        points.Add(new PointStruct { Id = UuidA, Vectors = new[] { 0.9f, 0.1f, 0.2f, 0.3f }, Payload = { ["city"] = "Rome", ["count"] = 7 } });
        var named = new NamedVectors();
        named.Vectors.Add("", new Vector { Dense = new DenseVector { Data = { 0.3f, 0.3f, 0.3f, 0.3f } } });
        points.Add(new PointStruct { Id = UuidB, Vectors = new Vectors { Vectors_ = named }, Payload = { ["city"] = "Oslo", ["count"] = 8 } });
        var upsert = await client.UpsertAsync(name, points, wait: true);
        Assert.Equal(UpdateStatus.Completed, upsert.Status);
        Assert.Equal(8, await node.Rest.CountAsync(name));
        var placement = await client.GetCollectionClusterSetupInfoAsync(name);
        Assert.Equal(8ul, placement.LocalShards.Single().PointsCount);
        Assert.Empty(placement.RemoteShards);

        // Search with a filter, against REST's search.
        float[] query = [0.4f, 0.6f, 0.5f, 1f];
        var hits = await client.SearchAsync(name, query, filter: MatchKeyword("city", "Berlin"), limit: 3, payloadSelector: true);
        var restHits = (await node.Rest.PostAsync($"/collections/{name}/points/search",
            """{"vector": [0.4, 0.6, 0.5, 1], "filter": {"must": [{"key": "city", "match": {"value": "Berlin"}}]}, "limit": 3, "with_payload": true}""")).Result;
        AssertSameHits(restHits, hits);
        Assert.All(hits, h => Assert.Equal("Berlin", h.Payload["city"].StringValue));

        // Query (nearest) with a range filter and an offset, against REST's query.
        var queried = await client.QueryAsync(name, query: query, filter: Range("count", new Qdrant.Client.Grpc.Range { Gte = 2 }), limit: 3, offset: 1);
        var restQueried = (await node.Rest.PostAsync($"/collections/{name}/points/query",
            """{"query": [0.4, 0.6, 0.5, 1], "filter": {"must": [{"key": "count", "range": {"gte": 2}}]}, "limit": 3, "offset": 1}""")).Result.GetProperty("points");
        AssertSameHits(restQueried, queried);
        // By point id: the point itself is excluded, as in Qdrant.
        var byId = await client.QueryAsync(name, query: 3ul, limit: 8);
        Assert.DoesNotContain(byId, p => p.Id.Num == 3);
        Assert.Equal(7, byId.Count);

        // Scroll in pages of 3 with offsets, against REST's scroll order.
        var scrolled = new List<string>();
        PointId? offset = null;
        do
        {
            var page = await client.ScrollAsync(name, limit: 3, offset: offset);
            Assert.True(page.Result.Count <= 3);
            scrolled.AddRange(page.Result.Select(p => Id(p.Id)));
            offset = page.NextPageOffset;
        }
        while (offset is not null);
        Assert.Equal((await node.Rest.ScrollAllAsync(name)).Select(p => p.GetProperty("id").ToString()), scrolled);

        // Exact count with a filter.
        ulong london = await client.CountAsync(name, filter: MatchKeyword("city", "London"), exact: true);
        Assert.Equal(2ul, london);
        Assert.Equal(2, await node.Rest.CountAsync(name, """{"exact": true, "filter": {"must": [{"key": "city", "match": {"value": "London"}}]}}"""));

        // Retrieve by numeric and uuid ids, with payload values of every kind and the vector.
        var retrieved = await client.RetrieveAsync(name, [1ul, UuidB], withPayload: true, withVectors: true);
        Assert.Equal(2, retrieved.Count);
        var one = retrieved.Single(p => p.Id.Num == 1);
        Assert.Equal("Berlin", one.Payload["city"].StringValue);
        Assert.Equal(1, one.Payload["count"].IntegerValue);
        Assert.Equal(1.5, one.Payload["rating"].DoubleValue);
        Assert.False(one.Payload["open"].BoolValue);
        Assert.Equal(["a", "odd"], one.Payload["tags"].ListValue.Values.Select(v => v.StringValue));
        Assert.Equal(10_001, one.Payload["address"].StructValue.Fields["zip"].IntegerValue);
        Assert.Equal([0.1f, 0.9f, 0.5f, 1f], one.Vectors.Vector.GetDenseVector()!.Data);
        var uuid = retrieved.Single(p => p.Id.HasUuid);
        Assert.Equal(UuidB.ToString(), uuid.Id.Uuid);
        Assert.Equal([0.3f, 0.3f, 0.3f, 0.3f], uuid.Vectors.Vector.GetDenseVector()!.Data);

        // Payload updates: set, overwrite, delete keys, clear.
        await client.SetPayloadAsync(name, new Dictionary<string, Value> { ["color"] = "red" }, 1ul, wait: true);
        await client.OverwritePayloadAsync(name, new Dictionary<string, Value> { ["only"] = 1 }, 2ul, wait: true);
        await client.DeletePayloadAsync(name, ["tags"], 1ul, wait: true);
        await client.ClearPayloadAsync(name, 3ul, wait: true);
        var afterPayload = (await client.RetrieveAsync(name, [1ul, 2ul, 3ul], withPayload: true, withVectors: false)).ToDictionary(p => p.Id.Num);
        Assert.Equal("red", afterPayload[1].Payload["color"].StringValue);
        Assert.Equal("Berlin", afterPayload[1].Payload["city"].StringValue);
        Assert.False(afterPayload[1].Payload.ContainsKey("tags"));
        Assert.Equal(["only"], afterPayload[2].Payload.Keys);
        Assert.Empty(afterPayload[3].Payload);
        var restTwo = (await node.Rest.GetAsync($"/collections/{name}/points/2")).Result.GetProperty("payload");
        Assert.Equal("""{"only":1}""", restTwo.GetRawText());

        // A keyword index, visible in the collection info of both APIs.
        var index = await client.CreatePayloadIndexAsync(name, "city", PayloadSchemaType.Keyword);
        Assert.Equal(UpdateStatus.Completed, index.Status);
        info = await client.GetCollectionInfoAsync(name);
        Assert.Equal(PayloadSchemaType.Keyword, info.PayloadSchema["city"].DataType);
        Assert.Equal(6ul, info.PayloadSchema["city"].Points); // point 2 was overwritten, point 3 cleared
        Assert.Equal(8ul, info.PointsCount);
        Assert.Equal("keyword", (await node.Rest.GetAsync($"/collections/{name}")).Result.GetProperty("payload_schema").GetProperty("city").GetProperty("data_type").GetString());

        // Deletes by filter and by ids.
        await client.DeleteAsync(name, MatchKeyword("city", "London"), wait: true); // only point 5 still says London
        Assert.Equal(7ul, await client.CountAsync(name, exact: true));
        await client.DeleteAsync(name, [4ul, 6ul], wait: true);
        Assert.Equal(5ul, await client.CountAsync(name, exact: true));
        Assert.Equal(5, await node.Rest.CountAsync(name));

        await client.DeletePayloadIndexAsync(name, "city");
        Assert.Empty((await client.GetCollectionInfoAsync(name)).PayloadSchema);
        await client.DeleteCollectionAsync(name);
        Assert.False(await client.CollectionExistsAsync(name));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await node.Rest.GetAsync($"/collections/{name}")).Status);
    }

    [Fact]
    public async Task Batches_and_selectors_follow_the_rest_api()
    {
        const string name = "grpc_batches";
        using var client = node.Client();
        await client.CreateCollectionAsync(name, new VectorParams { Size = 2, Distance = Distance.Euclid });
        await client.UpsertAsync(name, [
            new PointStruct { Id = 1ul, Vectors = new[] { 0f, 0f }, Payload = { ["a"] = 1, ["b"] = "x" } },
            new PointStruct { Id = 2ul, Vectors = new[] { 1f, 1f }, Payload = { ["a"] = 2, ["b"] = "y" } },
            new PointStruct { Id = 3ul, Vectors = new[] { 5f, 5f }, Payload = { ["a"] = 3, ["b"] = "z" } },
        ], wait: true);

        var batch = await client.SearchBatchAsync(name, [
            new SearchPoints { Vector = { 0f, 0f }, Limit = 2 },
            new SearchPoints { Vector = { 5f, 5f }, Limit = 1, WithPayload = new WithPayloadSelector { Include = new PayloadIncludeSelector { Fields = { "b" } } } },
        ]);
        Assert.Equal([1ul, 2ul], batch[0].Result.Select(p => p.Id.Num));
        Assert.Equal(3ul, batch[1].Result.Single().Id.Num);
        Assert.Equal(["b"], batch[1].Result.Single().Payload.Keys);

        var queries = await client.QueryBatchAsync(name, [
            new QueryPoints { Query = new float[] { 1f, 1f }, Limit = 1, ScoreThreshold = 0.5f },
            new QueryPoints { Limit = 2, WithPayload = new WithPayloadSelector { Exclude = new PayloadExcludeSelector { Fields = { "a" } } } },
        ]);
        Assert.Equal(2ul, queries[0].Result.Single().Id.Num);
        Assert.Equal([1ul, 2ul], queries[1].Result.Select(p => p.Id.Num));
        Assert.Equal(["b"], queries[1].Result[0].Payload.Keys);

        // Exact search and hnsw_ef are accepted as REST accepts them; the score threshold cuts as in REST (Euclid: lower is better).
        var exact = await client.SearchAsync(name, new[] { 0f, 0f }, searchParams: new SearchParams { Exact = true, HnswEf = 16 }, limit: 3, scoreThreshold: 2f);
        var restExact = (await node.Rest.PostAsync($"/collections/{name}/points/search",
            """{"vector": [0, 0], "params": {"exact": true, "hnsw_ef": 16}, "limit": 3, "score_threshold": 2}""")).Result;
        AssertSameHits(restExact, exact);

        // A prefetch re-scored by the query, as REST answers it; fusion without prefetches is refused as REST refuses it.
        var prefetch = await client.QueryAsync(name, query: new float[] { 0f, 0f }, prefetch: [new PrefetchQuery { Query = new float[] { 1f, 1f }, Limit = 2 }]);
        var restPrefetch = (await node.Rest.PostAsync($"/collections/{name}/points/query",
            """{"query": [0, 0], "prefetch": {"query": [1, 1], "limit": 2}}""")).Result.GetProperty("points");
        AssertSameHits(restPrefetch, prefetch);
        var fusion = await Assert.ThrowsAsync<RpcException>(() => client.QueryAsync(name, query: Fusion.Rrf));
        Assert.Equal(StatusCode.InvalidArgument, fusion.StatusCode);
        Assert.Contains("cannot apply Fusion without prefetches", fusion.Status.Detail, StringComparison.Ordinal);
        await client.DeleteCollectionAsync(name);
    }

    private static void AssertSameHits(JsonElement rest, IReadOnlyList<ScoredPoint> grpc)
    {
        var expected = rest.EnumerateArray().Select(h => (h.GetProperty("id").ToString(), h.GetProperty("score").GetSingle())).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Select(e => e.Item1), grpc.Select(h => Id(h.Id)));
        for (int i = 0; i < expected.Count; i++) Assert.Equal(expected[i].Item2, grpc[i].Score, 4);
    }

    private static string Id(PointId id) => id.HasUuid ? id.Uuid : id.Num.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

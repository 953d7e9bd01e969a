using System.Globalization;
using System.Text.Json;
using Grpc.Core;
using Qdrant.Client.Grpc;
using static Qdrant.Client.Grpc.Conditions;

// Recommend* and Discover* are obsolete in the client in favour of Query, but older clients call them: both are served.
#pragma warning disable CS0618

namespace AspireVector.Tests.Api.Grpc;

/// <summary>
/// The universal query through the official .NET client: prefetches (nested, with filter, limit, score threshold,
/// <c>using</c>, params), fusion (RRF, DBSF, weighted RRF), score-boosting formulas, order_by, sample, MMR and
/// <c>lookup_from</c> (also of recommend and discover), and Scroll's <c>order_by</c>, each checked against REST's answer
/// to the same request on the same data.
/// </summary>
public sealed class GrpcQueryTests(GrpcNode node) : IClassFixture<GrpcNode>
{
    private const string Name = "grpc_query";
    private const string Users = "grpc_query_users";
    private static readonly string[] Colors = ["red", "green", "blue", "amber"];

    private static float[] ImageOf(int id) => [MathF.Cos(id * 0.7f), MathF.Sin(id * 1.3f), (id % 5 - 2) * 0.3f, 0.25f];

    private static float[] TextOf(int id) => [MathF.Sin(id * 0.9f), (id % 3 - 1) * 0.5f, MathF.Cos(id * 0.2f)];

    private static float[] TasteOf(int id) => [0.5f - id % 3 * 0.3f, MathF.Sin(id * 1.1f), MathF.Cos(id * 0.6f), 0.2f * id];

    private static string Json(float[] v) => "[" + string.Join(",", v.Select(x => x.ToString("R", CultureInfo.InvariantCulture))) + "]";

    /// <summary>40 points over 2 shards (image: Dot, text: Cosine), indexed <c>color</c> and <c>n</c>; 5 users with a <c>taste</c> vector.</summary>
    private async Task SeedAsync()
    {
        if ((await node.Rest.GetAsync($"/collections/{Users}/exists")).Result.GetProperty("exists").GetBoolean()) return;
        Assert.True((await node.Rest.PutAsync($"/collections/{Name}", """
            {"vectors": {"image": {"size": 4, "distance": "Dot"}, "text": {"size": 3, "distance": "Cosine"}}, "shard_number": 2}
            """)).Result.GetBoolean());
        await node.Rest.UpsertAsync(Name, "[" + string.Join(",", Enumerable.Range(1, 40).Select(id =>
            $$$"""{"id": {{{id}}}, "vector": {"image": {{{Json(ImageOf(id))}}}, "text": {{{Json(TextOf(id))}}}}, "payload": {"color": "{{{Colors[id % 4]}}}", "n": {{{id}}}}}""")) + "]");
        await node.Rest.PutAsync($"/collections/{Name}/index?wait=true", """{"field_name": "color", "field_schema": "keyword"}""");
        await node.Rest.PutAsync($"/collections/{Name}/index?wait=true", """{"field_name": "n", "field_schema": "integer"}""");
        Assert.True((await node.Rest.PutAsync($"/collections/{Users}", """{"vectors": {"taste": {"size": 4, "distance": "Dot"}}}""")).Result.GetBoolean());
        await node.Rest.UpsertAsync(Users, "[" + string.Join(",", Enumerable.Range(1, 5).Select(id => $$$"""{"id": {{{id}}}, "vector": {"taste": {{{Json(TasteOf(id))}}}}}""")) + "]");
    }

    private async Task<JsonElement> RestQueryAsync(string body) => (await node.Rest.PostAsync($"/collections/{Name}/points/query", body)).Result.GetProperty("points");

    private static void AssertSameHits(JsonElement rest, IReadOnlyList<ScoredPoint> grpc)
    {
        Assert.NotEmpty(grpc);
        Assert.Equal(rest.EnumerateArray().Select(p => p.GetProperty("id").GetUInt64()), grpc.Select(p => p.Id.Num));
        foreach (var (r, g) in rest.EnumerateArray().Zip(grpc)) Assert.Equal(r.GetProperty("score").GetSingle(), g.Score, 5);
    }

    private static PrefetchQuery Image(float[] query, ulong limit) => new() { Query = query, Using = "image", Limit = limit, Params = new SearchParams { Exact = true } };

    private static PrefetchQuery Text(float[] query, ulong limit) => new() { Query = query, Using = "text", Limit = limit, Params = new SearchParams { Exact = true } };

    private static VectorInput Id(ulong id) => new() { Id = id };

    [Fact]
    public async Task Prefetch_fusion_and_rescoring_answer_as_rest()
    {
        await SeedAsync();
        using var client = node.Client();
        float[] image = [0.4f, -0.2f, 0.6f, 0.1f], text = [0.3f, 0.9f, -0.2f];
        string prefetches = $$$"""[{"query": {{{Json(image)}}}, "using": "image", "limit": 12, "params": {"exact": true}}, {"query": {{{Json(text)}}}, "using": "text", "limit": 12, "params": {"exact": true}}]""";

        var rrf = await client.QueryAsync(Name, Fusion.Rrf, prefetch: [Image(image, 12), Text(text, 12)], limit: 6, payloadSelector: true);
        AssertSameHits(await RestQueryAsync($$$"""{"prefetch": {{{prefetches}}}, "query": {"fusion": "rrf"}, "limit": 6}"""), rrf);
        Assert.All(rrf, p => Assert.True(p.Payload.ContainsKey("color")));

        var dbsf = await client.QueryAsync(Name, Fusion.Dbsf, prefetch: [Image(image, 12), Text(text, 12)], limit: 6, offset: 2);
        AssertSameHits(await RestQueryAsync($$$"""{"prefetch": {{{prefetches}}}, "query": {"fusion": "dbsf"}, "limit": 6, "offset": 2}"""), dbsf);

        var weighted = await client.QueryAsync(Name, new Rrf { K = 5, Weights = { 2f, 0.5f } }, prefetch: [Image(image, 12), Text(text, 12)], limit: 8, scoreThreshold: 0.05f);
        AssertSameHits(await RestQueryAsync($$$"""{"prefetch": {{{prefetches}}}, "query": {"rrf": {"k": 5, "weights": [2, 0.5]}}, "limit": 8, "score_threshold": 0.05}"""), weighted);

        // Nested prefetches, each with its own filter, threshold and vector; the request's filter reaches them all.
        var inner = Text(text, 20);
        inner.Filter = MatchKeyword("color", "red") | MatchKeyword("color", "blue");
        var middle = Image(image, 8);
        middle.Prefetch.Add(inner);
        middle.ScoreThreshold = -1f;
        var nested = await client.QueryAsync(Name, text, prefetch: [middle], usingVector: "text", filter: Range("n", new Qdrant.Client.Grpc.Range { Lte = 30 }),
            limit: 4, offset: 1, vectorsSelector: true);
        var restNested = await RestQueryAsync($$$"""
            {"prefetch": {"prefetch": {"query": {{{Json(text)}}}, "using": "text", "limit": 20, "params": {"exact": true},
                                       "filter": {"should": [{"key": "color", "match": {"value": "red"}}, {"key": "color", "match": {"value": "blue"}}]}},
                          "query": {{{Json(image)}}}, "using": "image", "limit": 8, "score_threshold": -1, "params": {"exact": true}},
             "query": {{{Json(text)}}}, "using": "text", "filter": {"must": [{"key": "n", "range": {"lte": 30}}]}, "limit": 4, "offset": 1, "with_vector": true}
            """);
        AssertSameHits(restNested, nested);
        Assert.All(nested, p => Assert.Equal(4, p.Vectors.Vectors.Vectors["image"].Dense.Data.Count));

        var batch = await client.QueryBatchAsync(Name, [
            new QueryPoints { CollectionName = Name, Query = Fusion.Rrf, Prefetch = { Image(image, 12), Text(text, 12) }, Limit = 3 },
            new QueryPoints { CollectionName = Name, Query = new Query { Recommend = new RecommendInput { Positive = { Id(3) } } }, Using = "image", Prefetch = { Text(text, 10) }, Limit = 2 },
        ]);
        AssertSameHits(await RestQueryAsync($$$"""{"prefetch": {{{prefetches}}}, "query": {"fusion": "rrf"}, "limit": 3}"""), batch[0].Result);
        AssertSameHits(await RestQueryAsync($$$"""
            {"prefetch": {"query": {{{Json(text)}}}, "using": "text", "limit": 10, "params": {"exact": true}}, "query": {"recommend": {"positive": [3]}}, "using": "image", "limit": 2}
            """), batch[1].Result);

        var groups = await client.QueryGroupsAsync(Name, "color", Fusion.Rrf, prefetch: [Image(image, 12), Text(text, 12)], limit: 2, groupSize: 2);
        var restGroups = (await node.Rest.PostAsync($"/collections/{Name}/points/query/groups",
            $$$"""{"prefetch": {{{prefetches}}}, "query": {"fusion": "rrf"}, "group_by": "color", "limit": 2, "group_size": 2}""")).Result.GetProperty("groups");
        Assert.Equal(restGroups.EnumerateArray().Select(g => g.GetProperty("id").GetString()), groups.Select(g => g.Id.StringValue));
        foreach (var (r, g) in restGroups.EnumerateArray().Zip(groups)) AssertSameHits(r.GetProperty("hits"), g.Hits);

        // Score boosting: the image prefetch's score, a condition and a decay over a payload value.
        var formula = new Formula
        {
            Expression = new Expression
            {
                Sum = new SumExpression
                {
                    Sum =
                    {
                        new Expression { Variable = "$score" },
                        new Expression { Mult = new MultExpression { Mult = { new Expression { Constant = 0.5f }, new Expression { Condition = MatchKeyword("color", "red") } } } },
                        new Expression { LinDecay = new DecayParamsExpression { X = new Expression { Variable = "n" }, Target = new Expression { Constant = 20 }, Scale = 10 } },
                        new Expression { Div = new DivExpression { Left = new Expression { Variable = "bonus" }, Right = new Expression { Constant = 4 } } },
                    },
                },
            },
            Defaults = { ["bonus"] = new Value { DoubleValue = 2 } },
        };
        var boosted = await client.QueryAsync(Name, formula, prefetch: [Image(image, 15)], limit: 6);
        AssertSameHits(await RestQueryAsync($$$"""
            {"prefetch": {"query": {{{Json(image)}}}, "using": "image", "limit": 15, "params": {"exact": true}},
             "query": {"formula": {"sum": ["$score", {"mult": [0.5, {"key": "color", "match": {"value": "red"}}]}, {"lin_decay": {"x": "n", "target": 20, "scale": 10}},
                                          {"div": {"left": "bonus", "right": 4}}]}, "defaults": {"bonus": 2}}, "limit": 6}
            """), boosted);

        var fusionAlone = await Assert.ThrowsAsync<RpcException>(() => client.QueryAsync(Name, Fusion.Dbsf));
        Assert.Equal(StatusCode.InvalidArgument, fusionAlone.StatusCode);
        var weights = await Assert.ThrowsAsync<RpcException>(() => client.QueryAsync(Name, new Rrf { Weights = { 1f } }, prefetch: [Image(image, 5), Text(text, 5)]));
        Assert.Contains("Number of weights in RRF should match number of pre-fetches", weights.Status.Detail);
        var noQuery = await Assert.ThrowsAsync<RpcException>(() => client.QueryAsync(Name, prefetch: [Image(image, 5)]));
        Assert.Contains("cannot have prefetches without a query", noQuery.Status.Detail);
    }

    [Fact]
    public async Task Order_by_and_sample_queries_answer_as_rest()
    {
        await SeedAsync();
        using var client = node.Client();
        var ordered = await client.QueryAsync(Name, new OrderBy { Key = "n", Direction = Direction.Desc, StartFrom = new StartFrom { Integer = 30 } },
            filter: MatchKeyword("color", "red"), limit: 5);
        var restOrdered = await RestQueryAsync("""
            {"query": {"order_by": {"key": "n", "direction": "desc", "start_from": 30}}, "filter": {"must": [{"key": "color", "match": {"value": "red"}}]}, "limit": 5}
            """);
        AssertSameHits(restOrdered, ordered);
        Assert.Equal([28ul, 24ul, 20ul, 16ul, 12ul], ordered.Select(p => p.Id.Num));
        Assert.Equal([28L, 24L, 20L, 16L, 12L], ordered.Select(p => p.OrderValue.Int));

        // Scroll orders the same way, with the values it ordered by; an offset is refused as REST refuses it.
        var scrolled = await client.ScrollAsync(Name, filter: MatchKeyword("color", "red"), limit: 3,
            orderBy: new OrderBy { Key = "n", StartFrom = new StartFrom { Float = 9.5 } });
        var restScrolled = (await node.Rest.PostAsync($"/collections/{Name}/points/scroll", """
            {"order_by": {"key": "n", "start_from": 9.5}, "filter": {"must": [{"key": "color", "match": {"value": "red"}}]}, "limit": 3}
            """)).Result.GetProperty("points");
        Assert.Equal(restScrolled.EnumerateArray().Select(p => p.GetProperty("id").GetUInt64()), scrolled.Result.Select(p => p.Id.Num));
        Assert.Equal([12L, 16L, 20L], scrolled.Result.Select(p => p.OrderValue.Int));
        Assert.Null(scrolled.NextPageOffset);
        var withOffset = await Assert.ThrowsAsync<RpcException>(() => client.ScrollAsync(Name, limit: 3, offset: 5ul, orderBy: new OrderBy { Key = "n" }));
        Assert.Contains("Cannot use an `offset` when using `order_by`", withOffset.Status.Detail);
        var nan = await Assert.ThrowsAsync<RpcException>(() => client.QueryAsync(Name, new OrderBy { Key = "n", StartFrom = new StartFrom { Float = double.NaN } }));
        Assert.Equal(StatusCode.InvalidArgument, nan.StatusCode);

        var sample = await client.QueryAsync(Name, Sample.Random, filter: MatchKeyword("color", "green"), limit: 4, payloadSelector: true);
        Assert.Equal(4, sample.Count);
        Assert.Equal(4, sample.Select(p => p.Id.Num).Distinct().Count());
        Assert.All(sample, p => Assert.Equal("green", p.Payload["color"].StringValue));
        Assert.All(sample, p => Assert.Equal(1f, p.Score));
        var everyGreen = await client.QueryAsync(Name, Sample.Random, filter: MatchKeyword("color", "green"), limit: 40);
        Assert.Equal(Enumerable.Range(1, 40).Where(id => id % 4 == 1).Select(id => (ulong)id), everyGreen.Select(p => p.Id.Num).Order());
    }

    [Fact]
    public async Task Lookup_from_and_mmr_answer_as_rest()
    {
        await SeedAsync();
        using var client = node.Client();
        var users = new LookupLocation { CollectionName = Users, VectorName = "taste" };

        var nearest = await client.QueryAsync(Name, 2ul, usingVector: "image", lookupFrom: users, limit: 6);
        AssertSameHits(await RestQueryAsync($$$"""{"query": 2, "using": "image", "limit": 6, "lookup_from": {"collection": "{{{Users}}}", "vector": "taste"}}"""), nearest);
        AssertSameHits(await RestQueryAsync($$$"""{"query": {{{Json(TasteOf(2))}}}, "using": "image", "limit": 6}"""), nearest);

        var prefetched = await client.QueryAsync(Name, Fusion.Rrf, prefetch: [new PrefetchQuery { Query = 4ul, Using = "image", Limit = 10, LookupFrom = users }, Text([0.1f, 0.2f, 0.3f], 10)],
            limit: 5);
        AssertSameHits(await RestQueryAsync($$$"""
            {"prefetch": [{"query": 4, "using": "image", "limit": 10, "lookup_from": {"collection": "{{{Users}}}", "vector": "taste"}},
                          {"query": [0.1, 0.2, 0.3], "using": "text", "limit": 10, "params": {"exact": true}}], "query": {"fusion": "rrf"}, "limit": 5}
            """), prefetched);

        var recommended = await client.RecommendAsync(Name, new ulong[] { 1, 3 }, new ulong[] { 5 }, strategy: RecommendStrategy.BestScore, usingVector: "image", lookupFrom: users, limit: 7);
        var restRecommended = (await node.Rest.PostAsync($"/collections/{Name}/points/recommend", $$$"""
            {"positive": [1, 3], "negative": [5], "strategy": "best_score", "using": "image", "limit": 7, "lookup_from": {"collection": "{{{Users}}}", "vector": "taste"}}
            """)).Result;
        AssertSameHits(restRecommended, recommended);
        Assert.DoesNotContain(recommended, p => p.Id.Num is 1 or 3 or 5);

        var discovered = await client.DiscoverAsync(Name, new TargetVector { Single = new VectorExample { Id = 2ul } },
            [new ContextExamplePair { Positive = new VectorExample { Id = 3ul }, Negative = new VectorExample { Id = 4ul } }], usingVector: "image", lookupFrom: users, limit: 5);
        var restDiscovered = (await node.Rest.PostAsync($"/collections/{Name}/points/discover", $$$"""
            {"target": 2, "context": [{"positive": 3, "negative": 4}], "using": "image", "limit": 5, "lookup_from": {"collection": "{{{Users}}}", "vector": "taste"}}
            """)).Result;
        AssertSameHits(restDiscovered, discovered);

        float[] query = [0.2f, 0.7f, -0.4f, 0.5f];
        var withMmr = new Query { NearestWithMmr = new NearestInputWithMmr { Nearest = new VectorInput { Dense = new DenseVector { Data = { query } } }, Mmr = new Mmr { Diversity = 0.7f, CandidatesLimit = 25 } } };
        var mmr = await client.QueryAsync(Name, withMmr,
            usingVector: "image", limit: 6, searchParams: new SearchParams { Exact = true });
        AssertSameHits(await RestQueryAsync($$$"""
            {"query": {"nearest": {{{Json(query)}}}, "mmr": {"diversity": 0.7, "candidates_limit": 25}}, "using": "image", "limit": 6, "params": {"exact": true}}
            """), mmr);
        var plain = await client.QueryAsync(Name, query, usingVector: "image", limit: 6, searchParams: new SearchParams { Exact = true });
        Assert.NotEqual(plain.Select(p => p.Id.Num), mmr.Select(p => p.Id.Num));

        var missing = await Assert.ThrowsAsync<RpcException>(() => client.QueryAsync(Name, 2ul, usingVector: "image", lookupFrom: new LookupLocation { CollectionName = "grpc_nope" }));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Contains("grpc_nope", missing.Status.Detail);
        var wrongVector = await Assert.ThrowsAsync<RpcException>(() => client.RecommendAsync(Name, new ulong[] { 1 }, usingVector: "image",
            lookupFrom: new LookupLocation { CollectionName = Users, VectorName = "colour" }));
        Assert.Equal(StatusCode.InvalidArgument, wrongVector.StatusCode);
        var dimension = await Assert.ThrowsAsync<RpcException>(() => client.QueryAsync(Name, 1ul, usingVector: "text", lookupFrom: users));
        Assert.Contains("Vector dimension error: expected dim: 3, got 4", dimension.Status.Detail);
        var formula = await Assert.ThrowsAsync<RpcException>(() => client.QueryAsync(Name, new Formula { Expression = new Expression { Constant = 1f } }));
        Assert.Equal(StatusCode.InvalidArgument, formula.StatusCode);
        Assert.Contains("cannot apply Formula without prefetches", formula.Status.Detail);
    }
}

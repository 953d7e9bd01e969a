using System.Globalization;
using System.Text.Json;
using Grpc.Core;
using Qdrant.Client.Grpc;
using static Qdrant.Client.Grpc.Conditions;

// Recommend* and Discover* are obsolete in the client in favour of Query, but older clients call them: both are served.
#pragma warning disable CS0618

namespace AspireVector.Tests.Api.Grpc;

/// <summary>
/// The ranked reads of <c>qdrant.Points</c> beyond search (recommend, discover, groups, query's recommend, discover and
/// context, facets, distance matrices) through the official .NET client, each checked against REST's answer to the same
/// request on the same data.
/// </summary>
public sealed class GrpcRankedReadsTests(GrpcNode node) : IClassFixture<GrpcNode>
{
    private static readonly string[] Colors = ["red", "green", "blue", "amber"];

    private static float[] VectorOf(int id) => [MathF.Cos(id * 0.7f), MathF.Sin(id * 1.3f), (id % 5 - 2) * 0.3f, 0.25f];

    private static string Json(float[] v) => "[" + string.Join(",", v.Select(x => x.ToString("R", CultureInfo.InvariantCulture))) + "]";

    /// <summary>40 points over 2 shards with a keyword-indexed <c>color</c> payload.</summary>
    private async Task SeedAsync(string name)
    {
        if ((await node.Rest.GetAsync($"/collections/{name}/exists")).Result.GetProperty("exists").GetBoolean()) return;
        await node.Rest.CreateCollectionAsync(name, 4, "Dot", """, "shard_number": 2""");
        var points = Enumerable.Range(1, 40).Select(id => $$$"""{"id": {{{id}}}, "vector": {{{Json(VectorOf(id))}}}, "payload": {"color": "{{{Colors[id % 4]}}}", "n": {{{id}}}}}""");
        await node.Rest.UpsertAsync(name, "[" + string.Join(",", points) + "]");
        await node.Rest.PutAsync($"/collections/{name}/index?wait=true", """{"field_name": "color", "field_schema": "keyword"}""");
    }

    private static void AssertSameHits(JsonElement rest, IReadOnlyList<ScoredPoint> grpc)
    {
        Assert.Equal(rest.EnumerateArray().Select(p => p.GetProperty("id").GetUInt64()), grpc.Select(p => p.Id.Num));
        foreach (var (r, g) in rest.EnumerateArray().Zip(grpc)) Assert.Equal(r.GetProperty("score").GetSingle(), g.Score, 5);
    }

    private static void AssertSameGroups(JsonElement rest, IReadOnlyList<PointGroup> grpc)
    {
        var groups = rest.GetProperty("groups");
        Assert.Equal(groups.GetArrayLength(), grpc.Count);
        Assert.NotEmpty(grpc);
        foreach (var (r, g) in groups.EnumerateArray().Zip(grpc))
        {
            Assert.Equal(r.GetProperty("id").GetString(), g.Id.StringValue);
            AssertSameHits(r.GetProperty("hits"), g.Hits);
        }
    }

    private static VectorInput Id(ulong id) => new() { Id = id };

    private static ContextExamplePair Pair(ulong positive, ulong negative) =>
        new() { Positive = new VectorExample { Id = positive }, Negative = new VectorExample { Id = negative } };

    [Fact]
    public async Task Recommend_and_its_batch_and_groups_answer_as_rest()
    {
        const string name = "grpc_ranked_reco";
        await SeedAsync(name);
        using var client = node.Client();

        var best = await client.RecommendAsync(name, new ulong[] { 3, 17 }, new ulong[] { 8 }, negativeVectors: new Vector[] { new() { Dense = new DenseVector { Data = { VectorOf(30) } } } },
            strategy: RecommendStrategy.BestScore, filter: MatchKeyword("color", "red") | MatchKeyword("color", "blue"), limit: 6, offset: 1);
        var restBest = (await node.Rest.PostAsync($"/collections/{name}/points/recommend", $$$"""
            {"positive": [3, 17], "negative": [8, {{{Json(VectorOf(30))}}}], "strategy": "best_score", "limit": 6, "offset": 1,
             "filter": {"should": [{"key": "color", "match": {"value": "red"}}, {"key": "color", "match": {"value": "blue"}}]}}
            """)).Result;
        AssertSameHits(restBest, best);
        Assert.Equal(6, best.Count);

        var batch = await client.RecommendBatchAsync(name, [
            new RecommendPoints { CollectionName = name, Positive = { 5ul }, Limit = 4, ScoreThreshold = -5f },
            new RecommendPoints { CollectionName = name, Positive = { 6ul, 7ul }, Negative = { 9ul }, Strategy = RecommendStrategy.SumScores, Limit = 3 },
        ]);
        var restBatch = (await node.Rest.PostAsync($"/collections/{name}/points/recommend/batch", """
            {"searches": [{"positive": [5], "limit": 4, "score_threshold": -5}, {"positive": [6, 7], "negative": [9], "strategy": "sum_scores", "limit": 3}]}
            """)).Result;
        Assert.Equal(2, batch.Count);
        AssertSameHits(restBatch[0], batch[0].Result);
        AssertSameHits(restBatch[1], batch[1].Result);

        var groups = await client.RecommendGroupsAsync(name, "color", new ulong[] { 11 }, limit: 3, groupSize: 2);
        var restGroups = (await node.Rest.PostAsync($"/collections/{name}/points/recommend/groups", """
            {"positive": [11], "group_by": "color", "limit": 3, "group_size": 2}
            """)).Result;
        AssertSameGroups(restGroups, groups);

        var missing = await Assert.ThrowsAsync<RpcException>(() => client.RecommendAsync(name, new ulong[] { 4040 }));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        var noPositive = await Assert.ThrowsAsync<RpcException>(() => client.RecommendAsync(name, Array.Empty<ulong>(), new ulong[] { 1 }));
        Assert.Equal(StatusCode.InvalidArgument, noPositive.StatusCode);
        Assert.Contains("At least one positive", noPositive.Status.Detail);
    }

    [Fact]
    public async Task Discover_its_batch_and_query_discover_and_context_answer_as_rest()
    {
        const string name = "grpc_ranked_disco";
        await SeedAsync(name);
        using var client = node.Client();

        var target = new TargetVector { Single = new VectorExample { Vector = new Vector { Dense = new DenseVector { Data = { 0.2f, 0.5f, -0.3f, 0.9f } } } } };
        var discovered = await client.DiscoverAsync(name, target, [Pair(1, 2), Pair(3, 4)], filter: MatchKeyword("color", "green") | MatchKeyword("color", "amber"),
            limit: 8, offset: 1, payloadSelector: true);
        var restDiscovered = (await node.Rest.PostAsync($"/collections/{name}/points/discover", """
            {"target": [0.2, 0.5, -0.3, 0.9], "context": [{"positive": 1, "negative": 2}, {"positive": 3, "negative": 4}], "limit": 8, "offset": 1,
             "filter": {"should": [{"key": "color", "match": {"value": "green"}}, {"key": "color", "match": {"value": "amber"}}]}, "with_payload": true}
            """)).Result;
        AssertSameHits(restDiscovered, discovered);
        Assert.Equal(8, discovered.Count);
        Assert.All(discovered, p => Assert.Contains(p.Payload["color"].StringValue, new[] { "green", "amber" }));

        var context = await client.DiscoverAsync(name, [Pair(10, 11), Pair(12, 13)], limit: 10);
        var restContext = (await node.Rest.PostAsync($"/collections/{name}/points/discover", """
            {"context": [{"positive": 10, "negative": 11}, {"positive": 12, "negative": 13}], "limit": 10}
            """)).Result;
        AssertSameHits(restContext, context);

        var batch = await client.DiscoverBatchAsync(name, [
            new DiscoverPoints { CollectionName = name, Target = new TargetVector { Single = new VectorExample { Id = 20ul } }, Context = { Pair(21, 22) }, Limit = 5 },
            new DiscoverPoints { CollectionName = name, Context = { Pair(23, 24) }, Limit = 3 },
        ]);
        var restBatch = (await node.Rest.PostAsync($"/collections/{name}/points/discover/batch", """
            {"searches": [{"target": 20, "context": [{"positive": 21, "negative": 22}], "limit": 5}, {"context": [{"positive": 23, "negative": 24}], "limit": 3}]}
            """)).Result;
        AssertSameHits(restBatch[0], batch[0].Result);
        AssertSameHits(restBatch[1], batch[1].Result);

        // Query: discover, context and recommend variants, and query groups over discover.
        var viaQuery = await client.QueryAsync(name, new Query { Discover = new DiscoverInput { Target = Id(20), Context = new ContextInput { Pairs = { new ContextInputPair { Positive = Id(21), Negative = Id(22) } } } } },
            limit: 5, scoreThreshold: 0.5f);
        var restQuery = (await node.Rest.PostAsync($"/collections/{name}/points/query", """
            {"query": {"discover": {"target": 20, "context": {"positive": 21, "negative": 22}}}, "limit": 5, "score_threshold": 0.5}
            """)).Result.GetProperty("points");
        AssertSameHits(restQuery, viaQuery);
        var contextQuery = await client.QueryAsync(name, new Query { Context = new ContextInput { Pairs = { new ContextInputPair { Positive = Id(23), Negative = Id(24) } } } }, limit: 3);
        AssertSameHits(restBatch[1], contextQuery);
        var recommendQuery = await client.QueryAsync(name, new Query { Recommend = new RecommendInput { Positive = { Id(5) }, Negative = { Id(6) }, Strategy = RecommendStrategy.BestScore } }, limit: 4);
        var restRecommendQuery = (await node.Rest.PostAsync($"/collections/{name}/points/query", """
            {"query": {"recommend": {"positive": [5], "negative": [6], "strategy": "best_score"}}, "limit": 4}
            """)).Result.GetProperty("points");
        AssertSameHits(restRecommendQuery, recommendQuery);
        var queryGroups = await client.QueryGroupsAsync(name, "color", new Query { Context = new ContextInput { Pairs = { new ContextInputPair { Positive = Id(23), Negative = Id(24) } } } },
            limit: 2, groupSize: 3);
        var restQueryGroups = (await node.Rest.PostAsync($"/collections/{name}/points/query/groups", """
            {"query": {"context": [{"positive": 23, "negative": 24}]}, "group_by": "color", "limit": 2, "group_size": 3}
            """)).Result;
        AssertSameGroups(restQueryGroups, queryGroups);

        var neither = await Assert.ThrowsAsync<RpcException>(() => client.DiscoverAsync(name, new List<ContextExamplePair>(), limit: 3));
        Assert.Equal(StatusCode.InvalidArgument, neither.StatusCode);
        Assert.Contains("target and/or context_pairs must be specified", neither.Status.Detail);
        var missing = await Assert.ThrowsAsync<RpcException>(() => client.DiscoverAsync(name, [Pair(1, 4041)], limit: 3));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        var named = await Assert.ThrowsAsync<RpcException>(() => client.DiscoverAsync(name, [Pair(1, 2)], limit: 3, usingVector: "image"));
        Assert.Contains("Not existing vector name error: image", named.Status.Detail);
        var sparse = await Assert.ThrowsAsync<RpcException>(() => client.QueryAsync(name,
            new Query { Context = new ContextInput { Pairs = { new ContextInputPair { Positive = Id(1), Negative = new VectorInput { Sparse = new SparseVector { Indices = { 1 }, Values = { 0.5f } } } } } } }));
        Assert.Equal(StatusCode.InvalidArgument, sparse.StatusCode);
    }

    [Fact]
    public async Task Search_groups_facets_and_distance_matrices_answer_as_rest()
    {
        const string name = "grpc_ranked_groups";
        await SeedAsync(name);
        await node.Rest.CreateCollectionAsync(name + "_lookup", 4, "Dot");
        await node.Rest.UpsertAsync(name + "_lookup", """[{"id": 7, "vector": [1, 0, 0, 0], "payload": {"label": "seven"}}]""");
        using var client = node.Client();

        var groups = await client.SearchGroupsAsync(name, new[] { 0.3f, 0.2f, 0.1f, 0.9f }, "color", limit: 3, groupSize: 2, payloadSelector: true);
        var restGroups = (await node.Rest.PostAsync($"/collections/{name}/points/search/groups", """
            {"vector": [0.3, 0.2, 0.1, 0.9], "group_by": "color", "limit": 3, "group_size": 2, "with_payload": true}
            """)).Result;
        AssertSameGroups(restGroups, groups);
        Assert.All(groups, g => Assert.All(g.Hits, h => Assert.Equal(g.Id.StringValue, h.Payload["color"].StringValue)));

        // Integer group ids and the lookup of the point each names.
        var byNumber = await client.SearchGroupsAsync(name, new[] { 0.3f, 0.2f, 0.1f, 0.9f }, "n", limit: 40, groupSize: 1,
            withLookup: new WithLookup { Collection = name + "_lookup", WithPayload = true });
        Assert.Equal(40, byNumber.Count);
        var seven = byNumber.Single(g => g.Id.UnsignedValue == 7);
        Assert.Equal("seven", seven.Lookup.Payload["label"].StringValue);
        Assert.All(byNumber.Where(g => g.Id.UnsignedValue != 7), g => Assert.Null(g.Lookup));

        var facet = await client.FacetAsync(name, "color", filter: Range("n", new Qdrant.Client.Grpc.Range { Lte = 30 }), limit: 3);
        var restFacet = (await node.Rest.PostAsync($"/collections/{name}/facet", """{"key": "color", "limit": 3, "filter": {"must": [{"key": "n", "range": {"lte": 30}}]}}""")).Result;
        Assert.Equal(restFacet.GetProperty("hits").EnumerateArray().Select(h => (h.GetProperty("value").GetString()!, h.GetProperty("count").GetUInt64())),
            facet.Hits.Select(h => (h.Value.StringValue, h.Count)));
        Assert.Equal(3, facet.Hits.Count);

        // The sample covers every red point (10), so both APIs see the same matrix.
        var pairs = await client.SearchMatrixPairsAsync(name, filter: MatchKeyword("color", "red"), sample: 10, limit: 2);
        var restPairs = (await node.Rest.PostAsync($"/collections/{name}/points/search/matrix/pairs", """
            {"filter": {"must": [{"key": "color", "match": {"value": "red"}}]}, "sample": 10, "limit": 2}
            """)).Result.GetProperty("pairs");
        Assert.Equal(20, pairs.Pairs.Count);
        Assert.Equal(
            restPairs.EnumerateArray().Select(p => (p.GetProperty("a").GetUInt64(), p.GetProperty("b").GetUInt64(), MathF.Round(p.GetProperty("score").GetSingle(), 4))).Order(),
            pairs.Pairs.Select(p => (p.A.Num, p.B.Num, MathF.Round(p.Score, 4))).Order());
        var offsets = await client.SearchMatrixOffsetsAsync(name, filter: MatchKeyword("color", "red"), sample: 10, limit: 2);
        Assert.Equal(10, offsets.Ids.Count);
        Assert.Equal(
            pairs.Pairs.Select(p => (p.A.Num, p.B.Num)).Order(),
            offsets.OffsetsRow.Zip(offsets.OffsetsCol).Select(rc => (offsets.Ids[(int)rc.First].Num, offsets.Ids[(int)rc.Second].Num)).Order());

        var tooSmall = await Assert.ThrowsAsync<RpcException>(() => client.SearchMatrixPairsAsync(name, sample: 1));
        Assert.Equal(StatusCode.InvalidArgument, tooSmall.StatusCode);
        var notIndexed = await Assert.ThrowsAsync<RpcException>(() => client.FacetAsync(name, "n"));
        Assert.Equal(StatusCode.InvalidArgument, notIndexed.StatusCode);
    }
}

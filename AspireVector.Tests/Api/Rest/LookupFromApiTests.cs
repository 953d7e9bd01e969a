using System.Globalization;
using System.Net;
using System.Text.Json;

namespace AspireVector.Tests.Api.Rest;

/// <summary>
/// <c>lookup_from</c> of recommend, discover and query: examples given by id are read from another collection (a named
/// vector of it, or by default the vector Qdrant picks), each answer checked against the same request with the looked-up
/// vectors given raw; and Qdrant's errors (missing collection, vector, point; dimension mismatch).
/// </summary>
public sealed class LookupFromApiTests(RestNode node) : IClassFixture<RestNode>
{
    private const string Items = "lookup_items";
    private const string Users = "lookup_users";

    private static float[] ItemOf(int id) => [MathF.Cos(id * 0.9f), MathF.Sin(id * 0.4f), (id % 7 - 3) * 0.2f, 0.3f];

    /// <summary>A user's <c>taste</c> vector (the items' dimension); its <c>short</c> vector has 3 dimensions.</summary>
    private static float[] TasteOf(int id) => [MathF.Sin(id * 1.7f), 0.5f - id % 3 * 0.4f, MathF.Cos(id * 0.3f), (id % 4) * 0.25f];

    private static string Json(float[] v) => "[" + string.Join(",", v.Select(x => x.ToString("R", CultureInfo.InvariantCulture))) + "]";

    private async Task SeedAsync()
    {
        if ((await node.GetAsync($"/collections/{Users}/exists")).Result.GetProperty("exists").GetBoolean()) return;
        await node.CreateCollectionAsync(Items, 4, "Dot", """, "shard_number": 2""");
        await node.UpsertAsync(Items, "[" + string.Join(",", Enumerable.Range(1, 30).Select(id => $$$"""{"id": {{{id}}}, "vector": {{{Json(ItemOf(id))}}}, "payload": {"n": {{{id}}}}}""")) + "]");
        Assert.True((await node.PutAsync($"/collections/{Users}", """
            {"vectors": {"taste": {"size": 4, "distance": "Dot"}, "short": {"size": 3, "distance": "Dot"}}, "shard_number": 3}
            """)).Result.GetBoolean());
        await node.UpsertAsync(Users, "[" + string.Join(",", Enumerable.Range(1, 6).Select(id =>
            $$$"""{"id": {{{id}}}, "vector": {"taste": {{{Json(TasteOf(id))}}}, "short": [1, 0, {{{id}}}]}}""")) + "]");
    }

    private async Task<JsonElement> PostAsync(string path, string body) => (await node.PostAsync($"/collections/{Items}/points/{path}", body)).Result;

    private static void AssertSame(JsonElement expected, JsonElement actual)
    {
        Assert.NotEmpty(expected.EnumerateArray());
        Assert.Equal(expected.EnumerateArray().Select(p => p.GetProperty("id").GetInt32()), actual.EnumerateArray().Select(p => p.GetProperty("id").GetInt32()));
        foreach (var (e, a) in expected.EnumerateArray().Zip(actual.EnumerateArray()))
            Assert.Equal(e.GetProperty("score").GetSingle(), a.GetProperty("score").GetSingle(), 5);
    }

    [Fact]
    public async Task Recommend_reads_the_examples_from_the_other_collection_and_leaves_their_ids_out()
    {
        await SeedAsync();
        // Qdrant's recommend endpoint leaves the example ids out of the results, whichever collection they come from.
        var looked = await PostAsync("recommend", $$$"""
            {"positive": [2, 5], "negative": [3], "strategy": "best_score", "limit": 8, "lookup_from": {"collection": "{{{Users}}}", "vector": "taste"}}
            """);
        var raw = await PostAsync("recommend", $$$"""
            {"positive": [{{{Json(TasteOf(2))}}}, {{{Json(TasteOf(5))}}}], "negative": [{{{Json(TasteOf(3))}}}], "strategy": "best_score", "limit": 8,
             "filter": {"must_not": [{"has_id": [2, 5, 3]}]}}
            """);
        AssertSame(raw, looked);
        Assert.DoesNotContain(looked.EnumerateArray(), p => p.GetProperty("id").GetInt32() is 2 or 3 or 5);

        var average = await PostAsync("recommend", $$$"""{"positive": [4], "limit": 5, "lookup_from": {"collection": "{{{Users}}}", "vector": "taste"}}""");
        var search = await PostAsync("search", $$$"""{"vector": {{{Json(TasteOf(4))}}}, "limit": 5, "filter": {"must_not": [{"has_id": [4]}]}}""");
        AssertSame(search, average);
    }

    [Fact]
    public async Task Discover_reads_target_and_context_from_the_other_collection()
    {
        await SeedAsync();
        var looked = await PostAsync("discover", $$$"""
            {"target": 1, "context": [{"positive": 2, "negative": 6}], "limit": 6, "lookup_from": {"collection": "{{{Users}}}", "vector": "taste"}}
            """);
        var raw = await PostAsync("discover", $$$"""
            {"target": {{{Json(TasteOf(1))}}}, "context": [{"positive": {{{Json(TasteOf(2))}}}, "negative": {{{Json(TasteOf(6))}}}}], "limit": 6,
             "filter": {"must_not": [{"has_id": [1, 2, 6]}]}}
            """);
        AssertSame(raw, looked);
    }

    [Fact]
    public async Task Query_reads_ids_from_the_other_collection_without_leaving_them_out()
    {
        await SeedAsync();
        // Nearest by an id of the users: item 3 may be returned (it is not the query point); `vector` defaults to `using`.
        var nearest = (await PostAsync("query", $$$"""{"query": 3, "limit": 30, "lookup_from": {"collection": "{{{Users}}}", "vector": "taste"}}""")).GetProperty("points");
        var raw = (await PostAsync("query", $$$"""{"query": {{{Json(TasteOf(3))}}}, "limit": 30}""")).GetProperty("points");
        AssertSame(raw, nearest);
        Assert.Equal(30, nearest.GetArrayLength());

        var recommend = (await PostAsync("query", $$$"""
            {"query": {"recommend": {"positive": [1, 2], "negative": [5], "strategy": "sum_scores"}}, "limit": 7, "lookup_from": {"collection": "{{{Users}}}", "vector": "taste"}}
            """)).GetProperty("points");
        var rawRecommend = (await PostAsync("query", $$$"""
            {"query": {"recommend": {"positive": [{{{Json(TasteOf(1))}}}, {{{Json(TasteOf(2))}}}], "negative": [{{{Json(TasteOf(5))}}}], "strategy": "sum_scores"}}, "limit": 7}
            """)).GetProperty("points");
        AssertSame(rawRecommend, recommend);

        // Each prefetch has its own lookup_from; the outer query re-scores the candidates by an item id (left out).
        var prefetched = (await PostAsync("query", $$$"""
            {"prefetch": [{"query": 2, "limit": 12, "lookup_from": {"collection": "{{{Users}}}", "vector": "taste"}},
                          {"query": {"context": {"positive": 4, "negative": 1}}, "limit": 12, "lookup_from": {"collection": "{{{Users}}}", "vector": "taste"}}],
             "query": {"fusion": "rrf"}, "limit": 6}
            """)).GetProperty("points");
        var rawPrefetched = (await PostAsync("query", $$$"""
            {"prefetch": [{"query": {{{Json(TasteOf(2))}}}, "limit": 12},
                          {"query": {"context": {"positive": {{{Json(TasteOf(4))}}}, "negative": {{{Json(TasteOf(1))}}}}}, "limit": 12}],
             "query": {"fusion": "rrf"}, "limit": 6}
            """)).GetProperty("points");
        AssertSame(rawPrefetched, prefetched);

        // lookup_from naming the searched collection itself leaves the query point out, as a plain query by id does.
        var self = (await PostAsync("query", $$$"""{"query": 7, "limit": 5, "lookup_from": {"collection": "{{{Items}}}"}}""")).GetProperty("points");
        AssertSame((await PostAsync("query", """{"query": 7, "limit": 5}""")).GetProperty("points"), self);
        Assert.DoesNotContain(self.EnumerateArray(), p => p.GetProperty("id").GetInt32() == 7);
    }

    [Theory]
    [InlineData("recommend", """{"positive": [1], "limit": 3, "lookup_from": {"collection": "lookup_nope", "vector": "taste"}}""", HttpStatusCode.NotFound, "Collection `lookup_nope` doesn't exist")]
    [InlineData("recommend", """{"positive": [1], "limit": 3, "lookup_from": {"collection": "lookup_users"}}""", HttpStatusCode.BadRequest, "Not existing vector name error")]
    [InlineData("recommend", """{"positive": [1], "limit": 3, "lookup_from": {"collection": "lookup_users", "vector": "short"}}""", HttpStatusCode.BadRequest, "Vector dimension error: expected dim: 4, got 3")]
    [InlineData("recommend", """{"positive": [99], "limit": 3, "lookup_from": {"collection": "lookup_users", "vector": "taste"}}""", HttpStatusCode.NotFound, "99")]
    [InlineData("recommend", """{"positive": [1], "limit": 3, "lookup_from": "lookup_users"}""", HttpStatusCode.BadRequest, "lookup_from")]
    [InlineData("discover", """{"target": 1, "limit": 3, "lookup_from": {"collection": "lookup_users", "vector": "nope"}}""", HttpStatusCode.BadRequest, "Not existing vector name error: nope")]
    [InlineData("discover", """{"target": 1, "limit": 3, "lookup_from": {"collection": "lookup_nope"}}""", HttpStatusCode.NotFound, "Collection `lookup_nope` doesn't exist")]
    [InlineData("query", """{"query": 1, "lookup_from": {"collection": "lookup_users"}}""", HttpStatusCode.BadRequest, "Not existing vector name error")]
    [InlineData("query", """{"query": 1, "lookup_from": {"collection": "lookup_users", "vector": "short"}}""", HttpStatusCode.BadRequest, "Vector dimension error: expected dim: 4, got 3")]
    [InlineData("query", """{"query": 42, "lookup_from": {"collection": "lookup_users", "vector": "taste"}}""", HttpStatusCode.NotFound, "42")]
    [InlineData("query", """{"prefetch": {"query": 1, "lookup_from": {"collection": "lookup_nope"}}, "query": {"fusion": "rrf"}}""", HttpStatusCode.NotFound, "lookup_nope")]
    [InlineData("query", """{"query": 1, "lookup_from": {"vector": "taste"}}""", HttpStatusCode.BadRequest, "missing field `collection`")]
    public async Task Bad_lookups_answer_Qdrants_errors(string endpoint, string body, HttpStatusCode status, string mentions)
    {
        await SeedAsync();
        Assert.Contains(mentions, (await node.PostAsync($"/collections/{Items}/points/{endpoint}", body)).Error(status));
    }
}

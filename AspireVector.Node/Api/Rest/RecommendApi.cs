using System.Text.Json;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;

namespace AspireVector.Node.Api.Rest;

/// <summary>Qdrant's <c>points/recommend</c> and <c>points/recommend/batch</c>.</summary>
public static class RecommendApi
{
    private static readonly string[] Strategies = ["average_vector", "best_score", "sum_scores"];

    /// <summary>Maps the recommend endpoints.</summary>
    public static IEndpointRouteBuilder MapRecommendApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/collections/{name}/points/recommend", (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) =>
            RankedApi.One(name, ctx, toc, o, (c, body) => Task.FromResult(ReadRecommend(c, body, o, toc, ctx)), PointWriter.WriteList));
        app.MapPost("/collections/{name}/points/recommend/batch", (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) =>
            RankedApi.Batch(name, ctx, toc, o, (c, body) => Task.FromResult(ReadRecommend(c, body, o, toc, ctx)), PointWriter.WriteList));
        return app;
    }

    /// <summary>
    /// A <c>RecommendRequest</c>: <c>positive</c>/<c>negative</c> examples (ids looked up in <c>lookup_from</c> when
    /// given), <c>strategy</c>, search options; <c>limit</c> required.
    /// </summary>
    public static RankedRequest ReadRecommend(Collection c, JsonElement body, NodeOptions o, TableOfContents toc, HttpContext ctx, bool requireLimit = true)
    {
        if (body.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson("expected a recommend request object");
        if (requireLimit && !body.TryGetProperty("limit", out _)) throw CollectionException.BadJson("missing field `limit`");
        string name = SearchRequestReader.Using(body, c.Config);
        var lookup = LookupFromReader.Read(body, toc, c, name, endpoint: true);
        var request = ReadRecommendInput(c, body, SearchRequestReader.Read(body, [], name, c.Config, o, 10), lookup);
        var consistency = ReadConsistencyParam.Read(ctx);
        return new RankedRequest((limit, offset, ct) => c.RecommendAsync(request.Page(limit, offset), consistency, ct),
            request.Search.Limit, request.Search.Offset, PayloadSelector.Read(body, PayloadSelector.None));
    }

    /// <summary>
    /// <c>positive</c>, <c>negative</c> and <c>strategy</c> of <paramref name="input"/> (a recommend request, or the
    /// <c>recommend</c> object of a query) around the search options <paramref name="search"/>, ids looked up in
    /// <paramref name="lookup"/> when given.
    /// </summary>
    public static RecommendRequest ReadRecommendInput(Collection c, JsonElement input, SearchRequest search, VectorLookup? lookup)
    {
        if (input.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson($"invalid type for `recommend`: expected an object, got {input.GetRawText()}");
        var strategy = RecommendStrategy.AverageVector;
        if (input.TryGetProperty("strategy", out var s) && s.ValueKind != JsonValueKind.Null)
        {
            int i = s.ValueKind == JsonValueKind.String ? Array.IndexOf(Strategies, s.GetString()) : -1;
            if (i < 0) throw CollectionException.BadJson($"unknown variant `{(s.ValueKind == JsonValueKind.String ? s.GetString() : s.GetRawText())}`, expected one of `average_vector`, `best_score`, `sum_scores` at `strategy`");
            strategy = (RecommendStrategy)i;
        }

        return new RecommendRequest
        {
            Positive = Examples(input, "positive", c.Config.Vector(search.VectorName)),
            Negative = Examples(input, "negative", c.Config.Vector(search.VectorName)),
            Strategy = strategy,
            Search = search,
            LookupFrom = lookup,
        };
    }

    private static List<RecommendExample> Examples(JsonElement input, string field, VectorParams vector)
    {
        var list = new List<RecommendExample>();
        if (!input.TryGetProperty(field, out var examples) || examples.ValueKind == JsonValueKind.Null) return list;
        if (examples.ValueKind != JsonValueKind.Array) throw CollectionException.BadJson($"invalid type for `{field}`: expected a list of point ids or vectors");
        int i = 0;
        foreach (var e in examples.EnumerateArray())
        {
            string at = $"{field}[{i++}]";
            if (e.ValueKind == JsonValueKind.Array) list.Add(new RecommendExample(null, SearchRequestReader.ExampleVector(e, vector, at)));
            else if (e.ValueKind == JsonValueKind.Object)
                throw CollectionException.WrongInput($"`{at}`: sparse examples are not supported by this node (examples and targets are dense vectors, multivectors or point ids)");
            else list.Add(new RecommendExample(PointsReader.ReadId(e, at), null));
        }

        return list;
    }
}

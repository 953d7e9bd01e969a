using System.Diagnostics;
using System.Text.Json;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using AspireVector.Node.Points;

namespace AspireVector.Node.Api.Rest;

/// <summary>Nearest-neighbour endpoints: <c>search</c>, <c>search/batch</c>, <c>query</c> and <c>query/batch</c>.</summary>
public static class SearchApi
{
    /// <summary>Maps the search endpoints.</summary>
    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/collections/{name}/points/search", (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) =>
            RankedApi.One(name, ctx, toc, o, (c, body) => Task.FromResult(ReadSearch(c, body, o, ctx)), PointWriter.WriteList));
        app.MapPost("/collections/{name}/points/search/batch", (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) =>
            RankedApi.Batch(name, ctx, toc, o, (c, body) => Task.FromResult(ReadSearch(c, body, o, ctx)), PointWriter.WriteList));
        app.MapPost("/collections/{name}/points/query", (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) =>
            RankedApi.One(name, ctx, toc, o, (c, body) => ReadQueryAsync(c, body, o, ctx), WriteQueryResponse));
        app.MapPost("/collections/{name}/points/query/batch", (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) =>
            RankedApi.Batch(name, ctx, toc, o, (c, body) => ReadQueryAsync(c, body, o, ctx), WriteQueryResponse));
        return app;
    }

    /// <summary>A search request: <c>vector</c> (plain or <c>{"name", "vector"}</c>), <c>limit</c> required.</summary>
    public static RankedRequest ReadSearch(Collection c, JsonElement body, NodeOptions o, HttpContext ctx, bool requireLimit = true)
    {
        if (body.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson("expected a search request object");
        if (!body.TryGetProperty("vector", out var v)) throw CollectionException.BadJson("missing field `vector`");
        // Qdrant's NamedVectorStruct: a plain list searches the unnamed vector, {"name", "vector"} a named one.
        string name = "";
        if (v.ValueKind == JsonValueKind.Object)
        {
            if (!v.TryGetProperty("name", out _)) throw CollectionException.BadJson("missing field `vector.name`");
            name = SearchRequestReader.Using(v, c.Config, "name");
            if (!v.TryGetProperty("vector", out v)) throw CollectionException.BadJson("missing field `vector.vector`");
            if (v.ValueKind == JsonValueKind.Object) throw CollectionException.WrongInput("sparse query vectors are not supported by this node (dense vectors only)");
        }
        else c.Config.Vector(name);
        if (requireLimit && !body.TryGetProperty("limit", out _)) throw CollectionException.BadJson("missing field `limit`");
        var request = SearchRequestReader.Read(body, PointsReader.ReadVector(v, c.Config.Vector(name).Size, "vector"), name, c.Config, o, 10);
        var consistency = ReadConsistencyParam.Read(ctx);
        return new RankedRequest((limit, offset, ct) => c.SearchAsync(request.Page(limit, offset), null, consistency, ct),
            request.Limit, request.Offset, PayloadSelector.Read(body, PayloadSelector.None));
    }

    /// <summary>
    /// A query request: no query (points in id order), a vector, a point id (its vector, the point left out),
    /// <c>{"nearest": ..}</c>, <c>{"recommend": {..}}</c>, <c>{"discover": {..}}</c> or <c>{"context": ..}</c>.
    /// </summary>
    public static async Task<RankedRequest> ReadQueryAsync(Collection c, JsonElement body, NodeOptions o, HttpContext ctx)
    {
        if (body.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson("expected a query request object");
        var payload = PayloadSelector.Read(body, PayloadSelector.None);
        SearchRequestReader.RefuseUnsupported(body, "prefetch", "lookup_from");
        string name = SearchRequestReader.Using(body, c.Config);
        var consistency = ReadConsistencyParam.Read(ctx);
        if (!body.TryGetProperty("query", out var q) || q.ValueKind == JsonValueKind.Null)
        {
            // No query: points in id order, as Qdrant's query API does (score 0).
            int limit = PointsReader.ReadLimit(body, 10, o.Service.MaxSearchLimit);
            int offset = PointsReader.ReadCount(body, "offset", 0, o.Service.MaxSearchLimit);
            var filter = FilterBinding.Read(body);
            var withVector = PointsReader.ReadWithVector(body, c.Config);
            return new RankedRequest(async (l, off, ct) =>
            {
                var (points, _) = await c.ScrollAsync(null, off + l, filter, withVector, consistency, ct);
                return points.Skip(off).Select(p => p with { Score = 0f }).ToList();
            }, limit, offset, payload);
        }
        if (q.ValueKind == JsonValueKind.Object)
        {
            if (q.TryGetProperty("recommend", out var recommend))
            {
                var request = RecommendApi.ReadRecommendInput(c, recommend, SearchRequestReader.Read(body, [], name, c.Config, o, 10));
                return new RankedRequest((l, off, ct) => c.RecommendAsync(request.Page(l, off), consistency, ct), request.Search.Limit, request.Search.Offset, payload);
            }
            if (DiscoverApi.ReadQuery(c, q, body, o, consistency, payload) is { } discover) return discover;
            if (!q.TryGetProperty("nearest", out var nearest))
                throw CollectionException.WrongInput("only nearest-neighbour, recommend, discover and context queries (a vector, a point id, {\"nearest\": ..}, {\"recommend\": ..}, {\"discover\": ..} or {\"context\": ..}) are supported by this node");
            q = nearest;
        }
        PointId? exclude = null;
        float[] vector;
        if (q.ValueKind == JsonValueKind.Array) vector = PointsReader.ReadVector(q, c.Config.Vector(name).Size, "query");
        else
        {
            var id = PointsReader.ReadId(q, "query");
            vector = await c.VectorOfAsync(id, name, ctx.RequestAborted) ?? throw CollectionException.PointNotFound(id);
            exclude = id;
        }
        var search = SearchRequestReader.Read(body, vector, name, c.Config, o, 10);
        return new RankedRequest((l, off, ct) => c.SearchAsync(search.Page(l, off), exclude, consistency, ct), search.Limit, search.Offset, payload);
    }

    private static void WriteQueryResponse(Utf8JsonWriter w, List<PointView> hits, PayloadSelector payload)
    {
        w.WriteStartObject();
        w.WritePropertyName("points");
        PointWriter.WriteList(w, hits, payload);
        w.WriteEndObject();
    }
}

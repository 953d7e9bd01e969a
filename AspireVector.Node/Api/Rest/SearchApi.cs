using System.Diagnostics;
using System.Text.Json;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;

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
            RankedApi.One(name, ctx, toc, o, (c, body) => ReadQueryAsync(c, body, o, toc, ctx), WriteQueryResponse));
        app.MapPost("/collections/{name}/points/query/batch", (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) =>
            RankedApi.Batch(name, ctx, toc, o, (c, body) => ReadQueryAsync(c, body, o, toc, ctx), WriteQueryResponse));
        return app;
    }

    /// <summary>
    /// A search request: <c>vector</c> (plain, <c>{"name", "vector"}</c>, or <c>{"name", "vector": {"indices", "values"}}</c>
    /// for a sparse vector), <c>limit</c> required.
    /// </summary>
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
        }
        else c.Config.Vector(name);
        if (requireLimit && !body.TryGetProperty("limit", out _)) throw CollectionException.BadJson("missing field `limit`");
        var (dense, sparse) = SearchRequestReader.QueryVector(v, name, c.Config, "vector.vector", allowMatrix: false);
        var request = SearchRequestReader.Read(body, dense, name, c.Config, o, 10, sparse);
        var consistency = ReadConsistencyParam.Read(ctx);
        return new RankedRequest((limit, offset, ct) => c.SearchAsync(request.Page(limit, offset), null, consistency, ct),
            request.Limit, request.Offset, PayloadSelector.Read(body, PayloadSelector.None));
    }

    /// <summary>A query request (see <see cref="QueryReader"/>).</summary>
    public static Task<RankedRequest> ReadQueryAsync(Collection c, JsonElement body, NodeOptions o, TableOfContents toc, HttpContext ctx) =>
        QueryReader.ReadAsync(c, body, o, toc, ReadConsistencyParam.Read(ctx), ctx.RequestAborted);

    private static void WriteQueryResponse(Utf8JsonWriter w, List<PointView> hits, PayloadSelector payload, CollectionConfig config)
    {
        w.WriteStartObject();
        w.WritePropertyName("points");
        PointWriter.WriteList(w, hits, payload, config);
        w.WriteEndObject();
    }
}

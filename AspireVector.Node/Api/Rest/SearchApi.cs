using System.Diagnostics;
using System.Text.Json;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using AspireVector.Node.Index;
using AspireVector.Node.Points;

namespace AspireVector.Node.Api.Rest;

/// <summary>Nearest-neighbour endpoints: <c>search</c>, <c>search/batch</c>, <c>query</c> and <c>query/batch</c>.</summary>
public static class SearchApi
{
    /// <summary>Maps the search endpoints.</summary>
    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/collections/{name}/points/search", async (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) =>
        {
            long t = Stopwatch.GetTimestamp();
            var c = toc.Get(name);
            using var body = await RequestBody.ReadAsync(ctx, o);
            var (hits, payload) = await SearchAsync(c, body.RootElement, o, ctx);
            return QdrantResponse.Ok(t, w => PointWriter.WriteList(w, hits, payload));
        });
        app.MapPost("/collections/{name}/points/search/batch", async (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) =>
        {
            long t = Stopwatch.GetTimestamp();
            var c = toc.Get(name);
            using var body = await RequestBody.ReadAsync(ctx, o);
            var results = new List<(List<PointView>, PayloadSelector)>();
            foreach (var s in Searches(body.RootElement)) results.Add(await SearchAsync(c, s, o, ctx));
            return QdrantResponse.Ok(t, w =>
            {
                w.WriteStartArray();
                foreach (var (hits, payload) in results) PointWriter.WriteList(w, hits, payload);
                w.WriteEndArray();
            });
        });
        app.MapPost("/collections/{name}/points/query", async (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) =>
        {
            long t = Stopwatch.GetTimestamp();
            var c = toc.Get(name);
            using var body = await RequestBody.ReadAsync(ctx, o);
            var (hits, payload) = await QueryAsync(c, body.RootElement, o, ctx);
            return QdrantResponse.Ok(t, w => WriteQueryResponse(w, hits, payload));
        });
        app.MapPost("/collections/{name}/points/query/batch", async (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) =>
        {
            long t = Stopwatch.GetTimestamp();
            var c = toc.Get(name);
            using var body = await RequestBody.ReadAsync(ctx, o);
            var results = new List<(List<PointView>, PayloadSelector)>();
            foreach (var s in Searches(body.RootElement)) results.Add(await QueryAsync(c, s, o, ctx));
            return QdrantResponse.Ok(t, w =>
            {
                w.WriteStartArray();
                foreach (var (hits, payload) in results) WriteQueryResponse(w, hits, payload);
                w.WriteEndArray();
            });
        });
        return app;
    }

    private static JsonElement.ArrayEnumerator Searches(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("searches", out var s) || s.ValueKind != JsonValueKind.Array)
            throw CollectionException.BadJson("missing field `searches` (expected a list of requests)");
        return s.EnumerateArray();
    }

    private static async Task<(List<PointView>, PayloadSelector)> SearchAsync(Collection c, JsonElement body, NodeOptions o, HttpContext ctx)
    {
        if (body.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson("expected a search request object");
        if (!body.TryGetProperty("vector", out var v)) throw CollectionException.BadJson("missing field `vector`");
        // Named form {"name": "", "vector": [..]} addresses the unnamed vector.
        if (v.ValueKind == JsonValueKind.Object)
        {
            if (VectorName(v, "name", "vector.name") is { Length: > 0 } vname) throw CollectionException.WrongInput($"Not existing vector name error: {vname}");
            if (!v.TryGetProperty("vector", out v)) throw CollectionException.BadJson("missing field `vector.vector`");
        }
        if (!body.TryGetProperty("limit", out _)) throw CollectionException.BadJson("missing field `limit`");
        var request = ReadRequest(body, PointsReader.ReadVector(v, c.Config.VectorSize, "vector"), o, 10);
        var payload = PayloadSelector.Read(body, PayloadSelector.None);
        return (await c.SearchAsync(request, null, ReadConsistencyParam.Read(ctx), ctx.RequestAborted), payload);
    }

    private static async Task<(List<PointView>, PayloadSelector)> QueryAsync(Collection c, JsonElement body, NodeOptions o, HttpContext ctx)
    {
        if (body.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson("expected a query request object");
        var payload = PayloadSelector.Read(body, PayloadSelector.None);
        if (VectorName(body, "using", "using") is { Length: > 0 } vname) throw CollectionException.WrongInput($"Not existing vector name error: {vname}");
        // Refused rather than ignored: answering without them would return silently different results.
        foreach (var unsupported in (string[])["prefetch", "lookup_from"])
        {
            if (body.TryGetProperty(unsupported, out var u) && u.ValueKind != JsonValueKind.Null)
                throw CollectionException.WrongInput($"`{unsupported}` is not supported by this node yet; send plain nearest-neighbour queries");
        }
        if (!body.TryGetProperty("query", out var q) || q.ValueKind == JsonValueKind.Null)
        {
            // No query: points in id order, as Qdrant's query API does (score 0).
            int limit = PointsReader.ReadLimit(body, 10, o.Service.MaxSearchLimit);
            int offset = PointsReader.ReadCount(body, "offset", 0, o.Service.MaxSearchLimit);
            var (points, _) = await c.ScrollAsync(null, offset + limit, FilterBinding.Read(body), PointsReader.ReadWithVector(body), ReadConsistencyParam.Read(ctx), ctx.RequestAborted);
            var page = points.Skip(offset).Select(p => p with { Score = 0f }).ToList();
            return (page, payload);
        }
        if (q.ValueKind == JsonValueKind.Object)
        {
            if (!q.TryGetProperty("nearest", out var nearest))
                throw CollectionException.WrongInput("only nearest-neighbour queries (a vector, a point id or {\"nearest\": ..}) are supported by this node");
            q = nearest;
        }
        PointId? exclude = null;
        float[] vector;
        if (q.ValueKind == JsonValueKind.Array) vector = PointsReader.ReadVector(q, c.Config.VectorSize, "query");
        else
        {
            var id = PointsReader.ReadId(q, "query");
            vector = await c.VectorOfAsync(id, ctx.RequestAborted) ?? throw CollectionException.PointNotFound(id);
            exclude = id;
        }
        return (await c.SearchAsync(ReadRequest(body, vector, o, 10), exclude, ReadConsistencyParam.Read(ctx), ctx.RequestAborted), payload);
    }

    /// <summary>An optional vector name (string or null); this node has only the unnamed vector <c>""</c>.</summary>
    private static string? VectorName(JsonElement body, string property, string path)
    {
        if (!body.TryGetProperty(property, out var name) || name.ValueKind == JsonValueKind.Null) return null;
        if (name.ValueKind != JsonValueKind.String) throw CollectionException.BadJson($"invalid type for `{path}`: expected a vector name string, got {name.GetRawText()}");
        return name.GetString();
    }

    private static SearchRequest ReadRequest(JsonElement body, float[] vector, NodeOptions o, int defaultLimit)
    {
        float? threshold = null;
        if (body.TryGetProperty("score_threshold", out var st) && st.ValueKind != JsonValueKind.Null)
        {
            if (st.ValueKind != JsonValueKind.Number || !st.TryGetSingle(out float f) || !float.IsFinite(f))
                throw CollectionException.BadJson($"invalid type for `score_threshold`: expected a number, got {st.GetRawText()}");
            threshold = f;
        }
        return new SearchRequest
        {
            Vector = vector,
            Limit = PointsReader.ReadLimit(body, defaultLimit, o.Service.MaxSearchLimit),
            Offset = PointsReader.ReadCount(body, "offset", 0, o.Service.MaxSearchLimit),
            ScoreThreshold = threshold,
            Filter = FilterBinding.Read(body),
            Params = ReadParams(body),
            WithVector = PointsReader.ReadWithVector(body),
        };
    }

    private static SearchParams ReadParams(JsonElement body)
    {
        if (!body.TryGetProperty("params", out var p) || p.ValueKind == JsonValueKind.Null) return SearchParams.Default;
        if (p.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson("invalid type for `params`: expected an object");
        int? ef = null;
        if (p.TryGetProperty("hnsw_ef", out var e) && e.ValueKind != JsonValueKind.Null)
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out int v) || v < 0) throw CollectionException.BadJson($"invalid value for `params.hnsw_ef`: {e.GetRawText()}");
            ef = v;
        }
        bool exact = p.TryGetProperty("exact", out var x) && x.ValueKind == JsonValueKind.True;
        bool ignore = false;
        bool? rescore = null;
        double? oversampling = null;
        if (p.TryGetProperty("quantization", out var qz) && qz.ValueKind == JsonValueKind.Object)
        {
            ignore = qz.TryGetProperty("ignore", out var ig) && ig.ValueKind == JsonValueKind.True;
            if (qz.TryGetProperty("rescore", out var rs) && rs.ValueKind is JsonValueKind.True or JsonValueKind.False) rescore = rs.GetBoolean();
            if (qz.TryGetProperty("oversampling", out var os) && os.ValueKind == JsonValueKind.Number) oversampling = os.GetDouble();
        }
        return new SearchParams { HnswEf = ef, Exact = exact, IgnoreQuantization = ignore, Rescore = rescore, Oversampling = oversampling };
    }

    private static void WriteQueryResponse(Utf8JsonWriter w, List<PointView> hits, PayloadSelector payload)
    {
        w.WriteStartObject();
        w.WritePropertyName("points");
        PointWriter.WriteList(w, hits, payload);
        w.WriteEndObject();
    }
}

using System.Diagnostics;
using System.Text.Json;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using AspireVector.Node.Filters;
using AspireVector.Node.Points;
using AspireVector.Node.Storage;

namespace AspireVector.Node.Api.Rest;

/// <summary>Qdrant's point endpoints: upsert, retrieve, delete, scroll, count and the payload operations.</summary>
public static class PointsApi
{
    /// <summary>Maps the point endpoints.</summary>
    public static IEndpointRouteBuilder MapPointsApi(this IEndpointRouteBuilder app)
    {
        app.MapPut("/collections/{name}/points", Upsert);
        app.MapPost("/collections/{name}/points", Retrieve);
        app.MapGet("/collections/{name}/points/{id}", async (string name, string id, TableOfContents toc, HttpContext ctx) =>
        {
            long t = Stopwatch.GetTimestamp();
            var c = toc.Get(name);
            if (!PointId.TryParse(id, out var pid, out var error)) throw new CollectionException(400, "Wrong input: " + error);
            var found = await c.RetrieveAsync([pid], withVector: true, ReadConsistencyParam.Read(ctx), ctx.RequestAborted);
            if (found.Count == 0) throw CollectionException.PointNotFound(pid);
            return QdrantResponse.Ok(t, w => PointWriter.Write(w, found[0], PayloadSelector.All));
        });
        app.MapPost("/collections/{name}/points/delete", (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) =>
            Selected(name, ctx, toc, o, static _ => new ShardOperation { Kind = ShardOperationKind.Delete }));
        app.MapPost("/collections/{name}/points/payload", (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) =>
            Selected(name, ctx, toc, o, static b => new ShardOperation { Kind = ShardOperationKind.SetPayload, Payload = RequiredPayload(b), Key = OptionalKey(b) }));
        app.MapPut("/collections/{name}/points/payload", (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) =>
            Selected(name, ctx, toc, o, static b => new ShardOperation { Kind = ShardOperationKind.OverwritePayload, Payload = RequiredPayload(b) }));
        app.MapPost("/collections/{name}/points/payload/delete", (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) =>
            Selected(name, ctx, toc, o, static b => new ShardOperation { Kind = ShardOperationKind.DeletePayload, Keys = RequiredKeys(b) }));
        app.MapPost("/collections/{name}/points/payload/clear", (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) =>
            Selected(name, ctx, toc, o, static _ => new ShardOperation { Kind = ShardOperationKind.ClearPayload }));
        app.MapPost("/collections/{name}/points/scroll", Scroll);
        app.MapPost("/collections/{name}/points/count", async (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) =>
        {
            long t = Stopwatch.GetTimestamp();
            var c = toc.Get(name);
            using var body = await RequestBody.ReadAsync(ctx, o);
            long count = await c.CountAsync(FilterBinding.Read(body.RootElement), ReadConsistencyParam.Read(ctx), ctx.RequestAborted);
            return QdrantResponse.Ok(t, w =>
            {
                w.WriteStartObject();
                w.WriteNumber("count", count);
                w.WriteEndObject();
            });
        });
        return app;
    }

    private static async Task<IResult> Upsert(string name, HttpContext ctx, TableOfContents toc, NodeOptions options)
    {
        long t = Stopwatch.GetTimestamp();
        var c = toc.Get(name);
        bool wait = UpdateParams.Wait(ctx);
        List<PointRecord> points;
        using (var body = await RequestBody.ReadAsync(ctx, options))
        {
            points = PointsReader.ReadUpsert(body.RootElement, c.Config.VectorSize, options.Service.MaxBatchSize);
        }
        var result = await c.UpsertAsync(points, wait, ctx.RequestAborted, UpdateParams.Ordering(ctx));
        return QdrantResponse.Ok(t, w => PointWriter.WriteUpdate(w, result));
    }

    private static async Task<IResult> Retrieve(string name, HttpContext ctx, TableOfContents toc, NodeOptions options)
    {
        long t = Stopwatch.GetTimestamp();
        var c = toc.Get(name);
        using var body = await RequestBody.ReadAsync(ctx, options);
        var root = body.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("ids", out var idsJson)) throw CollectionException.BadJson("missing field `ids`");
        var ids = PointsReader.ReadIds(idsJson, "ids");
        var payload = PayloadSelector.Read(root, PayloadSelector.All);
        var points = await c.RetrieveAsync(ids, PointsReader.ReadWithVector(root), ReadConsistencyParam.Read(ctx), ctx.RequestAborted);
        return QdrantResponse.Ok(t, w => PointWriter.WriteList(w, points, payload));
    }

    private static async Task<IResult> Scroll(string name, HttpContext ctx, TableOfContents toc, NodeOptions options)
    {
        long t = Stopwatch.GetTimestamp();
        var c = toc.Get(name);
        using var body = await RequestBody.ReadAsync(ctx, options);
        var root = body.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("order_by", out var orderBy) && orderBy.ValueKind != JsonValueKind.Null)
            throw CollectionException.WrongInput("`order_by` is not supported by this node yet; scroll returns points in id order");
        var filter = FilterBinding.Read(root);
        int limit = PointsReader.ReadLimit(root, 10, options.Service.MaxSearchLimit);
        PointId? offset = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("offset", out var o) && o.ValueKind != JsonValueKind.Null
            ? PointsReader.ReadId(o, "offset") : null;
        var payload = PayloadSelector.Read(root, PayloadSelector.All);
        var (points, next) = await c.ScrollAsync(offset, limit, filter, PointsReader.ReadWithVector(root), ReadConsistencyParam.Read(ctx), ctx.RequestAborted);
        return QdrantResponse.Ok(t, w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("points");
            PointWriter.WriteList(w, points, payload);
            w.WritePropertyName("next_page_offset");
            PointWriter.WriteId(w, next);
            w.WriteEndObject();
        });
    }

    /// <summary>An id-or-filter update: <c>points</c> (ids) or <c>filter</c> selects the targets.</summary>
    private static async Task<IResult> Selected(string name, HttpContext ctx, TableOfContents toc, NodeOptions options, Func<JsonElement, ShardOperation> template)
    {
        long t = Stopwatch.GetTimestamp();
        var c = toc.Get(name);
        bool wait = UpdateParams.Wait(ctx);
        using var body = await RequestBody.ReadAsync(ctx, options);
        var root = body.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson("expected a JSON object as the request body");
        var op = template(root);
        List<PointId>? ids = root.TryGetProperty("points", out var pts) && pts.ValueKind != JsonValueKind.Null ? PointsReader.ReadIds(pts, "points") : null;
        var filter = FilterBinding.Read(root);
        if (ids is null && filter is null) throw CollectionException.BadJson("expected `points` (a list of ids) or `filter`");
        var result = await c.UpdateSelectedAsync(op, ids, ids is null ? filter : null, wait, ctx.RequestAborted, UpdateParams.Ordering(ctx));
        return QdrantResponse.Ok(t, w => PointWriter.WriteUpdate(w, result));
    }

    private static System.Text.Json.Nodes.JsonObject RequiredPayload(JsonElement body) =>
        body.TryGetProperty("payload", out var p) && p.ValueKind == JsonValueKind.Object
            ? PayloadJson.FromElement(p)
            : throw CollectionException.BadJson("missing field `payload` (expected an object)");

    private static string? OptionalKey(JsonElement body)
    {
        if (!body.TryGetProperty("key", out var k) || k.ValueKind == JsonValueKind.Null) return null;
        if (k.ValueKind != JsonValueKind.String) throw CollectionException.BadJson($"invalid type for `key`: expected a string, got {k.GetRawText()}");
        return ValidKey(k.GetString()!, "key");
    }

    /// <summary>A payload key that filters can name, or a 400 naming where it came from.</summary>
    public static string ValidKey(string key, string at) =>
        PayloadKey.TryParse(key, out _, out var error) ? key : throw CollectionException.WrongInput($"invalid payload key `{key}` in `{at}`: {error}");

    private static List<string> RequiredKeys(JsonElement body)
    {
        if (!body.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array) throw CollectionException.BadJson("missing field `keys` (expected a list of keys)");
        var list = new List<string>();
        foreach (var k in keys.EnumerateArray())
        {
            if (k.ValueKind != JsonValueKind.String) throw CollectionException.BadJson($"invalid type for `keys`: expected strings, got {k.GetRawText()}");
            list.Add(ValidKey(k.GetString()!, "keys"));
        }
        return list;
    }
}

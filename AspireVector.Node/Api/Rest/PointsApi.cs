using System.Diagnostics;
using System.Text.Json;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using AspireVector.Node.Filters;
using AspireVector.Node.Points;
using AspireVector.Node.Sharding;
using AspireVector.Node.Storage;

namespace AspireVector.Node.Api.Rest;

/// <summary>Qdrant's point endpoints: upsert, retrieve, delete, scroll, count, the payload and vector operations and <c>points/batch</c>.</summary>
public static class PointsApi
{
    /// <summary>Maps the point endpoints.</summary>
    public static IEndpointRouteBuilder MapPointsApi(this IEndpointRouteBuilder app)
    {
        app.MapPut("/collections/{name}/points", (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) => Update("upsert", name, ctx, toc, o));
        app.MapPost("/collections/{name}/points", Retrieve);
        app.MapGet("/collections/{name}/points/{id}", async (string name, string id, TableOfContents toc, HttpContext ctx) =>
        {
            long t = Stopwatch.GetTimestamp();
            var c = toc.Get(name);
            if (!PointId.TryParse(id, out var pid, out var error)) throw new CollectionException(400, "Wrong input: " + error);
            var found = await c.RetrieveAsync([pid], WithVectors.All, ReadConsistencyParam.Read(ctx), ctx.RequestAborted);
            if (found.Count == 0) throw CollectionException.PointNotFound(pid);
            return QdrantResponse.Ok(t, w => PointWriter.Write(w, found[0], PayloadSelector.All, c.Config));
        });
        app.MapPost("/collections/{name}/points/delete", (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) => Update("delete", name, ctx, toc, o));
        app.MapPost("/collections/{name}/points/payload", (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) => Update("set_payload", name, ctx, toc, o));
        app.MapPut("/collections/{name}/points/payload", (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) => Update("overwrite_payload", name, ctx, toc, o));
        app.MapPost("/collections/{name}/points/payload/delete", (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) => Update("delete_payload", name, ctx, toc, o));
        app.MapPost("/collections/{name}/points/payload/clear", (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) => Update("clear_payload", name, ctx, toc, o));
        app.MapPut("/collections/{name}/points/vectors", (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) => Update("update_vectors", name, ctx, toc, o));
        app.MapPost("/collections/{name}/points/vectors/delete", (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) => Update("delete_vectors", name, ctx, toc, o));
        app.MapPost("/collections/{name}/points/batch", Batch);
        app.MapPost("/collections/{name}/points/scroll", Scroll);
        app.MapPost("/collections/{name}/points/count", async (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) =>
        {
            long t = Stopwatch.GetTimestamp();
            var c = toc.Get(name);
            using var body = await RequestBody.ReadAsync(ctx, o);
            using var scope = ShardKeyScope.Enter(c.Name, ShardKeySelector.Read(body.RootElement));
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

    /// <summary>One update endpoint: its body is read (and validated) whole before anything is written.</summary>
    private static async Task<IResult> Update(string kind, string name, HttpContext ctx, TableOfContents toc, NodeOptions options)
    {
        long t = Stopwatch.GetTimestamp();
        var c = toc.Get(name);
        bool wait = UpdateParams.Wait(ctx);
        PointUpdate update;
        using (var body = await RequestBody.ReadAsync(ctx, options))
        {
            if (body.RootElement.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson("expected a JSON object as the request body");
            update = PointUpdates.Read(kind, body.RootElement, c, options);
        }
        var result = await update.Run(c, wait, UpdateParams.Ordering(ctx), ctx.RequestAborted);
        return QdrantResponse.Ok(t, w => PointWriter.WriteUpdate(w, result));
    }

    /// <summary>
    /// <c>points/batch</c>: operations run in order, each once the previous one answered; the answer lists their
    /// results. A refused body, or an id missing for a payload or vector change, changes nothing (Qdrant would apply the
    /// operations before the failing one).
    /// </summary>
    private static async Task<IResult> Batch(string name, HttpContext ctx, TableOfContents toc, NodeOptions options)
    {
        long t = Stopwatch.GetTimestamp();
        var c = toc.Get(name);
        bool wait = UpdateParams.Wait(ctx);
        List<PointUpdate> updates;
        using (var body = await RequestBody.ReadAsync(ctx, options))
        {
            updates = PointUpdates.ReadBatch(body.RootElement, c, options);
        }
        await PointUpdates.EnsureTargetsExistAsync(updates, c, ctx.RequestAborted);
        var results = new List<UpdateResult>(updates.Count);
        foreach (var update in updates) results.Add(await update.Run(c, wait, UpdateParams.Ordering(ctx), ctx.RequestAborted));
        return QdrantResponse.Ok(t, w =>
        {
            w.WriteStartArray();
            foreach (var r in results) PointWriter.WriteUpdate(w, r);
            w.WriteEndArray();
        });
    }

    private static async Task<IResult> Retrieve(string name, HttpContext ctx, TableOfContents toc, NodeOptions options)
    {
        long t = Stopwatch.GetTimestamp();
        var c = toc.Get(name);
        using var body = await RequestBody.ReadAsync(ctx, options);
        var root = body.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("ids", out var idsJson)) throw CollectionException.BadJson("missing field `ids`");
        var ids = PointsReader.ReadIds(idsJson, "ids");
        using var scope = ShardKeyScope.Enter(c.Name, ShardKeySelector.Read(root));
        var payload = PayloadSelector.Read(root, PayloadSelector.All);
        var points = await c.RetrieveAsync(ids, PointsReader.ReadWithVector(root, c.Config), ReadConsistencyParam.Read(ctx), ctx.RequestAborted);
        return QdrantResponse.Ok(t, w => PointWriter.WriteList(w, points, payload, c.Config));
    }

    /// <summary>Qdrant's 400 for a scroll with both <c>offset</c> and <c>order_by</c>.</summary>
    public static CollectionException OffsetWithOrderBy() =>
        CollectionException.WrongInput("Cannot use an `offset` when using `order_by`. The alternative for paging is to use `order_by.start_from` and a filter to exclude the IDs that you've already seen for the `order_by.start_from` value");

    private static async Task<IResult> Scroll(string name, HttpContext ctx, TableOfContents toc, NodeOptions options)
    {
        long t = Stopwatch.GetTimestamp();
        var c = toc.Get(name);
        using var body = await RequestBody.ReadAsync(ctx, options);
        var root = body.RootElement;
        var orderBy = OrderByReader.ReadOptional(root);
        var filter = FilterBinding.Read(root);
        int limit = PointsReader.ReadLimit(root, 10, options.Service.MaxSearchLimit);
        PointId? offset = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("offset", out var o) && o.ValueKind != JsonValueKind.Null
            ? PointsReader.ReadId(o, "offset") : null;
        var payload = PayloadSelector.Read(root, PayloadSelector.All);
        var withVector = PointsReader.ReadWithVector(root, c.Config);
        using var scope = ShardKeyScope.Enter(c.Name, ShardKeySelector.Read(root));
        List<PointView> points;
        PointId? next = null;
        StrictMode.CheckLimit(c.Config, limit);
        if (orderBy is not null)
        {
            if (offset is not null) throw OffsetWithOrderBy();
            // As in Qdrant, an ordered page has no next offset: the client pages with start_from.
            points = await c.ScrollOrderedAsync(orderBy, limit, filter, withVector, ReadConsistencyParam.Read(ctx), ctx.RequestAborted);
        }
        else (points, next) = await c.ScrollAsync(offset, limit, filter, withVector, ReadConsistencyParam.Read(ctx), ctx.RequestAborted);
        return QdrantResponse.Ok(t, w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("points");
            PointWriter.WriteList(w, points, payload, c.Config);
            w.WritePropertyName("next_page_offset");
            PointWriter.WriteId(w, next);
            w.WriteEndObject();
        });
    }
}

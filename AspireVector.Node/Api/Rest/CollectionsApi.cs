using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using AspireVector.Node.Storage;

namespace AspireVector.Node.Api.Rest;

/// <summary>Qdrant's collection endpoints: list, info, create, update, delete, exists, payload indexes (aliases: <see cref="AliasesApi"/>).</summary>
public static class CollectionsApi
{
    private static readonly string[] FieldTypes = ["keyword", "integer", "float", "bool", "geo", "text", "datetime", "uuid"];

    /// <summary>Maps the collection endpoints.</summary>
    public static IEndpointRouteBuilder MapCollectionsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/collections", (TableOfContents toc) =>
        {
            long t = Stopwatch.GetTimestamp();
            var names = toc.Names.ToArray();
            return QdrantResponse.Ok(t, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("collections");
                foreach (var n in names)
                {
                    w.WriteStartObject();
                    w.WriteString("name", n);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            });
        });
        app.MapGet("/collections/{name}", async (string name, TableOfContents toc, HttpContext ctx) =>
        {
            long t = Stopwatch.GetTimestamp();
            var c = toc.Get(name);
            var info = await CollectionInfo.ReadAsync(c, ctx.RequestServices.GetService<Cluster.ClusterNode>(), ctx.RequestAborted);
            return QdrantResponse.Ok(t, info.Write);
        });
        // Optional name: `PUT /collections/` gets the empty-name validation message instead of a bare 405.
        app.MapPut("/collections/{name?}", async (string? name, HttpContext ctx, ICollectionMetaOperations meta, NodeOptions options) =>
        {
            long t = Stopwatch.GetTimestamp();
            CollectionName.Validate(name);
            using var body = await RequestBody.ReadAsync(ctx, options);
            await CreateAsync(name, body.RootElement, meta, options, ctx.RequestAborted);
            return QdrantResponse.Ok(t, true);
        });
        app.MapPatch("/collections/{name}", async (string name, HttpContext ctx, TableOfContents toc, ICollectionMetaOperations meta, NodeOptions options) =>
        {
            long t = Stopwatch.GetTimestamp();
            var collection = toc.Get(name);
            name = collection.Name; // an alias names its collection
            using var body = await RequestBody.ReadAsync(ctx, options);
            await UpdateAsync(name, body.RootElement, toc, meta, ctx.RequestAborted);
            return QdrantResponse.Ok(t, true);
        });
        app.MapDelete("/collections/{name}", async (string name, ICollectionMetaOperations meta, HttpContext ctx) =>
        {
            long t = Stopwatch.GetTimestamp();
            return QdrantResponse.Ok(t, await meta.DeleteAsync(name, ctx.RequestAborted));
        });
        app.MapGet("/collections/{name}/exists", (string name, TableOfContents toc) =>
        {
            long t = Stopwatch.GetTimestamp();
            bool exists = toc.Exists(name);
            return QdrantResponse.Ok(t, w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("exists", exists);
                w.WriteEndObject();
            });
        });
        app.MapPut("/collections/{name}/index", CreateIndex);
        app.MapDelete("/collections/{name}/index/{field}", async (string name, string field, HttpContext ctx, TableOfContents toc, ICollectionMetaOperations meta) =>
        {
            long t = Stopwatch.GetTimestamp();
            name = toc.Get(name).Name;
            bool wait = UpdateParams.Wait(ctx);
            await DeleteIndexAsync(name, field, meta, ctx.RequestAborted);
            return QdrantResponse.Ok(t, w => PointWriter.WriteUpdate(w, new UpdateResult(0, wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged)));
        });
        return app;
    }

    private static async Task<IResult> CreateIndex(string name, HttpContext ctx, TableOfContents toc, ICollectionMetaOperations meta, NodeOptions options)
    {
        long t = Stopwatch.GetTimestamp();
        name = toc.Get(name).Name;
        bool wait = UpdateParams.Wait(ctx);
        using var body = await RequestBody.ReadAsync(ctx, options);
        await CreateIndexAsync(name, body.RootElement, meta, ctx.RequestAborted);
        return QdrantResponse.Ok(t, w => PointWriter.WriteUpdate(w, new UpdateResult(0, wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged)));
    }

    /// <summary>Creates collection <paramref name="name"/> from a create body (REST's, or gRPC's converted to it).</summary>
    public static async Task CreateAsync(string? name, JsonElement body, ICollectionMetaOperations meta, NodeOptions options, CancellationToken cancellationToken)
    {
        CollectionName.Validate(name);
        var config = CollectionConfig.FromCreateRequest(body);
        foreach (var vectorName in config.VectorNames)
        {
            int size = config.Vector(vectorName).Size;
            if (size > options.Storage.MaxVectorDimension)
                throw CollectionException.Validation(vectorName.Length == 0 ? "vectors.size" : $"vectors.{vectorName}.size", $"value {size} invalid, must be from 1 to {options.Storage.MaxVectorDimension}");
        }
        await meta.CreateAsync(name, config, body, cancellationToken);
    }

    /// <summary>Applies an update body (<c>PATCH /collections/{name}</c>) to an existing collection.</summary>
    public static async Task UpdateAsync(string name, JsonElement body, TableOfContents toc, ICollectionMetaOperations meta, CancellationToken cancellationToken)
    {
        _ = toc.Get(name).Config.WithUpdate(body); // refuse a bad body before proposing it
        await meta.UpdateConfigAsync(name, c => c.WithUpdate(body), cancellationToken);
    }

    /// <summary>Drops the payload index of <paramref name="field"/> (none: nothing to do).</summary>
    public static Task DeleteIndexAsync(string name, string field, ICollectionMetaOperations meta, CancellationToken cancellationToken) =>
        meta.UpdateConfigAsync(name, c =>
        {
            var copy = c.WithUpdate(JsonDocument.Parse("{}").RootElement);
            copy.PayloadSchema.Remove(field);
            return copy;
        }, cancellationToken);

    /// <summary>Creates a payload index from a <c>{"field_name": .., "field_schema": ..}</c> body.</summary>
    public static async Task CreateIndexAsync(string name, JsonElement root, ICollectionMetaOperations meta, CancellationToken cancellationToken)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("field_name", out var field) || field.ValueKind != JsonValueKind.String || field.GetString() is not { Length: > 0 } fieldName)
            throw CollectionException.BadJson("missing field `field_name`");
        // An index is only useful under a key filters can name; an unparsable one would also break collection info.
        if (!Filters.PayloadKey.TryParse(fieldName, out _, out var keyError))
            throw CollectionException.WrongInput("field_name: " + keyError);
        var entry = new JsonObject();
        if (!root.TryGetProperty("field_schema", out var schema) || schema.ValueKind == JsonValueKind.Null)
            throw CollectionException.WrongInput("field_schema is required to create a payload index");
        string? type = schema.ValueKind switch
        {
            JsonValueKind.String => schema.GetString(),
            JsonValueKind.Object when schema.TryGetProperty("type", out var ty) && ty.ValueKind == JsonValueKind.String => ty.GetString(),
            _ => null,
        };
        if (type is null || Array.IndexOf(FieldTypes, type) < 0)
            throw CollectionException.BadJson($"unknown variant `{type ?? schema.GetRawText()}`, expected one of `keyword`, `integer`, `float`, `geo`, `text`, `bool`, `datetime`, `uuid`");
        entry["data_type"] = type;
        if (schema.ValueKind == JsonValueKind.Object) entry["params"] = JsonNode.Parse(schema.GetRawText());
        await meta.UpdateConfigAsync(name, c =>
        {
            var copy = c.WithUpdate(JsonDocument.Parse("{}").RootElement);
            copy.PayloadSchema[fieldName] = entry.DeepClone();
            return copy;
        }, cancellationToken);
    }
}

using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using AspireVector.Node.Storage;

namespace AspireVector.Node.Api.Rest;

/// <summary>Qdrant's collection endpoints: list, info, create, update, delete, exists, aliases, payload indexes.</summary>
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
        app.MapGet("/collections/{name}", (string name, TableOfContents toc) =>
        {
            long t = Stopwatch.GetTimestamp();
            var c = toc.Get(name);
            return QdrantResponse.Ok(t, w => WriteInfo(w, c));
        });
        // Optional name: `PUT /collections/` gets the empty-name validation message instead of a bare 405.
        app.MapPut("/collections/{name?}", async (string? name, HttpContext ctx, TableOfContents toc, NodeOptions options) =>
        {
            long t = Stopwatch.GetTimestamp();
            CollectionName.Validate(name);
            using var body = await RequestBody.ReadAsync(ctx, options);
            var config = CollectionConfig.FromCreateRequest(body.RootElement);
            if (config.VectorSize > options.Storage.MaxVectorDimension)
                throw CollectionException.Validation("vectors.size", $"value {config.VectorSize} invalid, must be from 1 to {options.Storage.MaxVectorDimension}");
            toc.Create(name, config);
            return QdrantResponse.Ok(t, true);
        });
        app.MapPatch("/collections/{name}", async (string name, HttpContext ctx, TableOfContents toc, NodeOptions options) =>
        {
            long t = Stopwatch.GetTimestamp();
            toc.Get(name);
            using var body = await RequestBody.ReadAsync(ctx, options);
            var root = body.RootElement;
            toc.UpdateConfig(name, c => c.WithUpdate(root));
            return QdrantResponse.Ok(t, true);
        });
        app.MapDelete("/collections/{name}", (string name, TableOfContents toc) =>
        {
            long t = Stopwatch.GetTimestamp();
            return QdrantResponse.Ok(t, toc.Delete(name));
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
        app.MapGet("/aliases", () => EmptyAliases(Stopwatch.GetTimestamp()));
        app.MapGet("/collections/{name}/aliases", (string name, TableOfContents toc) =>
        {
            long t = Stopwatch.GetTimestamp();
            toc.Get(name);
            return EmptyAliases(t);
        });
        app.MapPut("/collections/{name}/index", CreateIndex);
        app.MapDelete("/collections/{name}/index/{field}", (string name, string field, HttpContext ctx, TableOfContents toc) =>
        {
            long t = Stopwatch.GetTimestamp();
            bool wait = UpdateParams.Wait(ctx);
            toc.UpdateConfig(name, c =>
            {
                var copy = c.WithUpdate(JsonDocument.Parse("{}").RootElement);
                copy.PayloadSchema.Remove(field);
                return copy;
            });
            return QdrantResponse.Ok(t, w => PointWriter.WriteUpdate(w, new UpdateResult(0, wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged)));
        });
        return app;
    }

    private static async Task<IResult> CreateIndex(string name, HttpContext ctx, TableOfContents toc, NodeOptions options)
    {
        long t = Stopwatch.GetTimestamp();
        toc.Get(name);
        bool wait = UpdateParams.Wait(ctx);
        using var body = await RequestBody.ReadAsync(ctx, options);
        var root = body.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("field_name", out var field) || field.ValueKind != JsonValueKind.String || field.GetString() is not { Length: > 0 } fieldName)
            throw CollectionException.BadJson("missing field `field_name`");
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
        toc.UpdateConfig(name, c =>
        {
            var copy = c.WithUpdate(JsonDocument.Parse("{}").RootElement);
            copy.PayloadSchema[fieldName] = entry;
            return copy;
        });
        return QdrantResponse.Ok(t, w => PointWriter.WriteUpdate(w, new UpdateResult(0, wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged)));
    }

    private static QdrantResponse EmptyAliases(long t) => QdrantResponse.Ok(t, w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("aliases");
        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static void WriteInfo(Utf8JsonWriter w, Collection c)
    {
        var config = c.Config;
        w.WriteStartObject();
        w.WriteString("status", "green");
        w.WriteString("optimizer_status", "ok");
        w.WriteNumber("indexed_vectors_count", c.IndexedVectorsCount);
        w.WriteNumber("points_count", c.PointsCount);
        w.WriteNumber("segments_count", c.Shards.Count);
        w.WritePropertyName("config");
        config.WriteInfoConfig(w);
        w.WritePropertyName("payload_schema");
        w.WriteStartObject();
        foreach (var (field, schema) in config.PayloadSchema)
        {
            w.WritePropertyName(field);
            w.WriteStartObject();
            foreach (var (k, v) in (JsonObject)schema!)
            {
                w.WritePropertyName(k);
                if (v is null) w.WriteNullValue(); else v.WriteTo(w);
            }
            w.WriteNumber("points", c.Count((_, payload) => payload?.ContainsKey(field) == true));
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }
}

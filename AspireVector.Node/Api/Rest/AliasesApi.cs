using System.Diagnostics;
using System.Text;
using System.Text.Json;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;

namespace AspireVector.Node.Api.Rest;

/// <summary>Qdrant's alias endpoints: change aliases atomically, list all of them or those of one collection.</summary>
public static class AliasesApi
{
    /// <summary>Maps the alias endpoints.</summary>
    public static IEndpointRouteBuilder MapAliasesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/collections/aliases", async (HttpContext ctx, ICollectionMetaOperations meta, NodeOptions options) =>
        {
            long t = Stopwatch.GetTimestamp();
            using var body = await RequestBody.ReadAsync(ctx, options);
            await meta.UpdateAliasesAsync(ReadActions(body.RootElement), ctx.RequestAborted);
            return QdrantResponse.Ok(t, true);
        });
        app.MapGet("/aliases", (TableOfContents toc) =>
        {
            long t = Stopwatch.GetTimestamp();
            var aliases = toc.Aliases.ToArray();
            return QdrantResponse.Ok(t, w => Write(w, aliases));
        });
        app.MapGet("/collections/{name}/aliases", (string name, TableOfContents toc) =>
        {
            long t = Stopwatch.GetTimestamp();
            string collection = toc.Get(name).Name;
            var aliases = toc.Aliases.Where(a => a.Value == collection).ToArray();
            return QdrantResponse.Ok(t, w => Write(w, aliases));
        });
        return app;
    }

    /// <summary>Reads <c>{"actions": [{"create_alias": {..}} | {"delete_alias": {..}} | {"rename_alias": {..}}]}</c>.</summary>
    public static List<AliasAction> ReadActions(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("actions", out var actions) || actions.ValueKind != JsonValueKind.Array)
            throw CollectionException.BadJson("missing field `actions` (expected a list of alias operations)");
        var list = new List<AliasAction>(actions.GetArrayLength());
        int i = 0;
        foreach (var a in actions.EnumerateArray())
        {
            string at = $"actions[{i++}]";
            if (a.ValueKind == JsonValueKind.Object && a.TryGetProperty("create_alias", out var create))
                list.Add(new AliasAction(AliasActionKind.Create, Name(create, "alias_name", at), Collection: Name(create, "collection_name", at)));
            else if (a.ValueKind == JsonValueKind.Object && a.TryGetProperty("delete_alias", out var delete))
                list.Add(new AliasAction(AliasActionKind.Delete, Name(delete, "alias_name", at)));
            else if (a.ValueKind == JsonValueKind.Object && a.TryGetProperty("rename_alias", out var rename))
                list.Add(new AliasAction(AliasActionKind.Rename, Name(rename, "old_alias_name", at), NewAlias: Name(rename, "new_alias_name", at)));
            else
                throw CollectionException.BadJson($"data did not match any variant of untagged enum AliasOperations at `{at}`: expected `create_alias`, `delete_alias` or `rename_alias`");
        }

        return list;
    }

    private static string Name(JsonElement operation, string field, string at)
    {
        if (operation.ValueKind != JsonValueKind.Object || !operation.TryGetProperty(field, out var v))
            throw CollectionException.BadJson($"missing field `{field}` at `{at}`");
        if (v.ValueKind != JsonValueKind.String) throw CollectionException.BadJson($"invalid type for `{at}.{field}`: expected a string, got {v.GetRawText()}");
        string name = v.GetString()!;
        if (name.Length == 0 || Encoding.UTF8.GetByteCount(name) > 255)
            throw CollectionException.Validation($"{at}.{field}", "length must be between 1 and 255 bytes");
        return name;
    }

    private static void Write(Utf8JsonWriter w, KeyValuePair<string, string>[] aliases)
    {
        w.WriteStartObject();
        w.WriteStartArray("aliases");
        foreach (var (alias, collection) in aliases)
        {
            w.WriteStartObject();
            w.WriteString("alias_name", alias);
            w.WriteString("collection_name", collection);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}

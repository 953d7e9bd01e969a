using System.Diagnostics;
using System.Text.Json;
using AspireVector.Node.Cluster;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using AspireVector.Node.Sharding;

namespace AspireVector.Node.Api.Rest;

/// <summary>Qdrant's user-defined sharding endpoints: create, drop and list the shard keys of a custom-sharded collection.</summary>
public static class ShardKeysApi
{
    /// <summary>Maps <c>PUT /collections/{name}/shards</c>, <c>POST /collections/{name}/shards/delete</c> and <c>GET /collections/{name}/shards</c>.</summary>
    public static IEndpointRouteBuilder MapShardKeysApi(this IEndpointRouteBuilder app)
    {
        app.MapPut("/collections/{name}/shards", async (string name, HttpContext ctx, TableOfContents toc, ICollectionMetaOperations meta, NodeOptions options) =>
        {
            long t = Stopwatch.GetTimestamp();
            name = toc.Get(name).Name; // an alias names its collection
            using var body = await RequestBody.ReadAsync(ctx, options);
            await meta.CreateShardKeyAsync(name, ReadCreate(body.RootElement), ctx.RequestAborted);
            return QdrantResponse.Ok(t, true);
        });
        app.MapPost("/collections/{name}/shards/delete", async (string name, HttpContext ctx, TableOfContents toc, ICollectionMetaOperations meta, NodeOptions options) =>
        {
            long t = Stopwatch.GetTimestamp();
            name = toc.Get(name).Name;
            using var body = await RequestBody.ReadAsync(ctx, options);
            await meta.DropShardKeyAsync(name, ReadKey(body.RootElement), ctx.RequestAborted);
            return QdrantResponse.Ok(t, true);
        });
        app.MapGet("/collections/{name}/shards", (string name, TableOfContents toc) =>
        {
            long t = Stopwatch.GetTimestamp();
            var config = toc.Get(name).Config;
            return QdrantResponse.Ok(t, w => WriteKeys(w, config));
        });
        return app;
    }

    /// <summary>Qdrant's <c>ShardKeysResponse</c>: the keys of a custom-sharded collection, null for an auto-sharded one.</summary>
    public static void WriteKeys(Utf8JsonWriter w, CollectionConfig config)
    {
        w.WriteStartObject();
        if (!config.IsCustomSharding)
        {
            w.WriteNull("shard_keys");
        }
        else
        {
            w.WriteStartArray("shard_keys");
            foreach (var k in config.ShardKeys)
            {
                w.WriteStartObject();
                w.WritePropertyName("key");
                k.Key.WriteTo(w);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    /// <summary>Reads a <c>CreateShardingKey</c> body (REST's, or gRPC's converted to it).</summary>
    public static CreateShardKeyRequest ReadCreate(JsonElement body)
    {
        var key = ReadKey(body);
        int? shards = OptionalCount(body, "shards_number");
        int? factor = OptionalCount(body, "replication_factor");
        List<ulong>? placement = null;
        if (body.TryGetProperty("placement", out var p) && p.ValueKind != JsonValueKind.Null)
        {
            if (p.ValueKind != JsonValueKind.Array) throw CollectionException.BadJson($"invalid type for `placement`: expected a list of peer ids, got {p.GetRawText()}");
            placement = [];
            foreach (var peer in p.EnumerateArray())
            {
                if (peer.ValueKind != JsonValueKind.Number || !peer.TryGetUInt64(out ulong id))
                    throw CollectionException.BadJson($"invalid type for `placement`: expected peer ids (unsigned integers), got {peer.GetRawText()}");
                placement.Add(id);
            }
        }

        ReplicaState? initial = null;
        if (body.TryGetProperty("initial_state", out var s) && s.ValueKind != JsonValueKind.Null)
        {
            if (s.ValueKind != JsonValueKind.String || !Enum.TryParse<ReplicaState>(s.GetString(), ignoreCase: false, out var state) || !Enum.IsDefined(state))
                throw CollectionException.BadJson($"unknown variant {s.GetRawText()} at `initial_state`, expected one of `Active`, `Dead`, `Partial`, `Initializing`, `Listener`");
            initial = state;
        }

        return new CreateShardKeyRequest(key, shards, factor, placement, initial);
    }

    /// <summary>The required <c>shard_key</c> of a create or drop body.</summary>
    public static ShardKey ReadKey(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson("expected a JSON object as the request body");
        if (!body.TryGetProperty("shard_key", out var key) || key.ValueKind == JsonValueKind.Null) throw CollectionException.BadJson("missing field `shard_key`");
        return ShardKey.Read(key, "shard_key");
    }

    private static int? OptionalCount(JsonElement body, string field)
    {
        if (!body.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long n) || n < 0)
            throw CollectionException.BadJson($"invalid type for `{field}`: expected an unsigned integer, got {v.GetRawText()}");
        if (n < 1 || n > 4096) throw CollectionException.Validation(field, $"value {n} invalid, must be from 1 to 4096");
        return (int)n;
    }
}

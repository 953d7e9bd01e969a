using System.Diagnostics;
using System.Text.Json;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;

namespace AspireVector.Node.Api.Rest;

/// <summary>Qdrant's <c>POST /collections/{name}/facet</c>: how many points hold each value of a payload key.</summary>
public static class FacetApi
{
    /// <summary>Maps the facet endpoint.</summary>
    public static IEndpointRouteBuilder MapFacetApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/collections/{name}/facet", async (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) =>
        {
            long t = Stopwatch.GetTimestamp();
            var c = toc.Get(name);
            string key;
            int limit;
            QueryFilter? filter;
            Sharding.ShardKeySelector? selector;
            using (var body = await RequestBody.ReadAsync(ctx, o))
            {
                var root = body.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("key", out var k) || k.ValueKind != JsonValueKind.String)
                    throw CollectionException.BadJson("missing field `key` (expected a payload key)");
                key = k.GetString()!;
                if (root.TryGetProperty("exact", out var exact) && exact.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
                    throw CollectionException.BadJson($"invalid type for `exact`: expected a boolean, got {exact.GetRawText()}");
                limit = PointsReader.ReadLimit(root, 10, o.Service.MaxSearchLimit);
                filter = FilterBinding.Read(root);
                selector = Sharding.ShardKeySelector.Read(root);
            }

            using var scope = Sharding.ShardKeyScope.Enter(c.Name, selector);
            var hits = await c.FacetAsync(key, filter, limit, ReadConsistencyParam.Read(ctx), ctx.RequestAborted);
            return QdrantResponse.Ok(t, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("hits");
                foreach (var hit in hits)
                {
                    w.WriteStartObject();
                    w.WritePropertyName("value");
                    w.WriteRawValue(hit.Value);
                    w.WriteNumber("count", hit.Count);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
        });
        return app;
    }
}

using System.Diagnostics;
using System.Text.Json;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using AspireVector.Node.Filters;
using AspireVector.Node.Points;

namespace AspireVector.Node.Api.Rest;

/// <summary>Qdrant's group endpoints: <c>search/groups</c>, <c>recommend/groups</c> and <c>query/groups</c>.</summary>
public static class GroupsApi
{
    /// <summary>Maps the group endpoints.</summary>
    public static IEndpointRouteBuilder MapGroupsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/collections/{name}/points/search/groups", (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) =>
            Groups(name, ctx, toc, o, required: true, (c, body) => Task.FromResult(SearchApi.ReadSearch(c, body, o, ctx))));
        app.MapPost("/collections/{name}/points/recommend/groups", (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) =>
            Groups(name, ctx, toc, o, required: true, (c, body) => Task.FromResult(RecommendApi.ReadRecommend(c, body, o, toc, ctx))));
        app.MapPost("/collections/{name}/points/query/groups", (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) =>
            Groups(name, ctx, toc, o, required: false, (c, body) => SearchApi.ReadQueryAsync(c, body, o, toc, ctx)));
        return app;
    }

    /// <summary>
    /// Reads <c>group_by</c>, <c>group_size</c> (required unless <paramref name="required"/> is false: query's default
    /// is 3), <c>limit</c> (groups; query's default 10) and <c>with_lookup</c>, then groups the ranked hits.
    /// </summary>
    private static async Task<IResult> Groups(string name, HttpContext ctx, TableOfContents toc, NodeOptions o, bool required, RankedApi.Reader read)
    {
        long t = Stopwatch.GetTimestamp();
        var c = toc.Get(name);
        RankedRequest request;
        PayloadKey key;
        int size;
        Lookup? lookup;
        using (var body = await RequestBody.ReadAsync(ctx, o))
        {
            var root = body.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson("expected a JSON object as the request body");
            if (!root.TryGetProperty("group_by", out var groupBy) || groupBy.ValueKind != JsonValueKind.String)
                throw CollectionException.BadJson("missing field `group_by` (expected a payload key)");
            if (!PayloadKey.TryParse(groupBy.GetString(), out key!, out var keyError)) throw CollectionException.WrongInput("group_by: " + keyError);
            if (required && !root.TryGetProperty("group_size", out _)) throw CollectionException.BadJson("missing field `group_size`");
            size = PointsReader.ReadLimitNamed(root, "group_size", 3, o.Service.MaxSearchLimit);
            lookup = ReadLookup(root, toc);
            request = await RankedApi.ReadRoutedAsync(c, root, read);
        }

        var groups = await PointGroups.GroupAsync(request.Fetch, key, request.Limit, size, o.Service.MaxSearchLimit, ctx.RequestAborted);
        if (lookup is { } l) await l.AttachAsync(groups, ReadConsistencyParam.Read(ctx), ctx.RequestAborted);
        return QdrantResponse.Ok(t, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("groups");
            foreach (var g in groups)
            {
                w.WriteStartObject();
                w.WritePropertyName("id");
                g.Id.WriteTo(w);
                w.WritePropertyName("hits");
                PointWriter.WriteList(w, g.Hits, request.Payload, c.Config);
                if (g.Lookup is { } found && lookup is { } l2)
                {
                    w.WritePropertyName("lookup");
                    PointWriter.Write(w, found, l2.Payload, l2.Collection.Config);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary><c>with_lookup</c>: a collection name, or <c>{"collection", "with_payload" (default true), "with_vectors"}</c>.</summary>
    private static Lookup? ReadLookup(JsonElement body, TableOfContents toc)
    {
        if (!body.TryGetProperty("with_lookup", out var l) || l.ValueKind == JsonValueKind.Null) return null;
        if (l.ValueKind == JsonValueKind.String) return new Lookup(toc.Get(l.GetString()!), PayloadSelector.All, false);
        if (l.ValueKind != JsonValueKind.Object || !l.TryGetProperty("collection", out var name) || name.ValueKind != JsonValueKind.String)
            throw CollectionException.BadJson("invalid `with_lookup`: expected a collection name or {\"collection\": ..}");
        var collection = toc.Get(name.GetString()!);
        var withVector = l.TryGetProperty("with_vectors", out var v) ? PointsReader.ReadWithVectorValue(v, collection.Config, "with_lookup.with_vectors") : WithVectors.None;
        return new Lookup(collection, PayloadSelector.Read(l, PayloadSelector.All), withVector);
    }

    /// <summary>The points of another collection whose ids are the group ids.</summary>
    private sealed record Lookup(Collection Collection, PayloadSelector Payload, WithVectors WithVector)
    {
        public async Task AttachAsync(List<PointGroup> groups, Sharding.ReadConsistency consistency, CancellationToken cancellationToken)
        {
            var ids = new Dictionary<PointGroup, PointId>();
            foreach (var g in groups)
            {
                using var doc = JsonDocument.Parse(g.Id.ToJsonString());
                if (PointId.TryParse(doc.RootElement, out var id, out _)) ids[g] = id;
            }

            var found = (await Collection.RetrieveAsync([.. ids.Values], WithVector, consistency, cancellationToken)).ToDictionary(p => p.Id);
            foreach (var (g, id) in ids) g.Lookup = found.GetValueOrDefault(id);
        }
    }
}

using System.Text.Json;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using AspireVector.Node.Sharding;

namespace AspireVector.Node.Api.Rest;

/// <summary>
/// Qdrant's <c>points/discover</c> and <c>points/discover/batch</c>, and the query API's <c>discover</c> and
/// <c>context</c> queries: a target constrained by context pairs, or a context search without a target.
/// </summary>
public static class DiscoverApi
{
    /// <summary>Maps the discover endpoints.</summary>
    public static IEndpointRouteBuilder MapDiscoverApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/collections/{name}/points/discover", (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) =>
            RankedApi.One(name, ctx, toc, o, (c, body) => Task.FromResult(ReadDiscover(c, body, o, toc, ReadConsistencyParam.Read(ctx))), PointWriter.WriteList));
        app.MapPost("/collections/{name}/points/discover/batch", (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) =>
            RankedApi.Batch(name, ctx, toc, o, (c, body) => Task.FromResult(ReadDiscover(c, body, o, toc, ReadConsistencyParam.Read(ctx))), PointWriter.WriteList));
        return app;
    }

    /// <summary>
    /// A <c>DiscoverRequest</c>: optional <c>target</c> and <c>context</c> pairs (point ids or vectors), filter, params,
    /// <c>limit</c> (required), offset, with_payload, with_vector, <c>lookup_from</c>. It has no <c>score_threshold</c>,
    /// as in Qdrant.
    /// </summary>
    public static RankedRequest ReadDiscover(Collection c, JsonElement body, NodeOptions o, TableOfContents toc, ReadConsistency consistency)
    {
        if (body.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson("expected a discover request object");
        if (!body.TryGetProperty("limit", out _)) throw CollectionException.BadJson("missing field `limit`");
        string name = SearchRequestReader.Using(body, c.Config);
        var lookup = LookupFromReader.Read(body, toc, c, name, endpoint: true);
        var vector = c.Config.Vector(name);
        RecommendExample? target = null;
        if (body.TryGetProperty("target", out var t) && t.ValueKind != JsonValueKind.Null) target = Example(t, vector, "target");
        var context = new List<ContextExamplePair>();
        if (body.TryGetProperty("context", out var pairs) && pairs.ValueKind != JsonValueKind.Null)
        {
            if (pairs.ValueKind != JsonValueKind.Array) throw CollectionException.BadJson($"invalid type for `context`: expected a list of {{\"positive\", \"negative\"}} pairs, got {pairs.GetRawText()}");
            ReadPairs(pairs, vector, "context", context);
        }

        var read = SearchRequestReader.Read(body, new float[vector.Size], name, c.Config, o, 10);
        var search = new SearchRequest
        {
            Vector = read.Vector, VectorName = name, Limit = read.Limit, Offset = read.Offset, Filter = read.Filter, Params = read.Params, WithVector = read.WithVector,
        };
        var request = new DiscoverRequest { Target = target, Context = context, Search = search, LookupFrom = lookup };
        return new RankedRequest((limit, offset, ct) => c.DiscoverAsync(request.Page(limit, offset), consistency, ct),
            search.Limit, search.Offset, PayloadSelector.Read(body, PayloadSelector.None));
    }

    /// <summary>
    /// The query API's <c>{"discover": {"target", "context"}}</c> or <c>{"context": ..}</c> (context: one pair, a list
    /// of pairs or null) around <paramref name="body"/>'s search options (a query or prefetch stage); null when
    /// <paramref name="query"/> is neither.
    /// </summary>
    public static DiscoverRequest? ReadQuery(Collection c, JsonElement query, JsonElement body, NodeOptions o)
    {
        if (query.ValueKind != JsonValueKind.Object) return null;
        if (!query.TryGetProperty("discover", out _) && !query.TryGetProperty("context", out _)) return null;
        string name = SearchRequestReader.Using(body, c.Config);
        var vector = c.Config.Vector(name);
        RecommendExample? target;
        JsonElement pairs;
        string at;
        if (query.TryGetProperty("discover", out var discover))
        {
            if (discover.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson($"invalid type for `query.discover`: expected an object, got {discover.GetRawText()}");
            if (!discover.TryGetProperty("target", out var t)) throw CollectionException.BadJson("missing field `target` at `query.discover`");
            if (!discover.TryGetProperty("context", out pairs)) throw CollectionException.BadJson("missing field `context` at `query.discover`");
            target = Example(t, vector, "query.discover.target");
            at = "query.discover.context";
        }
        else if (query.TryGetProperty("context", out pairs))
        {
            target = null;
            at = "query.context";
        }
        else return null;

        var context = new List<ContextExamplePair>();
        if (pairs.ValueKind == JsonValueKind.Object) context.Add(Pair(pairs, vector, at));
        else if (pairs.ValueKind == JsonValueKind.Array) ReadPairs(pairs, vector, at, context);
        else if (pairs.ValueKind != JsonValueKind.Null)
            throw CollectionException.BadJson($"invalid type for `{at}`: expected a {{\"positive\", \"negative\"}} pair or a list of them, got {pairs.GetRawText()}");
        if (target is null && context.Count == 0)
            throw CollectionException.WrongInput($"`{at}` needs at least one {{\"positive\", \"negative\"}} pair");
        return new DiscoverRequest { Target = target, Context = context, Search = SearchRequestReader.Read(body, new float[vector.Size], name, c.Config, o, 10) };
    }

    private static void ReadPairs(JsonElement pairs, VectorParams vector, string at, List<ContextExamplePair> into)
    {
        int i = 0;
        foreach (var pair in pairs.EnumerateArray()) into.Add(Pair(pair, vector, $"{at}[{i++}]"));
    }

    private static ContextExamplePair Pair(JsonElement pair, VectorParams vector, string at)
    {
        if (pair.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson($"invalid type for `{at}`: expected a {{\"positive\", \"negative\"}} pair, got {pair.GetRawText()}");
        if (!pair.TryGetProperty("positive", out var positive)) throw CollectionException.BadJson($"missing field `positive` at `{at}`");
        if (!pair.TryGetProperty("negative", out var negative)) throw CollectionException.BadJson($"missing field `negative` at `{at}`");
        return new ContextExamplePair(Example(positive, vector, at + ".positive"), Example(negative, vector, at + ".negative"));
    }

    /// <summary>A point id, a dense vector or a multivector; sparse and inference inputs are refused.</summary>
    private static RecommendExample Example(JsonElement e, VectorParams vector, string at)
    {
        if (e.ValueKind == JsonValueKind.Array) return new RecommendExample(null, SearchRequestReader.ExampleVector(e, vector, at));
        if (e.ValueKind == JsonValueKind.Object)
            throw CollectionException.WrongInput($"`{at}`: sparse and inference inputs are not supported by this node (examples and targets are dense vectors, multivectors or point ids)");
        return new RecommendExample(PointsReader.ReadId(e, at), null);
    }
}

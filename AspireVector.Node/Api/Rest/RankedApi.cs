using System.Diagnostics;
using System.Text.Json;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using AspireVector.Node.Sharding;

namespace AspireVector.Node.Api.Rest;

/// <summary>The shape every ranked read endpoint shares: one request, or a <c>searches</c> batch answered in order.</summary>
public static class RankedApi
{
    /// <summary>Reads one request body into a <see cref="RankedRequest"/>.</summary>
    public delegate Task<RankedRequest> Reader(Collection collection, JsonElement body);

    /// <summary>Answers one request with <paramref name="write"/>.</summary>
    public static async Task<IResult> One(string name, HttpContext ctx, TableOfContents toc, NodeOptions o, Reader read, Action<Utf8JsonWriter, List<PointView>, PayloadSelector, CollectionConfig> write)
    {
        long t = Stopwatch.GetTimestamp();
        var c = toc.Get(name);
        CheckTimeout(ctx, c.Config);
        RankedRequest request;
        using var body = await RequestBody.ReadAsync(ctx, o);
        using var scope = ShardKeyScope.Enter(c.Name, ShardKeySelector.Read(body.RootElement));
        request = await read(c, body.RootElement);
        var hits = await request.RunAsync(ctx.RequestAborted);
        return QdrantResponse.Ok(t, w => write(w, hits, request.Payload, c.Config));
    }

    /// <summary>Answers a batch: every request is read (validated) before the first one runs.</summary>
    public static async Task<IResult> Batch(string name, HttpContext ctx, TableOfContents toc, NodeOptions o, Reader read, Action<Utf8JsonWriter, List<PointView>, PayloadSelector, CollectionConfig> write)
    {
        long t = Stopwatch.GetTimestamp();
        var c = toc.Get(name);
        var requests = new List<RankedRequest>();
        using (var body = await RequestBody.ReadAsync(ctx, o))
        {
            var searches = SearchRequestReader.Searches(body.RootElement);
            CheckTimeout(ctx, c.Config);
            StrictMode.CheckSearchBatch(c.Config, searches.Count());
            foreach (var s in searches) requests.Add(await ReadRoutedAsync(c, s, read));
        }
        var results = new List<(List<PointView>, PayloadSelector)>(requests.Count);
        foreach (var r in requests) results.Add((await r.RunAsync(ctx.RequestAborted), r.Payload));
        return QdrantResponse.Ok(t, w =>
        {
            w.WriteStartArray();
            foreach (var (hits, payload) in results) write(w, hits, payload, c.Config);
            w.WriteEndArray();
        });
    }

    /// <summary>Reads one request of a batch, routed by its own <c>shard_key</c> (its lookups too, and later its run).</summary>
    public static async Task<RankedRequest> ReadRoutedAsync(Collection c, JsonElement body, Reader read)
    {
        var selector = ShardKeySelector.Read(body);
        using var scope = ShardKeyScope.Enter(c.Name, selector);
        var request = await read(c, body);
        if (selector is null) return request;
        var fetch = request.Fetch;
        return request with { Fetch = (limit, offset, ct) => ShardKeyScope.RunAsync(c.Name, selector, () => fetch(limit, offset, ct)) };
    }

    /// <summary>Strict mode's <c>max_timeout</c> against the request's <c>timeout</c> query parameter (seconds), when given.</summary>
    public static void CheckTimeout(HttpContext ctx, CollectionConfig config)
    {
        if (config.StrictMode is not { Enabled: true }) return;
        if (QueryParameters.ReadUnsigned(ctx.Request.Query, "timeout", ulong.MaxValue) is ulong timeout)
            StrictMode.CheckTimeout(config, (long)Math.Min(timeout, long.MaxValue));
    }
}

using System.Diagnostics;
using System.Text.Json;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;

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
        RankedRequest request;
        using (var body = await RequestBody.ReadAsync(ctx, o))
        {
            request = await read(c, body.RootElement);
        }
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
            foreach (var s in SearchRequestReader.Searches(body.RootElement)) requests.Add(await read(c, s));
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
}

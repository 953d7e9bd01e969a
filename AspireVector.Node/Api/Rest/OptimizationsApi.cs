using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AspireVector.Node.Collections;

namespace AspireVector.Node.Api.Rest;

/// <summary>
/// <c>GET /collections/{name}/optimizations</c> in Qdrant v1.18's shape. Each local shard is one segment. Its only
/// optimization is linking stored vectors into the graph in the background: a segment with vectors waiting is queued
/// for the <c>indexing</c> optimizer (its waiting vectors are the queued points), the others are idle.
/// </summary>
public static class OptimizationsApi
{
    private static readonly string[] Sections = ["queued", "completed", "idle_segments"];

    /// <summary>Maps the optimizations endpoint.</summary>
    public static IEndpointRouteBuilder MapOptimizationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/collections/{name}/optimizations", (string name, HttpContext ctx, TableOfContents toc) =>
        {
            long t = Stopwatch.GetTimestamp();
            var c = toc.Get(name);
            var with = new HashSet<string>(StringComparer.Ordinal);
            foreach (var part in (QueryParameters.Single(ctx.Request.Query, "with") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (Array.IndexOf(Sections, part) < 0)
                    throw QueryParameters.DeserializeError($"unknown value `{part}` in `with`, expected `queued`, `completed` or `idle_segments`");
                with.Add(part);
            }

            QueryParameters.ReadUnsigned(ctx.Request.Query, "completed_limit", ulong.MaxValue);
            var segments = c.LocalShards
                .Select(s => new SegmentState(SegmentUuid(c.Name, s.Id), s.Segment.PointCount, s.Segment.IndexingBacklog)).ToArray();
            return QdrantResponse.Ok(t, w => Write(w, with, segments));
        });
        return app;
    }

    private sealed record SegmentState(Guid Uuid, long Points, long Backlog);

    private static void Write(Utf8JsonWriter w, HashSet<string> with, SegmentState[] segments)
    {
        var queued = segments.Where(s => s.Backlog > 0).ToArray();
        w.WriteStartObject();
        w.WriteStartObject("summary");
        w.WriteNumber("queued_optimizations", queued.Length);
        w.WriteNumber("queued_segments", queued.Length);
        w.WriteNumber("queued_points", queued.Sum(s => s.Backlog));
        w.WriteNumber("idle_segments", segments.Length - queued.Length);
        w.WriteEndObject();
        w.WriteStartArray("running");
        w.WriteEndArray();
        if (with.Contains("queued"))
        {
            w.WriteStartArray("queued");
            foreach (var segment in queued)
            {
                w.WriteStartObject();
                w.WriteString("optimizer", "indexing");
                w.WriteStartArray("segments");
                WriteSegment(w, segment);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        if (with.Contains("completed")) { w.WriteStartArray("completed"); w.WriteEndArray(); }
        if (with.Contains("idle_segments"))
        {
            w.WriteStartArray("idle_segments");
            foreach (var segment in segments) if (segment.Backlog == 0) WriteSegment(w, segment);
            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static void WriteSegment(Utf8JsonWriter w, SegmentState segment)
    {
        w.WriteStartObject();
        w.WriteString("uuid", segment.Uuid);
        w.WriteNumber("points_count", segment.Points);
        w.WriteEndObject();
    }

    /// <summary>A stable id for a shard's segment (segments have no id of their own here).</summary>
    private static Guid SegmentUuid(string collection, uint shardId) =>
        new(MD5.HashData(Encoding.UTF8.GetBytes($"{collection}/{shardId}")));
}

using System.Diagnostics;
using System.Reflection;
using AspireVector.Node.Collections;

namespace AspireVector.Node.Api.Rest;

/// <summary>Service endpoints: <c>GET /</c> (title, version), <c>GET /telemetry</c> and the (always empty) <c>/issues</c> (health endpoints come from ServiceDefaults).</summary>
public static class ServiceApi
{
    /// <summary>The node's version (assembly informational version without build metadata).</summary>
    public static string Version { get; } =
        (typeof(ServiceApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];

    /// <summary>The title <c>GET /</c> and gRPC's health check answer with.</summary>
    public const string Title = "aspirevector - vector search engine";

    /// <summary>Maps the service endpoints.</summary>
    public static IEndpointRouteBuilder MapServiceApi(this IEndpointRouteBuilder app)
    {
        // Qdrant answers GET / without the envelope.
        app.MapGet("/", () => Results.Json(new Dictionary<string, string> { ["title"] = Title, ["version"] = Version }));
        app.MapGet("/telemetry", (TableOfContents toc) =>
        {
            long t = Stopwatch.GetTimestamp();
            var collections = toc.Collections.ToArray();
            return QdrantResponse.Ok(t, w =>
            {
                w.WriteStartObject();
                w.WriteStartObject("app");
                w.WriteString("name", "aspirevector");
                w.WriteString("version", Version);
                w.WriteString("startup", toc.StartedAt);
                w.WriteNumber("uptime_sec", (DateTimeOffset.UtcNow - toc.StartedAt).TotalSeconds);
                w.WriteNumber("storage_load_ms", toc.LoadTime.TotalMilliseconds);
                w.WriteEndObject();
                w.WriteStartObject("collections");
                w.WriteNumber("number_of_collections", collections.Length);
                w.WriteStartArray("collections");
                foreach (var c in collections)
                {
                    w.WriteStartObject();
                    w.WriteString("id", c.Name);
                    w.WriteNumber("points_count", c.PointsCount);
                    w.WriteNumber("shards_count", c.Config.ShardIds.Count);
                    w.WriteNumber("wal_records_recovered", c.LocalShards.Sum(s => s.RecoveredRecords));
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteEndObject();
            });
        });
        // Qdrant's issue reporter (beta): this node raises none, so the report is always empty.
        app.MapGet("/issues", () => QdrantResponse.Ok(Stopwatch.GetTimestamp(), w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("issues");
            w.WriteEndArray();
            w.WriteEndObject();
        }));
        app.MapDelete("/issues", () => QdrantResponse.Ok(Stopwatch.GetTimestamp(), true));
        return app;
    }
}

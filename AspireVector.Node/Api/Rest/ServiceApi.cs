using System.Diagnostics;
using System.Reflection;
using AspireVector.Node.Collections;

namespace AspireVector.Node.Api.Rest;

/// <summary>Service endpoints: <c>GET /</c> (title, version), <c>GET /telemetry</c> (<see cref="TelemetryApi"/>) and the (always empty) <c>/issues</c> (health endpoints come from ServiceDefaults).</summary>
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
        app.MapTelemetryApi();
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

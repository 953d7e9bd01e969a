using System.Diagnostics;
using AspireVector.Node.Collections;
using AspireVector.Node.Storage;
using AspireVector.ServiceDefaults.Tracing;

namespace AspireVector.Node.Telemetry;

/// <summary>
/// The node's spans (source <c>AspireVector.Node</c>): a client span per shard call made by the coordinator,
/// and a server span for the remote peer's handling, joined into one trace by W3C <c>traceparent</c>.
/// </summary>
/// <example>
/// Coordinator: <c>using var span = NodeActivities.StartShardCall("search", collection, shardId, peerUri);
/// TraceContext.Inject(span, request.Headers);</c>. Remote peer: <c>using var span =
/// NodeActivities.StartRemoteHandling("search", httpContext.Request.Headers);</c>.
/// </example>
public static class NodeActivities
{
    /// <summary>The activity source name, matched by the tracer provider's <c>AspireVector.*</c> rule.</summary>
    public const string SourceName = "AspireVector.Node";

    /// <summary>The activity source every node span starts from.</summary>
    public static ActivitySource Source { get; } = new(SourceName);

    /// <summary>
    /// Starts a client span for one call to a shard replica, local or remote. Null when nobody listens.
    /// </summary>
    /// <param name="operation">What is asked of the shard, e.g. <c>search</c>, <c>upsert</c>.</param>
    /// <param name="collection">Collection name.</param>
    /// <param name="shardId">Shard id within the collection.</param>
    /// <param name="peerUri">The replica's P2P address; null for the local replica.</param>
    public static Activity? StartShardCall(string operation, string collection, uint shardId, string? peerUri)
    {
        var activity = Source.StartActivity("shard " + operation, peerUri is null ? ActivityKind.Internal : ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("qdrant.collection", collection);
            activity.SetTag("qdrant.shard_id", shardId);
            activity.SetTag("qdrant.operation", operation);
            if (peerUri is not null)
            {
                activity.SetTag("server.address", peerUri);
            }
        }

        return activity;
    }

    /// <summary>The <c>operation</c> of a shard call that reads (e.g. <c>search</c>); constant strings, no allocation.</summary>
    public static string OperationName(ShardReadKind kind) => kind switch
    {
        ShardReadKind.Search => "search",
        ShardReadKind.Scroll => "scroll",
        ShardReadKind.Count => "count",
        ShardReadKind.Retrieve => "retrieve",
        ShardReadKind.Recommend => "recommend",
        ShardReadKind.Facet => "facet",
        ShardReadKind.Discover => "discover",
        ShardReadKind.Context => "context",
        ShardReadKind.Sample => "sample",
        _ => "read",
    };

    /// <summary>The <c>operation</c> of a shard call that writes (e.g. <c>upsert</c>); constant strings, no allocation.</summary>
    public static string OperationName(ShardOperationKind kind) => kind switch
    {
        ShardOperationKind.Upsert => "upsert",
        ShardOperationKind.Delete => "delete",
        ShardOperationKind.SetPayload => "set_payload",
        ShardOperationKind.OverwritePayload => "overwrite_payload",
        ShardOperationKind.DeletePayload => "delete_payload",
        ShardOperationKind.ClearPayload => "clear_payload",
        ShardOperationKind.UpdateVectors => "update_vectors",
        ShardOperationKind.DeleteVectors => "delete_vectors",
        _ => "update",
    };

    /// <summary>Marks <paramref name="activity"/> failed with <paramref name="error"/> (no-op without a span).</summary>
    public static void Fail(Activity? activity, Exception error) =>
        activity?.SetStatus(ActivityStatusCode.Error, error.Message);

    /// <summary>
    /// Starts the server span of a peer handling a P2P call. Its parent is the caller's span, taken from
    /// <c>traceparent</c>, or the current span when ASP.NET Core hosting already extracted it.
    /// </summary>
    /// <param name="operation">The P2P method handled.</param>
    /// <param name="headers">Incoming request headers (gRPC metadata).</param>
    public static Activity? StartRemoteHandling(string operation, Microsoft.AspNetCore.Http.IHeaderDictionary headers)
    {
        var current = Activity.Current;
        if (TraceContext.TryExtract(headers, out var remote) && (current is null || current.TraceId != remote.TraceId))
        {
            return Source.StartActivity("p2p " + operation, ActivityKind.Server, remote);
        }

        return Source.StartActivity("p2p " + operation, ActivityKind.Server);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AspireVector.Node.Cluster;
using AspireVector.Node.Collections;

namespace AspireVector.Node.Api.Rest;

/// <summary>
/// Qdrant's <c>GET /cluster/telemetry?details_level=N&amp;timeout=S</c> (<c>cluster_telemetry</c>): the cluster's
/// view of peers, collections, shard replicas and transfers (see <see cref="DistributedTelemetry"/>).
/// </summary>
/// <remarks>
/// <c>details_level</c> is validated and otherwise has no effect: Qdrant raises it to at least 2 and nothing in this
/// view depends on a finer level. <c>timeout</c> (seconds, at least 1, default 60) bounds the wait for peers.
/// Authorization is <c>GET /cluster</c>'s: a global read or manage key.
/// </remarks>
public static class ClusterTelemetryApi
{
    /// <summary>Seconds Qdrant waits for peers by default.</summary>
    public const ulong DefaultTimeoutSeconds = 60;

    /// <summary>Maps <c>GET /cluster/telemetry</c>.</summary>
    public static IEndpointRouteBuilder MapClusterTelemetryApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/cluster/telemetry", async (HttpContext ctx, TableOfContents toc) =>
        {
            long t = Stopwatch.GetTimestamp();
            QueryParameters.ReadUnsigned(ctx.Request.Query, "details_level", uint.MaxValue);
            ulong timeout = QueryParameters.ReadUnsigned(ctx.Request.Query, "timeout", ulong.MaxValue) ?? DefaultTimeoutSeconds;
            if (timeout < 1)
                throw QueryParameters.ValidationError($"timeout: value {timeout} invalid, must be 1 or larger");

            var telemetry = ctx.RequestServices.GetService<DistributedTelemetry>();
            var data = telemetry is null
                ? DistributedTelemetry.Standalone(toc)
                : await telemetry.CollectAsync(TimeSpan.FromSeconds(Math.Min(timeout, (ulong)TimeSpan.FromDays(1).TotalSeconds)), ctx.RequestAborted);
            return QdrantResponse.Ok(t, w => Write(w, data));
        });
        return app;
    }

    private static void Write(Utf8JsonWriter w, DistributedTelemetryData data)
    {
        w.WriteStartObject();
        w.WriteStartObject("collections");
        foreach (var collection in data.Collections)
        {
            w.WriteStartObject(collection.Id);
            w.WriteString("id", collection.Id);
            w.WriteStartArray("shards");
            foreach (var shard in collection.Shards)
            {
                w.WriteStartObject();
                w.WriteNumber("id", shard.Id);
                w.WriteStartArray("replicas");
                foreach (var replica in shard.Replicas) WriteReplica(w, replica);
                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            // Qdrant leaves the list out when no transfer is in flight.
            if (collection.Transfers.Count > 0)
            {
                w.WriteStartArray("shard_transfers");
                foreach (var transfer in collection.Transfers) WriteTransfer(w, transfer);
                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
        WriteCluster(w, data.Cluster);
        w.WriteEndObject();
    }

    private static void WriteReplica(Utf8JsonWriter w, DistributedTelemetryData.ReplicaEntry replica)
    {
        w.WriteStartObject();
        w.WriteNumber("peer_id", replica.PeerId);
        w.WriteString("state", replica.State.ToString());
        if (replica.Figures is { } f)
        {
            w.WriteString("status", f.Status);
            w.WriteNumber("total_optimized_points", f.TotalOptimizedPoints);
            w.WriteNumber("vectors_size_bytes", f.Size.VectorsSizeBytes);
            w.WriteNumber("payloads_size_bytes", f.Size.PayloadsSizeBytes);
            w.WriteNumber("num_points", f.Size.NumPoints);
            w.WriteNumber("num_vectors", f.Size.NumVectors);
            w.WriteStartObject("num_vectors_by_name");
            foreach (var (name, count) in f.Size.NumVectorsByName) w.WriteNumber(name, count);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteTransfer(Utf8JsonWriter w, ShardTransferInfo t)
    {
        w.WriteStartObject();
        w.WriteNumber("shard_id", t.ShardId);
        w.WriteNumber("from", t.From);
        w.WriteNumber("to", t.To);
        w.WriteBoolean("sync", t.Sync);
        w.WriteString("method", t.Method);
        if (t.Comment is not null) w.WriteString("comment", t.Comment);
        w.WriteEndObject();
    }

    private static void WriteCluster(Utf8JsonWriter w, DistributedTelemetryData.ClusterEntry cluster)
    {
        w.WriteStartObject("cluster");
        w.WriteBoolean("enabled", cluster.Enabled);
        if (cluster.NumberOfPeers is { } n) w.WriteNumber("number_of_peers", n); else w.WriteNull("number_of_peers");
        w.WriteStartObject("peers");
        foreach (var peer in cluster.Peers)
        {
            w.WriteStartObject(peer.PeerId.ToString(CultureInfo.InvariantCulture));
            w.WriteString("uri", peer.Uri);
            w.WriteBoolean("responsive", peer.Details is not null);
            if (peer.Details is { } d)
            {
                w.WriteStartObject("details");
                w.WriteString("version", d.Version);
                w.WriteString("role", d.Role.ToString());
                w.WriteBoolean("is_voter", d.IsVoter);
                w.WriteNumber("term", d.Term);
                w.WriteNumber("commit", d.Commit);
                w.WriteNumber("num_pending_operations", d.PendingOperations);
                w.WritePropertyName("consensus_thread_status");
                ConsensusThreadStatusJson.Write(w, d.ThreadState, d.LastUpdate, d.Error);
                w.WriteEndObject();
            }
            else w.WriteNull("details");

            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }
}

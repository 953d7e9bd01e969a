using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AspireVector.Node.Cluster;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;

namespace AspireVector.Node.Api.Rest;

/// <summary>
/// <c>GET /telemetry</c> in Qdrant's <c>TelemetryData</c> shape, by <c>details_level</c> as Qdrant does: level 0 gives the
/// process id, the app and the number of collections; level 1 adds each collection's aggregate (vectors, optimizer
/// status, params) and the cluster status; level 2 and up give each collection in full (config and every shard with
/// its local figures, remote replicas and replica states) and the cluster's config and peers.
/// </summary>
public static class TelemetryApi
{
    /// <summary>This process's id, as Qdrant's (a random UUID per start).</summary>
    public static string ProcessId { get; } = Guid.NewGuid().ToString();

    /// <summary>Maps <c>GET /telemetry</c>.</summary>
    public static IEndpointRouteBuilder MapTelemetryApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/telemetry", (HttpContext ctx, TableOfContents toc, NodeOptions options, Snapshots.CollectionSnapshots snapshots) =>
        {
            long t = Stopwatch.GetTimestamp();
            var query = ctx.Request.Query;
            QueryParameters.ReadBool(query, "anonymize");
            QueryParameters.ReadUnsigned(query, "timeout", ulong.MaxValue);
            int level = (int)Math.Min(QueryParameters.ReadUnsigned(query, "details_level", ulong.MaxValue) ?? 0, 10);
            var cluster = ctx.RequestServices.GetService<ClusterNode>();
            var collections = toc.Collections.OrderBy(c => c.Name, StringComparer.Ordinal).ToArray();
            return QdrantResponse.Ok(t, w =>
            {
                w.WriteStartObject();
                w.WriteString("id", ProcessId);
                WriteApp(w, toc, level);
                WriteCollections(w, collections, options, cluster, snapshots.PeerId, level);
                WriteCluster(w, cluster, options, level);
                w.WriteEndObject();
            });
        });
        return app;
    }

    private static void WriteApp(Utf8JsonWriter w, TableOfContents toc, int level)
    {
        w.WriteStartObject("app");
        w.WriteString("name", "aspirevector");
        w.WriteString("version", ServiceApi.Version);
        if (level >= 1)
        {
            w.WriteStartObject("system");
            w.WriteString("distribution", Environment.OSVersion.Platform.ToString());
            w.WriteString("distribution_version", Environment.OSVersion.VersionString);
            w.WriteBoolean("is_docker", File.Exists("/.dockerenv"));
            w.WriteNumber("cores", Environment.ProcessorCount);
            w.WriteString("cpu_flags", CpuFlags());
            w.WriteString("cpu_endian", BitConverter.IsLittleEndian ? "little" : "big");
            w.WriteEndObject();
        }

        w.WriteString("startup", toc.StartedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
        w.WriteEndObject();
    }

    /// <param name="self">This peer's id (in single-node mode, the instance id its snapshots are named after).</param>
    private static void WriteCollections(Utf8JsonWriter w, Collection[] collections, NodeOptions options, ClusterNode? cluster, ulong self, int level)
    {
        w.WriteStartObject("collections");
        w.WriteNumber("number_of_collections", collections.Length);
        w.WriteNumber("max_collections", options.Storage.MaxCollections);
        if (level >= 1)
        {
            w.WriteStartArray("collections");
            foreach (var c in collections)
            {
                if (level >= 2) WriteFullCollection(w, c, cluster is not null, self);
                else WriteAggregatedCollection(w, c);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static void WriteAggregatedCollection(Utf8JsonWriter w, Collection c)
    {
        w.WriteStartObject();
        w.WriteNumber("vectors", c.LocalShards.Sum(s => (long)s.Segment.PointCount * c.Config.VectorNames.Count()));
        w.WriteString("optimizers_status", "ok");
        w.WritePropertyName("params");
        c.Config.WriteParams(w);

        w.WriteEndObject();
    }

    private static void WriteFullCollection(Utf8JsonWriter w, Collection c, bool clustered, ulong self)
    {
        w.WriteStartObject();
        w.WriteString("id", c.Name);
        w.WritePropertyName("config");
        c.Config.WriteInfoConfig(w);
        w.WriteStartArray("shards");
        for (uint shardId = 0; shardId < c.ShardCount; shardId++)
        {
            var local = c.LocalShard(shardId);
            var replicas = c.Replicas?.ReplicasOf(c.Name, shardId) ?? [];
            if (local is null && replicas.Count == 0) continue;
            w.WriteStartObject();
            w.WriteNumber("id", shardId);
            w.WritePropertyName("key");
            if (c.Config.KeyOf(shardId) is { } key) key.WriteTo(w); else w.WriteNullValue();
            if (local is null) w.WriteNull("local");
            else
            {
                w.WriteStartObject("local");
                w.WriteString("variant_name", "local");
                w.WriteString("status", "green");
                w.WriteNumber("total_optimized_points", 0);
                w.WriteNumber("num_points", local.Segment.PointCount);
                w.WriteNumber("num_vectors", (long)local.Segment.PointCount * c.Config.VectorNames.Count());
                w.WriteEndObject();
            }

            w.WriteStartArray("remote");
            foreach (var r in replicas.Where(r => r.PeerId != self))
            {
                w.WriteStartObject();
                w.WriteNumber("shard_id", shardId);
                w.WriteNumber("peer_id", r.PeerId);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("replicate_states");
            if (!clustered) w.WriteString(self.ToString(CultureInfo.InvariantCulture), "Active");
            foreach (var r in replicas) w.WriteString(r.PeerId.ToString(CultureInfo.InvariantCulture), r.State.ToString());
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("transfers");
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteCluster(Utf8JsonWriter w, ClusterNode? cluster, NodeOptions options, int level)
    {
        w.WriteStartObject("cluster");
        w.WriteBoolean("enabled", cluster is not null);
        if (cluster is not null && level >= 1)
        {
            var status = cluster.Status;
            var state = cluster.Metadata.Current;
            w.WriteStartObject("status");
            w.WriteNumber("number_of_peers", state.Peers.Count);
            w.WriteNumber("term", status.Term);
            w.WriteNumber("commit", status.Commit);
            w.WriteNumber("pending_operations", status.PendingOperations);
            w.WriteString("role", status.Role.ToString());
            w.WriteBoolean("is_voter", status.IsVoter);
            w.WriteNumber("peer_id", cluster.PeerId);
            w.WritePropertyName("consensus_thread_status");
            ConsensusThreadStatusJson.Write(w, status.ThreadState, status.LastUpdate, status.Error);
            w.WriteEndObject();
            if (level >= 2)
            {
                w.WriteStartObject("config");
                w.WriteNumber("grpc_timeout_ms", options.Cluster.GrpcTimeoutMs);
                w.WriteStartObject("p2p");
                w.WriteNumber("connection_pool_size", options.Cluster.P2pConnectionPoolSize);
                w.WriteEndObject();
                w.WriteStartObject("consensus");
                w.WriteNumber("max_message_queue_size", options.Cluster.MaxMessageQueueSize);
                w.WriteNumber("tick_period_ms", options.Cluster.TickPeriodMs);
                w.WriteNumber("bootstrap_timeout_sec", options.Cluster.BootstrapTimeoutSec);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteStartObject("peers");
                foreach (var (id, uri) in state.Peers)
                {
                    w.WriteStartObject(id.ToString(CultureInfo.InvariantCulture));
                    w.WriteString("uri", uri);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }
        }

        w.WriteEndObject();
    }

    private static string CpuFlags()
    {
        var flags = new List<string>();
        if (System.Runtime.Intrinsics.X86.Sse.IsSupported) flags.Add("sse");
        if (System.Runtime.Intrinsics.X86.Sse2.IsSupported) flags.Add("sse2");
        if (System.Runtime.Intrinsics.X86.Avx.IsSupported) flags.Add("avx");
        if (System.Runtime.Intrinsics.X86.Avx2.IsSupported) flags.Add("avx2");
        if (System.Runtime.Intrinsics.X86.Fma.IsSupported) flags.Add("fma");
        if (System.Runtime.Intrinsics.X86.Avx512F.IsSupported) flags.Add("avx512f");
        if (System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported) flags.Add("neon");
        return string.Join(",", flags);
    }
}

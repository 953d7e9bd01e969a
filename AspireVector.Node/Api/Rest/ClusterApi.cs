using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AspireVector.Node.Cluster;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;

namespace AspireVector.Node.Api.Rest;

/// <summary>
/// Qdrant's cluster endpoints: <c>GET /cluster</c>, <c>DELETE /cluster/peer/{id}</c>, <c>POST /cluster/recover</c>
/// and the per-collection <c>GET|POST /collections/{name}/cluster</c>.
/// </summary>
public static class ClusterApi
{
    /// <summary>Maps the cluster endpoints.</summary>
    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/cluster", (HttpContext ctx) =>
        {
            long t = Stopwatch.GetTimestamp();
            var node = ctx.RequestServices.GetService<ClusterNode>();
            return QdrantResponse.Ok(t, w =>
            {
                if (node is null)
                {
                    w.WriteStartObject();
                    w.WriteString("status", "disabled");
                    w.WriteEndObject();
                }
                else WriteCluster(w, node);
            });
        });
        app.MapDelete("/cluster/peer/{peerId}", async (string peerId, HttpContext ctx) =>
        {
            long t = Stopwatch.GetTimestamp();
            var node = RequireCluster(ctx);
            if (!ulong.TryParse(peerId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                throw new CollectionException(400, $"Validation error in path parameters: [peer_id: `{peerId}` is not a peer id]");
            bool force = QueryParameters.ReadBool(ctx.Request.Query, "force") ?? false;
            await node.RemovePeerAsync(id, force, ctx.RequestAborted);
            return QdrantResponse.Ok(t, true);
        });
        app.MapPost("/cluster/recover", async (HttpContext ctx) =>
        {
            long t = Stopwatch.GetTimestamp();
            RequireCluster(ctx);
            await ctx.RequestServices.GetRequiredService<ClusterCollections>().RecoverAsync(ctx.RequestAborted);
            return QdrantResponse.Ok(t, true);
        });
        app.MapGet("/collections/{name}/cluster", (string name, HttpContext ctx, TableOfContents toc) =>
        {
            long t = Stopwatch.GetTimestamp();
            var c = toc.Get(name);
            var node = ctx.RequestServices.GetService<ClusterNode>();
            var cluster = ctx.RequestServices.GetService<ClusterCollections>();
            return QdrantResponse.Ok(t, w => WriteCollectionCluster(w, c, node, cluster));
        });
        app.MapPost("/collections/{name}/cluster", async (string name, HttpContext ctx, NodeOptions options) =>
        {
            long t = Stopwatch.GetTimestamp();
            var node = RequireCluster(ctx);
            var cluster = ctx.RequestServices.GetRequiredService<ClusterCollections>();
            if (node.Metadata.Current.Aliases.TryGetValue(name, out var aliased)) name = aliased;
            if (!node.Metadata.Current.Collections.ContainsKey(name)) throw CollectionException.NotFound(name);
            using var body = await RequestBody.ReadAsync(ctx, options);
            await ClusterOperations.RunAsync(name, body.RootElement, node, cluster, ctx.RequestAborted);
            return QdrantResponse.Ok(t, true);
        });
        return app;
    }

    private static ClusterNode RequireCluster(HttpContext ctx) =>
        ctx.RequestServices.GetService<ClusterNode>() ?? throw new CollectionException(400, "Bad request: Distributed mode disabled");

    private static void WriteCluster(Utf8JsonWriter w, ClusterNode node)
    {
        var status = node.Status;
        var state = node.Metadata.Current;
        w.WriteStartObject();
        w.WriteString("status", "enabled");
        w.WriteNumber("peer_id", node.PeerId);
        w.WriteStartObject("peers");
        foreach (var (id, uri) in state.Peers)
        {
            w.WriteStartObject(id.ToString(CultureInfo.InvariantCulture));
            w.WriteString("uri", uri);
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteStartObject("raft_info");
        w.WriteNumber("term", status.Term);
        w.WriteNumber("commit", status.Commit);
        w.WriteNumber("pending_operations", status.PendingOperations);
        if (status.Leader == 0) w.WriteNull("leader"); else w.WriteNumber("leader", status.Leader);
        w.WriteString("role", status.Role.ToString());
        w.WriteBoolean("is_voter", status.IsVoter);
        w.WriteEndObject();
        w.WritePropertyName("consensus_thread_status");
        ConsensusThreadStatusJson.Write(w, status.ThreadState, status.LastUpdate, status.Error);
        w.WriteStartObject("message_send_failures");
        foreach (var (uri, errors) in node.SendFailures.Snapshot())
        {
            w.WriteStartObject(uri);
            w.WriteNumber("count", errors.Count);
            if (errors.LatestError is null) w.WriteNull("latest_error"); else w.WriteString("latest_error", errors.LatestError);
            if (errors.LatestErrorTimestamp is { } ts) w.WriteString("latest_error_timestamp", ConsensusThreadStatusJson.Timestamp(ts));
            else w.WriteNull("latest_error_timestamp");
            w.WriteEndObject();
        }

        w.WriteEndObject();
        // Ours, beside Qdrant's fields: green (all replicas active), yellow (some not active, data readable), red.
        string health = "green";
        foreach (var c in state.Collections.Values)
        {
            var h = CollectionInfo.Health(c);
            if (h == "red") { health = "red"; break; }
            if (h == "yellow") health = "yellow";
        }

        w.WriteString("health", health);
        w.WriteEndObject();
    }

    /// <summary>A custom-sharded shard's <c>shard_key</c> (left out for auto sharding, as Qdrant does).</summary>
    private static void WriteShardKey(Utf8JsonWriter w, Sharding.ShardKey? key)
    {
        if (key is not { } k) return;
        w.WritePropertyName("shard_key");
        k.WriteTo(w);
    }

    private static void WriteCollectionCluster(Utf8JsonWriter w, Collection c, ClusterNode? node, ClusterCollections? cluster)
    {
        var view = CollectionClusterView.Read(c, node, cluster);
        w.WriteStartObject();
        w.WriteNumber("peer_id", view.PeerId);
        w.WriteNumber("shard_count", view.ShardCount);
        w.WriteStartArray("local_shards");
        foreach (var local in view.LocalShards)
        {
            w.WriteStartObject();
            w.WriteNumber("shard_id", local.ShardId);
            WriteShardKey(w, local.ShardKey);
            w.WriteNumber("points_count", local.PointsCount);
            w.WriteString("state", local.State.ToString());
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("remote_shards");
        foreach (var remote in view.RemoteShards)
        {
            w.WriteStartObject();
            w.WriteNumber("shard_id", remote.ShardId);
            WriteShardKey(w, remote.ShardKey);
            w.WriteNumber("peer_id", remote.PeerId);
            w.WriteString("state", remote.State.ToString());
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("shard_transfers");
        foreach (var (t, comment) in view.Transfers)
        {
            w.WriteStartObject();
            w.WriteNumber("shard_id", t.ShardId);
            w.WriteNumber("from", t.From);
            w.WriteNumber("to", t.To);
            w.WriteBoolean("sync", t.Sync);
            w.WriteString("method", t.Method);
            if (comment is not null) w.WriteString("comment", comment);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}

using System.Diagnostics;
using System.Text.Json;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using AspireVector.Node.Snapshots;

namespace AspireVector.Node.Api.Rest;

/// <summary>
/// Qdrant's snapshot endpoints: collection snapshots (<c>/collections/{name}/snapshots</c>), full storage snapshots
/// (<c>/snapshots</c>) and shard snapshots (<c>/collections/{name}/shards/{shard_id}/snapshots</c>): create, list,
/// download, delete, recover from a location, recover from an upload.
/// </summary>
public static partial class SnapshotsApi
{
    /// <summary>Maps the snapshot endpoints.</summary>
    public static IEndpointRouteBuilder MapSnapshotsApi(this IEndpointRouteBuilder app)
    {
        // Created now, before transfers can run: creating the store empties the scratch folder they also use.
        app.ServiceProvider.GetRequiredService<SnapshotStore>();
        MapCollectionSnapshots(app);
        MapShardSnapshots(app);
        MapFullSnapshots(app);
        return app;
    }

    private static void MapCollectionSnapshots(IEndpointRouteBuilder app)
    {
        const string Base = "/collections/{name}/snapshots";
        app.MapPost(Base, (string name, HttpContext ctx, CollectionSnapshots snapshots) =>
            RunAsync(ctx, ct => snapshots.CreateAsync(name, ct), (w, d) => d.Write(w)));
        app.MapGet(Base, (string name, TableOfContents toc, CollectionSnapshots snapshots) =>
        {
            toc.Get(name);
            return List(snapshots.Store.List(snapshots.Store.CollectionDirectory(name)));
        });
        app.MapGet(Base + "/{snapshot_name}", (string name, string snapshot_name, TableOfContents toc, CollectionSnapshots snapshots) =>
        {
            toc.Get(name);
            return Download(snapshots.Store.Find(snapshots.Store.CollectionDirectory(name), snapshot_name));
        });
        app.MapDelete(Base + "/{snapshot_name}", (string name, string snapshot_name, HttpContext ctx, CollectionSnapshots snapshots) =>
            Delete(ctx, snapshots.Store, snapshots.Store.CollectionDirectory(name), snapshot_name));
        app.MapPut(Base + "/recover", async (string name, HttpContext ctx, NodeOptions options, CollectionSnapshots snapshots) =>
        {
            CollectionName.Validate(name);
            var request = await SnapshotRequests.ReadRecoverAsync(ctx, options);
            return await RecoverAsync(ctx, snapshots, request, (file, ct) => snapshots.RecoverAsync(name, file, request.Priority, ct));
        });
        app.MapPost(Base + "/upload", async (string name, HttpContext ctx, CollectionSnapshots snapshots) =>
        {
            CollectionName.Validate(name);
            return await UploadAsync(ctx, snapshots, (file, priority, ct) => snapshots.RecoverAsync(name, file, priority, ct));
        });
    }

    private static void MapShardSnapshots(IEndpointRouteBuilder app)
    {
        const string Base = "/collections/{name}/shards/{shard_id}/snapshots";
        app.MapPost(Base, (string name, string shard_id, HttpContext ctx, CollectionSnapshots snapshots) =>
        {
            uint shard = SnapshotRequests.ShardId(shard_id);
            return RunAsync(ctx, ct => snapshots.CreateShardAsync(name, shard, ct), (w, d) => d.Write(w));
        });
        app.MapGet(Base, (string name, string shard_id, CollectionSnapshots snapshots) =>
            List(snapshots.Store.List(ShardDirectory(snapshots, name, shard_id))));
        app.MapGet(Base + "/{snapshot_name}", (string name, string shard_id, string snapshot_name, CollectionSnapshots snapshots) =>
            Download(snapshots.Store.Find(ShardDirectory(snapshots, name, shard_id), snapshot_name)));
        app.MapDelete(Base + "/{snapshot_name}", (string name, string shard_id, string snapshot_name, HttpContext ctx, CollectionSnapshots snapshots) =>
            Delete(ctx, snapshots.Store, ShardDirectory(snapshots, name, shard_id), snapshot_name));
        app.MapPut(Base + "/recover", async (string name, string shard_id, HttpContext ctx, NodeOptions options, CollectionSnapshots snapshots) =>
        {
            uint shard = SnapshotRequests.ShardId(shard_id);
            var request = await SnapshotRequests.ReadRecoverAsync(ctx, options);
            return await RecoverAsync(ctx, snapshots, request, (file, ct) => snapshots.RecoverShardAsync(name, shard, file, request.Priority, ct));
        });
        app.MapPost(Base + "/upload", async (string name, string shard_id, HttpContext ctx, CollectionSnapshots snapshots) =>
        {
            uint shard = SnapshotRequests.ShardId(shard_id);
            return await UploadAsync(ctx, snapshots, (file, priority, ct) => snapshots.RecoverShardAsync(name, shard, file, priority, ct));
        });
        // A fresh shard snapshot streamed straight to the client, nothing kept on disk.
        app.MapGet("/collections/{name}/shards/{shard_id}/snapshot", async (string name, string shard_id, HttpContext ctx, CollectionSnapshots snapshots) =>
        {
            var shard = snapshots.LocalShardOf(name, SnapshotRequests.ShardId(shard_id));
            ctx.Response.ContentType = "application/octet-stream";
            await snapshots.WriteShardAsync(shard, ctx.Response.Body, ctx.RequestAborted);
        });
    }

    private static void MapFullSnapshots(IEndpointRouteBuilder app)
    {
        app.MapPost("/snapshots", (HttpContext ctx, CollectionSnapshots snapshots) =>
            RunAsync(ctx, snapshots.CreateFullAsync, (w, d) => d.Write(w)));
        app.MapGet("/snapshots", (CollectionSnapshots snapshots) => List(snapshots.Store.List(snapshots.Store.FullDirectory)));
        app.MapGet("/snapshots/{snapshot_name}", (string snapshot_name, CollectionSnapshots snapshots) =>
            Download(snapshots.Store.Find(snapshots.Store.FullDirectory, snapshot_name)));
        app.MapDelete("/snapshots/{snapshot_name}", (string snapshot_name, HttpContext ctx, CollectionSnapshots snapshots) =>
            Delete(ctx, snapshots.Store, snapshots.Store.FullDirectory, snapshot_name));
    }

    private static string ShardDirectory(CollectionSnapshots snapshots, string name, string shardId) =>
        snapshots.Store.ShardDirectory(name, SnapshotRequests.ShardId(shardId));

    private static IResult List(IReadOnlyList<SnapshotDescription> list)
    {
        long t = Stopwatch.GetTimestamp();
        return QdrantResponse.Ok(t, w =>
        {
            w.WriteStartArray();
            foreach (var d in list) d.Write(w);
            w.WriteEndArray();
        });
    }

    private static IResult Download(string path) =>
        Results.File(path, "application/octet-stream", Path.GetFileName(path));

    private static IResult Delete(HttpContext ctx, SnapshotStore store, string directory, string name)
    {
        long t = Stopwatch.GetTimestamp();
        SnapshotRequests.Wait(ctx);
        store.Delete(directory, name);
        return QdrantResponse.Ok(t, true);
    }

    private static Task<IResult> RecoverAsync(HttpContext ctx, CollectionSnapshots snapshots, SnapshotRequests.Recover request, Func<string, CancellationToken, Task> recover) =>
        RunAsync(ctx, async ct =>
        {
            var http = ctx.RequestServices.GetRequiredService<SnapshotHttpClient>().Client;
            var (file, owned) = await SnapshotSource.FetchAsync(request.Location, request.ApiKey, snapshots.Store, http, ct);
            try
            {
                await SnapshotSource.VerifyChecksumAsync(file, request.Checksum, ct);
                await recover(file, ct);
                return true;
            }
            finally { SnapshotSource.Discard(file, owned); }
        }, (w, r) => w.WriteBooleanValue(r));

    private static async Task<IResult> UploadAsync(HttpContext ctx, CollectionSnapshots snapshots, Func<string, string?, CancellationToken, Task> recover)
    {
        string? priority = SnapshotRequests.Priority(ctx.Request.Query.TryGetValue("priority", out var p) ? p.ToString() : null);
        string? checksum = ctx.Request.Query.TryGetValue("checksum", out var c) ? c.ToString() : null;
        SnapshotRequests.Wait(ctx);
        string file = await SnapshotRequests.ReceiveUploadAsync(ctx, snapshots.Store);
        try
        {
            await SnapshotSource.VerifyChecksumAsync(file, checksum, ctx.RequestAborted);
        }
        catch
        {
            SnapshotSource.Discard(file, owned: true);
            throw;
        }

        return await RunAsync(ctx, async ct =>
        {
            try
            {
                await recover(file, priority, ct);
                return true;
            }
            finally { SnapshotSource.Discard(file, owned: true); }
        }, (w, r) => w.WriteBooleanValue(r));
    }

    /// <summary>
    /// Runs <paramref name="operation"/> and answers its result, or with <c>?wait=false</c> starts it in the background
    /// and answers 202 at once (failures are then logged).
    /// </summary>
    private static async Task<IResult> RunAsync<T>(HttpContext ctx, Func<CancellationToken, Task<T>> operation, Action<Utf8JsonWriter, T> write)
    {
        long t = Stopwatch.GetTimestamp();
        if (SnapshotRequests.Wait(ctx))
        {
            var result = await operation(ctx.RequestAborted);
            return QdrantResponse.Ok(t, w => write(w, result));
        }

        var logger = ctx.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SnapshotsApi));
        string path = ctx.Request.Path;
        _ = Task.Run(async () =>
        {
            try { await operation(CancellationToken.None); }
            catch (Exception e) { LogBackgroundFailure(logger, e, path); }
        });
        return new AcceptedResponse(t);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot operation {Path} (wait=false) failed")]
    private static partial void LogBackgroundFailure(ILogger logger, Exception e, string path);
}

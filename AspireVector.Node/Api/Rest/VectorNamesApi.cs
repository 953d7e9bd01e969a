using System.Diagnostics;
using System.Text.Json;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using AspireVector.Node.Storage;

namespace AspireVector.Node.Api.Rest;

/// <summary>
/// Qdrant's named vector endpoints: <c>PUT /collections/{c}/vectors/{v}</c> adds a vector to an existing collection (its
/// points simply lack it), <c>DELETE</c> removes one from the config and from every point. Both are collection config
/// changes: agreed through consensus in cluster mode and applied on every replica.
/// </summary>
public static class VectorNamesApi
{
    /// <summary>Maps the named vector endpoints.</summary>
    public static IEndpointRouteBuilder MapVectorNamesApi(this IEndpointRouteBuilder app)
    {
        app.MapPut("/collections/{name}/vectors/{vector}", async (string name, string vector, HttpContext ctx, TableOfContents toc, ICollectionMetaOperations meta, NodeOptions options) =>
        {
            long t = Stopwatch.GetTimestamp();
            name = toc.Get(name).Name; // an alias names its collection
            bool wait = UpdateParams.Wait(ctx);
            using var body = await RequestBody.ReadAsync(ctx, options);
            await CreateAsync(name, vector, body.RootElement, toc, meta, options, ctx.RequestAborted);
            return QdrantResponse.Ok(t, w => PointWriter.WriteUpdate(w, new UpdateResult(0, wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged)));
        });
        app.MapDelete("/collections/{name}/vectors/{vector}", async (string name, string vector, HttpContext ctx, TableOfContents toc, ICollectionMetaOperations meta) =>
        {
            long t = Stopwatch.GetTimestamp();
            name = toc.Get(name).Name;
            bool wait = UpdateParams.Wait(ctx);
            await DeleteAsync(name, vector, toc, meta, ctx.RequestAborted);
            return QdrantResponse.Ok(t, w => PointWriter.WriteUpdate(w, new UpdateResult(0, wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged)));
        });
        return app;
    }

    /// <summary>Adds vector <paramref name="vector"/> from a <c>VectorNameConfig</c> body (REST's, or gRPC's converted to it).</summary>
    public static async Task CreateAsync(string name, string vector, JsonElement body, TableOfContents toc, ICollectionMetaOperations meta, NodeOptions options, CancellationToken cancellationToken)
    {
        var current = toc.Get(name).Config;
        var updated = current.WithVectorAdded(vector, body); // refuse a bad body before proposing it
        int size = updated.HasNamedVectors && !updated.IsSparse(vector) ? updated.Vector(vector).Size : 0;
        if (size > options.Storage.MaxVectorDimension)
            throw CollectionException.Validation("dense.size", $"value {size} invalid, must be from 1 to {options.Storage.MaxVectorDimension}");
        if (SameVectors(current, updated)) return; // the same vector again: nothing to agree on
        await meta.UpdateConfigAsync(name, c => c.WithVectorAdded(vector, body), cancellationToken);
    }

    /// <summary>Deletes vector <paramref name="vector"/> from the collection and its points (an unknown name: nothing to do).</summary>
    public static async Task DeleteAsync(string name, string vector, TableOfContents toc, ICollectionMetaOperations meta, CancellationToken cancellationToken)
    {
        var current = toc.Get(name).Config;
        var updated = current.WithVectorRemoved(vector);
        if (SameVectors(current, updated)) return;
        await meta.UpdateConfigAsync(name, c => c.WithVectorRemoved(vector), cancellationToken);
    }

    private static bool SameVectors(CollectionConfig a, CollectionConfig b) => a.ToPersistedJson().AsSpan().SequenceEqual(b.ToPersistedJson());
}

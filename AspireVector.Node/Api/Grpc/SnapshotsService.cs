using AspireVector.Node.Api.Security;
using AspireVector.Node.Collections;
using AspireVector.Node.Snapshots;
using Google.Protobuf.WellKnownTypes;
using Q = Qdrant.Client.Grpc;

namespace AspireVector.Node.Api.Grpc;

/// <summary>
/// <c>qdrant.Snapshots</c>: collection and full snapshots created, listed and deleted through the same
/// <see cref="CollectionSnapshots"/> and <see cref="SnapshotStore"/> calls as REST's <c>SnapshotsApi</c>, with the same
/// access rules (collection snapshots: read access to list, the full key to create or delete; full snapshots: the full
/// key for everything). Downloads and recovery have no gRPC method in Qdrant: they stay on REST.
/// </summary>
public static class SnapshotsService
{
    private const string Service = "qdrant.Snapshots";

    /// <summary>Maps the snapshot methods.</summary>
    public static QdrantGrpcMethods MapSnapshotsService(this QdrantGrpcMethods methods, IServiceProvider services)
    {
        var toc = services.GetRequiredService<TableOfContents>();
        // Resolved at the first call, as the store empties its scratch folder when it is created.
        var snapshots = new Lazy<CollectionSnapshots>(services.GetRequiredService<CollectionSnapshots>);
        var everything = new RestOperation(OperationKind.Manage, null);

        methods.Unary<Q.CreateSnapshotRequest, Q.CreateSnapshotResponse>(Service, "Create", r => CollectionsService.Manage(r.CollectionName), async (r, ct) =>
            new Q.CreateSnapshotResponse { SnapshotDescription = Description(await snapshots.Value.CreateAsync(r.CollectionName, ct).ConfigureAwait(false)) });
        methods.Unary<Q.ListSnapshotsRequest, Q.ListSnapshotsResponse>(Service, "List", r => CollectionsService.Read(r.CollectionName), (r, _) =>
        {
            toc.Get(r.CollectionName);
            var store = snapshots.Value.Store;
            return Task.FromResult(List(store.List(store.CollectionDirectory(r.CollectionName))));
        });
        methods.Unary<Q.DeleteSnapshotRequest, Q.DeleteSnapshotResponse>(Service, "Delete", r => CollectionsService.Manage(r.CollectionName), (r, _) =>
        {
            var store = snapshots.Value.Store;
            store.Delete(store.CollectionDirectory(r.CollectionName), r.SnapshotName);
            return Task.FromResult(new Q.DeleteSnapshotResponse());
        });
        methods.Unary<Q.CreateFullSnapshotRequest, Q.CreateSnapshotResponse>(Service, "CreateFull", _ => everything, async (_, ct) =>
            new Q.CreateSnapshotResponse { SnapshotDescription = Description(await snapshots.Value.CreateFullAsync(ct).ConfigureAwait(false)) });
        methods.Unary<Q.ListFullSnapshotsRequest, Q.ListSnapshotsResponse>(Service, "ListFull", _ => everything, (_, _) =>
            Task.FromResult(List(snapshots.Value.Store.List(snapshots.Value.Store.FullDirectory))));
        methods.Unary<Q.DeleteFullSnapshotRequest, Q.DeleteSnapshotResponse>(Service, "DeleteFull", _ => everything, (r, _) =>
        {
            snapshots.Value.Store.Delete(snapshots.Value.Store.FullDirectory, r.SnapshotName);
            return Task.FromResult(new Q.DeleteSnapshotResponse());
        });
        return methods;
    }

    private static Q.ListSnapshotsResponse List(IReadOnlyList<SnapshotDescription> list)
    {
        var response = new Q.ListSnapshotsResponse();
        foreach (var d in list) response.SnapshotDescriptions.Add(Description(d));
        return response;
    }

    private static Q.SnapshotDescription Description(SnapshotDescription d)
    {
        var description = new Q.SnapshotDescription
        {
            Name = d.Name,
            CreationTime = Timestamp.FromDateTime(DateTime.SpecifyKind(d.CreationTime, DateTimeKind.Utc)),
            Size = d.Size,
        };
        if (d.Checksum is { } checksum) description.Checksum = checksum;
        return description;
    }
}

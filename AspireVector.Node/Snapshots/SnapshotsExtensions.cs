using AspireVector.Node.Cluster;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AspireVector.Node.Snapshots;

/// <summary>Composition of the snapshot store and its operations.</summary>
public static class SnapshotsExtensions
{
    /// <summary>
    /// Registers <see cref="SnapshotStore"/>, <see cref="CollectionSnapshots"/> (named after the cluster's peer id, or in
    /// single-node mode an instance id kept in <c>storage_path/instance/peer_id</c>) and the download client.
    /// </summary>
    public static IServiceCollection AddSnapshots(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => new SnapshotStore(sp.GetRequiredService<NodeOptions>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.TryAddSingleton<SnapshotHttpClient>();
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<NodeOptions>();
            ulong peerId = sp.GetService<ClusterNode>()?.PeerId
                ?? PeerIdentity.LoadOrCreate(Path.Combine(Path.GetFullPath(options.Storage.StoragePath), "instance"));
            return new CollectionSnapshots(sp.GetRequiredService<TableOfContents>(), sp.GetRequiredService<SnapshotStore>(), peerId, sp.GetService<ClusterCollections>());
        });
        return services;
    }
}

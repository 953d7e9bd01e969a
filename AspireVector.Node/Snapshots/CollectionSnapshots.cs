using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Node.Cluster;
using AspireVector.Node.Collections;
using AspireVector.Node.Storage;

namespace AspireVector.Node.Snapshots;

/// <summary>
/// Creates and recovers snapshots of collections, shards and the whole storage, as Qdrant's snapshot API does.
/// </summary>
/// <remarks>
/// A snapshot holds this peer's local shards, each captured consistently by <see cref="LocalShard.CaptureAsync"/>
/// (writes pause only while the shard flushes and hard-links its segment, not while the tar is written); shards are
/// captured one after another. Recovery extracts and validates everything in a scratch folder before the live
/// collection is touched, so a bad file changes nothing. In cluster mode the validated shards are handed to
/// <see cref="ClusterCollections.RecoverFromSnapshotAsync"/>, which recovers this peer's replicas with Qdrant's priorities.
/// </remarks>
public sealed class CollectionSnapshots(TableOfContents toc, SnapshotStore store, ulong peerId, ClusterCollections? cluster = null)
{
    private const string ConfigFile = "config.json";

    /// <summary>The snapshot files.</summary>
    public SnapshotStore Store { get; } = store;

    /// <summary>Id of this peer, part of the snapshot names.</summary>
    public ulong PeerId { get; } = peerId;

    /// <summary>Snapshots <paramref name="name"/> into its snapshot folder.</summary>
    public Task<SnapshotDescription> CreateAsync(string name, CancellationToken cancellationToken)
    {
        var collection = toc.Get(name);
        return Store.PublishAsync(Store.CollectionDirectory(name), Store.NewName($"{name}-{PeerId}"),
            s => WriteCollectionAsync(collection, s, cancellationToken), cancellationToken);
    }

    /// <summary>Snapshots the local replica of shard <paramref name="shardId"/> of <paramref name="name"/>.</summary>
    public Task<SnapshotDescription> CreateShardAsync(string name, uint shardId, CancellationToken cancellationToken)
    {
        var shard = LocalShardOf(name, shardId);
        return Store.PublishAsync(Store.ShardDirectory(name, shardId), Store.NewName($"{name}-shard-{shardId}-{PeerId}"),
            s => WriteShardAsync(shard, s, cancellationToken), cancellationToken);
    }

    /// <summary>Snapshots every collection into one full storage snapshot.</summary>
    public async Task<SnapshotDescription> CreateFullAsync(CancellationToken cancellationToken)
    {
        string staging = Store.NewTempDirectory();
        try
        {
            var mapping = new JsonObject();
            foreach (var collection in toc.Collections.OrderBy(c => c.Name, StringComparer.Ordinal))
            {
                string file = Store.NewName($"{collection.Name}-{PeerId}");
                await using (var stream = new FileStream(Path.Combine(staging, file), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                {
                    try { await WriteCollectionAsync(collection, stream, cancellationToken).ConfigureAwait(false); }
                    catch (ObjectDisposedException) { continue; } // deleted while the others were written
                }

                mapping[collection.Name] = file;
            }

            File.WriteAllText(Path.Combine(staging, ConfigFile), new JsonObject { ["collections_mapping"] = mapping, ["aliases"] = new JsonObject() }.ToJsonString());
            SnapshotArchive.WriteManifest(staging, SnapshotArchive.FullKind, PeerId);
            return await Store.PublishAsync(Store.FullDirectory, Store.NewName("full-snapshot"),
                s => SnapshotArchive.WriteAsync(staging, s, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally { Directory.Delete(staging, recursive: true); }
    }

    /// <summary>
    /// Recovers collection <paramref name="name"/> from the snapshot in <paramref name="file"/>: creates it when absent,
    /// replaces its data and config when present (single node), or recovers this peer's replicas of the shards the
    /// snapshot holds (cluster mode, see <see cref="ClusterCollections.RecoverFromSnapshotAsync"/>). 400 and nothing
    /// changed when the file is not a valid snapshot.
    /// </summary>
    /// <param name="priority"><c>replica</c> (the default), <c>snapshot</c> or <c>no_sync</c>; used in cluster mode.</param>
    public async Task RecoverAsync(string name, string file, string? priority, CancellationToken cancellationToken)
    {
        CollectionName.Validate(name);
        string staging = Store.NewTempDirectory();
        try
        {
            await SnapshotArchive.ExtractAsync(file, staging, SnapshotArchive.CollectionKind, cancellationToken).ConfigureAwait(false);
            var config = ReadConfig(staging);
            var segmentConfig = config.ToSegmentConfig();
            foreach (var dir in Directory.EnumerateDirectories(staging))
            {
                string shard = Path.GetFileName(dir);
                if (!uint.TryParse(shard, NumberStyles.None, CultureInfo.InvariantCulture, out uint id) || !config.ShardIds.Contains(id))
                    throw SnapshotArchive.Invalid($"unexpected folder `{shard}` (the collection has shards {string.Join(", ", config.ShardIds)})");
                LocalShard.ValidateCaptured(dir, segmentConfig);
            }

            File.Delete(Path.Combine(staging, SnapshotArchive.ManifestFile));
            if (cluster is null) toc.Restore(name, config, staging);
            else await cluster.RecoverFromSnapshotAsync(name, config, ShardFolders(staging), priority, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            throw SnapshotArchive.Invalid(e.Message);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Replaces the local replica of shard <paramref name="shardId"/> of <paramref name="name"/> by the shard snapshot in <paramref name="file"/>.</summary>
    /// <param name="priority"><c>replica</c> (the default), <c>snapshot</c> or <c>no_sync</c>; used in cluster mode.</param>
    public async Task RecoverShardAsync(string name, uint shardId, string file, string? priority, CancellationToken cancellationToken)
    {
        var collection = toc.Get(name);
        if (shardId >= collection.ShardCount) throw new CollectionException(404, $"Not found: Shard {shardId} of collection `{name}` does not exist");
        if (cluster is not null) LocalShardOf(name, shardId); // the replica to recover must be on this peer
        string staging = Store.NewTempDirectory();
        try
        {
            await SnapshotArchive.ExtractAsync(file, staging, SnapshotArchive.ShardKind, cancellationToken).ConfigureAwait(false);
            LocalShard.ValidateCaptured(staging, collection.Config.ToSegmentConfig());
            File.Delete(Path.Combine(staging, SnapshotArchive.ManifestFile));
            if (cluster is null) collection.ReplaceLocalShard(shardId, staging);
            else await cluster.RecoverFromSnapshotAsync(name, collection.Config, new Dictionary<uint, string> { [shardId] = staging }, priority, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            throw SnapshotArchive.Invalid(e.Message);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>The local replica of a shard; 404 when the collection has no such shard or this peer holds none of it.</summary>
    public LocalShard LocalShardOf(string name, uint shardId)
    {
        var collection = toc.Get(name);
        if (shardId >= collection.ShardCount) throw new CollectionException(404, $"Not found: Shard {shardId} of collection `{name}` does not exist");
        return collection.LocalShard(shardId) ?? throw new CollectionException(404, $"Not found: Shard {shardId} of collection `{name}` is not stored on this peer");
    }

    /// <summary>Writes a shard snapshot of <paramref name="shard"/>.</summary>
    public async Task WriteShardAsync(LocalShard shard, Stream destination, CancellationToken cancellationToken)
    {
        string staging = Store.NewTempDirectory();
        try
        {
            await SnapshotArchive.WriteShardAsync(shard, staging, PeerId, destination, null, cancellationToken).ConfigureAwait(false);
        }
        finally { Directory.Delete(staging, recursive: true); }
    }

    private async Task WriteCollectionAsync(Collection collection, Stream destination, CancellationToken cancellationToken)
    {
        string staging = Store.NewTempDirectory();
        try
        {
            File.WriteAllBytes(Path.Combine(staging, ConfigFile), collection.Config.ToPersistedJson());
            var shards = new JsonArray();
            foreach (var shard in collection.LocalShards)
            {
                await shard.CaptureAsync(Path.Combine(staging, shard.Id.ToString(CultureInfo.InvariantCulture)), null, cancellationToken).ConfigureAwait(false);
                shards.Add(shard.Id);
            }

            SnapshotArchive.WriteManifest(staging, SnapshotArchive.CollectionKind, PeerId, new JsonObject { ["collection"] = collection.Name, ["shards"] = shards });
            await SnapshotArchive.WriteAsync(staging, destination, cancellationToken).ConfigureAwait(false);
        }
        finally { Directory.Delete(staging, recursive: true); }
    }

    private static CollectionConfig ReadConfig(string staging)
    {
        string path = Path.Combine(staging, ConfigFile);
        if (!File.Exists(path)) throw SnapshotArchive.Invalid($"the archive has no {ConfigFile}");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            return CollectionConfig.FromCreateRequest(doc.RootElement);
        }
        catch (Exception e) when (e is JsonException or CollectionException)
        {
            throw SnapshotArchive.Invalid($"{ConfigFile} is not a collection config ({e.Message})");
        }
    }

    /// <summary>The validated shard folders of an extracted collection snapshot, by shard id.</summary>
    private static Dictionary<uint, string> ShardFolders(string staging) =>
        Directory.EnumerateDirectories(staging).ToDictionary(
            dir => uint.Parse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture), dir => dir);
}

using System.Text.Json;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using Microsoft.Extensions.Logging;

namespace AspireVector.Node.Snapshots;

/// <summary>
/// Qdrant's start-up restore: <c>--snapshot path:collection</c> and <c>--storage-snapshot path</c> restore collections
/// before the node serves; a collection that already exists is an error unless <c>--force-snapshot</c> is given.
/// </summary>
public static class StartupSnapshots
{
    /// <summary>Restores what <paramref name="options"/> names; a <see cref="CollectionException"/> stops the start-up.</summary>
    public static async Task RestoreAsync(NodeOptions options, TableOfContents toc, CollectionSnapshots snapshots, ILogger logger, CancellationToken cancellationToken)
    {
        if (options.StartupSnapshots.Count == 0 && options.StartupStorageSnapshot is null) return;
        string? staging = null;
        try
        {
            var wanted = new List<(string File, string Collection)>();
            if (options.StartupStorageSnapshot is { } full)
            {
                RequireFile(full);
                staging = snapshots.Store.NewTempDirectory();
                await SnapshotArchive.ExtractAsync(full, staging, SnapshotArchive.FullKind, cancellationToken).ConfigureAwait(false);
                wanted.AddRange(CollectionsOf(staging));
            }

            wanted.AddRange(options.StartupSnapshots);
            foreach (var (file, name) in wanted)
            {
                RequireFile(file);
                if (toc.Exists(name) && !options.ForceSnapshot)
                    throw new CollectionException(400, $"Collection {name} already exists. Use --force-snapshot to overwrite it.");
                logger.LogInformation("Recovering snapshot {Collection} from {File}", name, file);
                await snapshots.RecoverAsync(name, file, priority: null, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (InvalidDataException e)
        {
            throw SnapshotArchive.Invalid(e.Message);
        }
        finally
        {
            if (staging is not null && Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    private static void RequireFile(string path)
    {
        if (!File.Exists(path)) throw new CollectionException(400, $"Snapshot file {path} does not exist");
    }

    /// <summary>The collection snapshots of an extracted full snapshot: its <c>config.json</c>'s <c>collections_mapping</c>.</summary>
    private static IEnumerable<(string File, string Collection)> CollectionsOf(string staging)
    {
        string config = Path.Combine(staging, "config.json");
        if (!File.Exists(config)) throw SnapshotArchive.Invalid("the full snapshot has no config.json");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(config));
        if (!doc.RootElement.TryGetProperty("collections_mapping", out var mapping) || mapping.ValueKind != JsonValueKind.Object)
            throw SnapshotArchive.Invalid("config.json has no collections_mapping");
        var list = new List<(string, string)>();
        foreach (var entry in mapping.EnumerateObject())
        {
            string file = entry.Value.GetString() ?? "";
            if (file.Length == 0 || file != Path.GetFileName(file)) throw SnapshotArchive.Invalid($"collections_mapping names `{file}` for `{entry.Name}`");
            list.Add((Path.Combine(staging, file), entry.Name));
        }

        return list;
    }
}

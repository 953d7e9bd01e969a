using System.Formats.Tar;
using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Node.Collections;
using AspireVector.Node.Storage;

namespace AspireVector.Node.Snapshots;

/// <summary>
/// The snapshot file format: an uncompressed tar of a folder plus <c>manifest.json</c> saying what it holds.
/// A collection snapshot is the collection's folder without WALs (<c>config.json</c>, <c>&lt;shard&gt;/segments/...</c>),
/// a shard snapshot a shard folder without WAL (<c>segments/...</c>), a full snapshot Qdrant's layout
/// (<c>config.json</c> with <c>collections_mapping</c>, plus one collection snapshot file per collection).
/// </summary>
public static class SnapshotArchive
{
    /// <summary>Name of the manifest entry.</summary>
    public const string ManifestFile = "manifest.json";

    private const string Format = "aspirevector-snapshot";
    private const int Version = 1;

    /// <summary>Kinds of snapshot.</summary>
    public const string CollectionKind = "collection", ShardKind = "shard", FullKind = "full";

    /// <summary>Writes a manifest of <paramref name="kind"/> (with <paramref name="extra"/> fields) into <paramref name="directory"/>.</summary>
    public static void WriteManifest(string directory, string kind, ulong peerId, JsonObject? extra = null)
    {
        var manifest = new JsonObject { ["format"] = Format, ["version"] = Version, ["kind"] = kind, ["peer_id"] = peerId };
        if (extra is not null)
        {
            foreach (var (key, value) in extra) manifest[key] = value?.DeepClone();
        }

        File.WriteAllText(Path.Combine(directory, ManifestFile), manifest.ToJsonString());
    }

    /// <summary>Writes every file under <paramref name="directory"/> into a tar on <paramref name="destination"/>.</summary>
    public static async Task WriteAsync(string directory, Stream destination, CancellationToken cancellationToken)
    {
        await using var writer = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true);
        var files = Directory.GetFiles(directory, "*", SearchOption.AllDirectories);
        Array.Sort(files, StringComparer.Ordinal);
        foreach (var file in files)
        {
            string entry = Path.GetRelativePath(directory, file).Replace(Path.DirectorySeparatorChar, '/');
            await writer.WriteEntryAsync(file, entry, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Captures <paramref name="shard"/> into the empty scratch folder <paramref name="staging"/> and writes it as a shard
    /// snapshot to <paramref name="destination"/>; <paramref name="startForwarding"/> as in <see cref="LocalShard.CaptureAsync"/>.
    /// </summary>
    public static async Task WriteShardAsync(LocalShard shard, string staging, ulong peerId, Stream destination,
        Func<ShardOperation, Task>? startForwarding, CancellationToken cancellationToken)
    {
        long applied = await shard.CaptureAsync(staging, startForwarding, cancellationToken).ConfigureAwait(false);
        WriteManifest(staging, ShardKind, peerId, new JsonObject { ["shard_id"] = shard.Id, ["applied_op_number"] = applied });
        await WriteAsync(staging, destination, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Extracts the snapshot in <paramref name="file"/> into the empty folder <paramref name="target"/> and returns its
    /// manifest, checking that it is of <paramref name="expectedKind"/>. Refuses (400, nothing written outside
    /// <paramref name="target"/>) anything that is not a tar of plain files and folders with relative paths inside it.
    /// </summary>
    public static async Task<JsonObject> ExtractAsync(string file, string target, string expectedKind, CancellationToken cancellationToken)
    {
        string root = Path.GetFullPath(target).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        try
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            await using var reader = new TarReader(stream);
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                string path = EntryPath(root, entry.Name);
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        Directory.CreateDirectory(path);
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                        if (File.Exists(path)) throw Invalid($"the entry `{entry.Name}` appears twice");
                        await entry.ExtractToFileAsync(path, overwrite: false, cancellationToken).ConfigureAwait(false);
                        break;
                    default:
                        throw Invalid($"the entry `{entry.Name}` is a {entry.EntryType}, only files and folders are allowed");
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or OverflowException or ArgumentException)
        {
            throw Invalid($"not a snapshot archive ({e.Message})");
        }

        return ReadManifest(target, expectedKind);
    }

    /// <summary>The manifest in an extracted snapshot; 400 when absent, unreadable or of another kind.</summary>
    public static JsonObject ReadManifest(string directory, string expectedKind)
    {
        string path = Path.Combine(directory, ManifestFile);
        if (!File.Exists(path)) throw Invalid($"the archive has no {ManifestFile}, it is not an AspireVector snapshot");
        JsonObject manifest;
        try
        {
            manifest = JsonNode.Parse(File.ReadAllBytes(path)) as JsonObject ?? throw Invalid($"{ManifestFile} is not a JSON object");
        }
        catch (JsonException e)
        {
            throw Invalid($"{ManifestFile} is not valid JSON ({e.Message})");
        }

        if (manifest["format"]?.GetValueKind() != JsonValueKind.String || (string?)manifest["format"] != Format)
            throw Invalid($"{ManifestFile} does not describe an AspireVector snapshot");
        if (manifest["version"]?.GetValueKind() != JsonValueKind.Number || (int)manifest["version"]! != Version)
            throw Invalid($"unsupported snapshot format version {manifest["version"]}");
        string? kind = manifest["kind"]?.GetValueKind() == JsonValueKind.String ? (string?)manifest["kind"] : null;
        if (kind != expectedKind) throw Invalid($"this is a {kind ?? "unknown"} snapshot, a {expectedKind} snapshot is needed here");
        return manifest;
    }

    /// <summary>400 naming what is wrong with a snapshot file.</summary>
    public static CollectionException Invalid(string reason) => new(400, $"Bad request: invalid snapshot file: {reason}");

    private static string EntryPath(string root, string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('\\') || name.Contains('\0') || name.StartsWith('/') || Path.IsPathRooted(name))
            throw Invalid($"the entry `{name}` has an absolute or malformed path");
        foreach (var part in name.Split('/'))
        {
            if (part == "..") throw Invalid($"the entry `{name}` points outside the snapshot");
        }

        string path = Path.GetFullPath(Path.Combine(root, name));
        if (!path.StartsWith(root, StringComparison.Ordinal) && path + Path.DirectorySeparatorChar != root)
            throw Invalid($"the entry `{name}` points outside the snapshot");
        return path.TrimEnd(Path.DirectorySeparatorChar);
    }
}

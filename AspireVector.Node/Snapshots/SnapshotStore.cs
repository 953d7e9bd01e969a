using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;

namespace AspireVector.Node.Snapshots;

/// <summary>
/// The snapshot files of this node under <c>storage.snapshots_path</c>: full snapshots at the top,
/// <c>&lt;collection&gt;/</c> for collection snapshots and <c>&lt;collection&gt;/shards/&lt;id&gt;/</c> for shard
/// snapshots, each file with a <c>.checksum</c> sidecar holding its SHA-256. Also owns the scratch folder
/// (<c>storage_path/snapshots_temp</c>, on the storage's file system so shard files can be hard-linked into it).
/// </summary>
/// <remarks>
/// Every name that comes from a request is checked to be a plain file name and resolved inside the expected folder,
/// so no request reaches a file outside <c>snapshots_path</c>.
/// </remarks>
public sealed class SnapshotStore
{
    /// <summary>File name suffix of snapshots.</summary>
    public const string Extension = ".snapshot";
    private const string ChecksumExtension = ".checksum";
    private const string PartialExtension = ".partial";

    private readonly TimeProvider _time;

    /// <summary>Uses the folders configured in <paramref name="options"/>; the scratch folder is emptied.</summary>
    public SnapshotStore(NodeOptions options, TimeProvider time)
    {
        _time = time;
        Root = Path.GetFullPath(options.Storage.SnapshotsPath);
        TempRoot = TempRootOf(options);
        if (Directory.Exists(TempRoot)) Directory.Delete(TempRoot, recursive: true); // leftovers of a crash
    }

    /// <summary><c>snapshots_path</c>, absolute.</summary>
    public string Root { get; }

    /// <summary>Scratch folder for captures, extractions and uploads.</summary>
    public string TempRoot { get; }

    /// <summary><c>storage_path/snapshots_temp</c> (emptied when the store is created, at start-up).</summary>
    public static string TempRootOf(NodeOptions options) => Path.Combine(Path.GetFullPath(options.Storage.StoragePath), "snapshots_temp");

    /// <summary>Folder of full storage snapshots.</summary>
    public string FullDirectory => Root;

    /// <summary>Folder of <paramref name="collection"/>'s snapshots.</summary>
    public string CollectionDirectory(string collection)
    {
        CollectionName.Validate(collection);
        return Inside(Root, collection);
    }

    /// <summary>Folder of the snapshots of shard <paramref name="shardId"/> of <paramref name="collection"/>.</summary>
    public string ShardDirectory(string collection, uint shardId) =>
        Path.Combine(CollectionDirectory(collection), "shards", shardId.ToString(CultureInfo.InvariantCulture));

    /// <summary>A fresh, empty scratch folder; the caller deletes it.</summary>
    public string NewTempDirectory()
    {
        string dir = Path.Combine(TempRoot, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>A name <c>&lt;prefix&gt;-&lt;yyyy-MM-dd-HH-mm-ss&gt;.snapshot</c> for a snapshot created now.</summary>
    public string NewName(string prefix) =>
        $"{prefix}-{_time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd-HH-mm-ss", CultureInfo.InvariantCulture)}{Extension}";

    /// <summary>
    /// Writes a snapshot through <paramref name="write"/> into <paramref name="directory"/> under
    /// <paramref name="name"/> (or <c>name-2</c>, ... when taken): to a partial file first, then its checksum sidecar,
    /// then a rename, so a listed snapshot is always complete.
    /// </summary>
    public async Task<SnapshotDescription> PublishAsync(string directory, string name, Func<Stream, Task> write, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        string partial = Path.Combine(directory, $".{Guid.NewGuid():N}{PartialExtension}");
        try
        {
            await using (var stream = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await write(stream).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            string checksum = await ChecksumAsync(partial, cancellationToken).ConfigureAwait(false);
            string stem = name[..^Extension.Length];
            for (int attempt = 1; ; attempt++)
            {
                string candidate = attempt == 1 ? name : $"{stem}-{attempt}{Extension}";
                string target = Path.Combine(directory, candidate);
                if (File.Exists(target)) continue;
                await File.WriteAllTextAsync(target + ChecksumExtension, checksum, cancellationToken).ConfigureAwait(false);
                try
                {
                    File.Move(partial, target, overwrite: false);
                }
                catch (IOException) when (File.Exists(target))
                {
                    continue; // a concurrent create took the name between the check and the move
                }

                return Describe(target);
            }
        }
        finally
        {
            if (File.Exists(partial)) File.Delete(partial);
        }
    }

    /// <summary>The snapshots in <paramref name="directory"/>, oldest first (an absent folder has none).</summary>
    public IReadOnlyList<SnapshotDescription> List(string directory)
    {
        var list = new List<SnapshotDescription>();
        if (!Directory.Exists(directory)) return list;
        foreach (var file in Directory.EnumerateFiles(directory, "*" + Extension))
        {
            if (Path.GetFileName(file).StartsWith('.')) continue;
            try { list.Add(Describe(file)); }
            catch (FileNotFoundException) { } // deleted meanwhile
        }

        list.Sort((a, b) => a.CreationTime != b.CreationTime ? a.CreationTime.CompareTo(b.CreationTime) : string.CompareOrdinal(a.Name, b.Name));
        return list;
    }

    /// <summary>Path of snapshot <paramref name="name"/> in <paramref name="directory"/>; 400 for a bad name, 404 when absent.</summary>
    public string Find(string directory, string name)
    {
        ValidateName(name);
        string path = Inside(directory, name);
        if (!File.Exists(path)) throw new CollectionException(404, $"Not found: Snapshot {name} not found");
        return path;
    }

    /// <summary>Deletes snapshot <paramref name="name"/> and its sidecar; 404 when absent.</summary>
    public void Delete(string directory, string name)
    {
        string path = Find(directory, name);
        File.Delete(path);
        File.Delete(path + ChecksumExtension);
    }

    /// <summary>SHA-256 of a file, lowercase hex.</summary>
    public static async Task<string> ChecksumAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>True when <paramref name="path"/> (absolute) lies inside <c>snapshots_path</c>.</summary>
    public bool Contains(string path)
    {
        string full = Path.GetFullPath(path);
        return full.StartsWith(Root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    private static SnapshotDescription Describe(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException(path);
        string sidecar = path + ChecksumExtension;
        string? checksum = File.Exists(sidecar) ? File.ReadAllText(sidecar).Trim() : null;
        return new SnapshotDescription(info.Name, info.LastWriteTimeUtc, info.Length, checksum);
    }

    private static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name) || Encoding.UTF8.GetByteCount(name) > 255 || name.StartsWith('.') ||
            name.Contains('/') || name.Contains('\\') || name.Contains("%2F", StringComparison.OrdinalIgnoreCase) || name.Any(char.IsControl))
            throw new CollectionException(400, $"Validation error in path parameters: [snapshot_name: `{name}` is not a snapshot file name]");
    }

    private static string Inside(string directory, string name)
    {
        string path = Path.GetFullPath(Path.Combine(directory, name));
        if (Path.GetDirectoryName(path) != Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar))
            throw new CollectionException(400, $"Validation error in path parameters: [`{name}` is not a plain file name]");
        return path;
    }
}

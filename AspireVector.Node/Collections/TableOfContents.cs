using System.Collections.Concurrent;
using System.Text.Json;
using AspireVector.Node.Configuration;
using AspireVector.Node.Storage;
using AspireVector.Node.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AspireVector.Node.Collections;

/// <summary>
/// The node's collections by name, stored under <c>storage_path/collections/&lt;name&gt;/</c> with their
/// config.json. Also runs the periodic flush that keeps WAL replay short.
/// </summary>
/// <remarks>
/// Create, delete and config changes are serialised by one lock; lookups are lock-free.
/// </remarks>
public sealed partial class TableOfContents : IDisposable, ICollectionsTelemetrySource
{
    private const string ConfigFile = "config.json";
    private readonly ConcurrentDictionary<string, Collection> _collections = new(StringComparer.Ordinal);
    private readonly Lock _metaLock = new();
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _flushLoop;
    private const string AliasesFile = "aliases.json";
    private volatile SortedDictionary<string, string> _aliases = new(StringComparer.Ordinal);

    /// <summary>
    /// Opens every collection found under the storage path. With <paramref name="replicas"/> (cluster mode) only the
    /// shard folders present are opened: the cluster metadata decides later which replicas this node holds.
    /// </summary>
    public TableOfContents(NodeOptions options, ILoggerFactory? loggerFactory = null, IShardReplicas? replicas = null)
    {
        Options = options;
        Replicas = replicas;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<TableOfContents>();
        Faults = options.Storage.FaultInjectionFile is { Length: > 0 } faults ? new StorageFaults(faults) : null;
        CollectionsDirectory = Path.Combine(Path.GetFullPath(options.Storage.StoragePath), "collections");
        Directory.CreateDirectory(CollectionsDirectory);
        var started = System.Diagnostics.Stopwatch.StartNew();
        foreach (var dir in Directory.EnumerateDirectories(CollectionsDirectory))
        {
            string configPath = Path.Combine(dir, ConfigFile);
            if (!File.Exists(configPath)) continue;
            string name = Path.GetFileName(dir);
            using var doc = JsonDocument.Parse(File.ReadAllBytes(configPath));
            var config = CollectionConfig.FromCreateRequest(doc.RootElement);
            _collections[name] = replicas is null
                ? new Collection(name, dir, config, _loggerFactory, faults: Faults, telemetry: Telemetry)
                : new Collection(name, dir, config, _loggerFactory, replicas, ExistingShards(dir, config.ShardCapacity), Faults, Telemetry) { CreatedIndex = ReadCreatedIndex(dir) };
        }
        // Single-node aliases live in a file; in cluster mode they are metadata replayed from the Raft log.
        if (replicas is null) _aliases = LoadAliases(AliasesPath);
        LoadTime = started.Elapsed;
        _logger.LogInformation("Loaded {Count} collections in {Ms} ms", _collections.Count, LoadTime.TotalMilliseconds);
        _flushLoop = Task.Run(FlushLoopAsync);
    }

    /// <summary>Timings of this node's shards (WAL commits, vector searches), read by the node's metrics.</summary>
    public StorageTelemetry Telemetry { get; } = new();

    /// <summary>Injected disk faults (<c>storage.fault_injection_file</c>, a testing aid), or null.</summary>
    public StorageFaults? Faults { get; }

    /// <summary>The cluster's replicas (cluster mode), or null in single-node mode.</summary>
    public IShardReplicas? Replicas { get; }

    /// <summary>Settings of this node.</summary>
    public NodeOptions Options { get; }

    /// <summary><c>storage_path/collections</c>.</summary>
    public string CollectionsDirectory { get; }

    /// <summary>Time spent opening (recovering) the stored collections at start-up.</summary>
    public TimeSpan LoadTime { get; }

    /// <summary>When this node started.</summary>
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>Collection names.</summary>
    public ICollection<string> Names => _collections.Keys;

    /// <summary>Open collections.</summary>
    public ICollection<Collection> Collections => _collections.Values;

    /// <summary>
    /// The collection named <paramref name="name"/>, or the one alias <paramref name="name"/> points to (as Qdrant
    /// resolves aliases for reads and writes), or a 404 <see cref="CollectionException"/>.
    /// </summary>
    public Collection Get(string name)
    {
        if (_collections.TryGetValue(name, out var c)) return c;
        if (_aliases.TryGetValue(name, out var target) && _collections.TryGetValue(target, out c)) return c;
        throw CollectionException.NotFound(name);
    }

    /// <summary>True when the collection exists (under its name or an alias).</summary>
    public bool Exists(string name) => _collections.ContainsKey(name) || (_aliases.TryGetValue(name, out var target) && _collections.ContainsKey(target));

    /// <summary>Alias to collection name, sorted by alias. Do not mutate.</summary>
    public IReadOnlyDictionary<string, string> Aliases => _aliases;

    /// <summary>Single-node mode: applies alias changes as a whole (or refuses them all) and persists the result.</summary>
    public void UpdateAliases(IReadOnlyList<AliasAction> actions)
    {
        lock (_metaLock)
        {
            var updated = AliasMap.Apply(_aliases, _collections.ContainsKey, actions);
            SaveAliases(updated);
            _aliases = updated;
        }
    }

    /// <summary>Cluster mode: takes the aliases the cluster agreed on.</summary>
    public void SetAliases(IReadOnlyDictionary<string, string> aliases)
    {
        var copy = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (alias, collection) in aliases) copy[alias] = collection;
        _aliases = copy;
    }

    private string AliasesPath => Path.Combine(Path.GetDirectoryName(CollectionsDirectory)!, AliasesFile);

    private static SortedDictionary<string, string> LoadAliases(string path)
    {
        var aliases = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path)) return aliases;
        foreach (var (alias, collection) in JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllBytes(path)) ?? []) aliases[alias] = collection;
        return aliases;
    }

    private void SaveAliases(SortedDictionary<string, string> aliases)
    {
        if (Replicas is not null) return;
        string tmp = AliasesPath + ".tmp";
        using (var f = new FileStream(tmp, FileMode.Create, FileAccess.Write))
        {
            f.Write(JsonSerializer.SerializeToUtf8Bytes(aliases));
            f.Flush(flushToDisk: true);
        }
        File.Move(tmp, AliasesPath, overwrite: true);
    }

    /// <summary>Creates a collection; 409 when the name is taken, 400 when it is invalid.</summary>
    public Collection Create(string name, CollectionConfig config)
    {
        CollectionName.Validate(name);
        lock (_metaLock)
        {
            if (_collections.ContainsKey(name)) throw CollectionException.AlreadyExists(name);
            AliasMap.EnsureNotAlias(_aliases, name);
            if (_collections.Count >= Options.Storage.MaxCollections)
                throw CollectionException.WrongInput($"Maximum number of collections ({Options.Storage.MaxCollections}) reached");
            string dir = Path.Combine(CollectionsDirectory, name);
            if (Path.GetDirectoryName(Path.GetFullPath(dir)) != CollectionsDirectory)
                throw new CollectionException(400, $"Validation error in path parameters: [name: collection name `{name}` is not a plain folder name]");
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); // leftovers of a crashed create/delete
            Directory.CreateDirectory(dir);
            config.ClearShardKeys();
            var collection = new Collection(name, dir, config, _loggerFactory, faults: Faults, telemetry: Telemetry);
            WriteConfig(collection, config);
            _collections[name] = collection;
            return collection;
        }
    }

    /// <summary>Deletes a collection and its files; false when it did not exist.</summary>
    public bool Delete(string name)
    {
        lock (_metaLock)
        {
            return RemoveLocked(name);
        }
    }

    /// <summary>Replaces a collection's config (after <paramref name="change"/> validated it) and persists it.</summary>
    public void UpdateConfig(string name, Func<CollectionConfig, CollectionConfig> change)
    {
        lock (_metaLock)
        {
            var collection = Get(name);
            var updated = change(collection.Config);
            WriteConfig(collection, updated);
            collection.Config = updated;
        }
    }

    /// <summary>
    /// Single-node mode: adds shard key <c>request.Key</c> to collection <paramref name="name"/> with empty shards (ids after
    /// the highest existing one), persisting the new mapping once they exist.
    /// </summary>
    public void CreateShardKey(string name, CreateShardKeyRequest request)
    {
        lock (_metaLock)
        {
            var collection = Get(name);
            request.Validate(collection.Config, collection.Name);
            var ids = request.NewShardIds(collection.Config);
            var updated = collection.Config.WithShardKey(request.Key, ids);
            // Reset, not open: a folder left by a key dropped just before a crash must not come back with its points.
            foreach (var id in ids) collection.ResetLocalShard(id);
            WriteConfig(collection, updated);
            collection.Config = updated;
        }
    }

    /// <summary>Single-node mode: removes shard key <paramref name="key"/> of collection <paramref name="name"/> and deletes its shards.</summary>
    public void DropShardKey(string name, Sharding.ShardKey key)
    {
        lock (_metaLock)
        {
            var collection = Get(name);
            if (!collection.Config.IsCustomSharding) throw CreateShardKeyRequest.AutoSharded(key, create: false);
            var shards = collection.Config.ShardsOf(key) ?? throw CreateShardKeyRequest.Missing(key, collection.Name);
            var updated = collection.Config.WithoutShardKey(key);
            WriteConfig(collection, updated);
            collection.Config = updated;
            foreach (var id in shards) collection.DropLocalShard(id);
        }
    }

    /// <summary>
    /// Makes the local copy of a cluster collection match the metadata: creates it (wiping leftovers of an older
    /// incarnation), updates its config, opens the replicas placed here and drops those moved away. A local
    /// collection created by a later entry than <paramref name="createdIndex"/> is left alone: that is a log replay
    /// after restart catching up with what is already on disk.
    /// </summary>
    public void SyncFromCluster(string name, CollectionConfig config, ulong createdIndex, IReadOnlyCollection<uint> localShards)
    {
        lock (_metaLock)
        {
            if (_collections.TryGetValue(name, out var existing))
            {
                if (existing.CreatedIndex > createdIndex) return;
                if (existing.CreatedIndex < createdIndex)
                {
                    RemoveLocked(name);
                    existing = null;
                }
            }

            if (existing is null)
            {
                string dir = Path.Combine(CollectionsDirectory, name);
                if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
                Directory.CreateDirectory(dir);
                File.WriteAllText(Path.Combine(dir, CreatedIndexFile), createdIndex.ToString(System.Globalization.CultureInfo.InvariantCulture));
                existing = new Collection(name, dir, config, _loggerFactory, Replicas, localShards, Faults, Telemetry) { CreatedIndex = createdIndex };
                WriteConfig(existing, config);
                _collections[name] = existing;
                return;
            }

            if (!config.ToPersistedJson().AsSpan().SequenceEqual(existing.Config.ToPersistedJson()))
            {
                WriteConfig(existing, config);
                existing.Config = config;
            }

            for (uint shard = 0; shard < existing.ShardCount; shard++)
            {
                bool wanted = localShards.Contains(shard);
                if (wanted && existing.LocalShard(shard) is null && existing.ShardFailure(shard) is null) existing.EnsureLocalShard(shard);
                else if (!wanted && existing.LocalShard(shard) is { IsForwarding: false }) existing.DropLocalShard(shard);
            }
        }
    }

    /// <summary>Deletes a local collection the cluster no longer has, unless it was created after <paramref name="appliedIndex"/> (replay).</summary>
    public void DropUnlessNewer(string name, ulong appliedIndex)
    {
        lock (_metaLock)
        {
            if (_collections.TryGetValue(name, out var c) && c.CreatedIndex <= appliedIndex) RemoveLocked(name);
        }
    }

    private const string CreatedIndexFile = "created_index";

    private static ulong ReadCreatedIndex(string dir)
    {
        string path = Path.Combine(dir, CreatedIndexFile);
        return File.Exists(path) && ulong.TryParse(File.ReadAllText(path).Trim(), System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : 0;
    }

    private static uint[] ExistingShards(string dir, int capacity)
    {
        var list = new List<uint>();
        for (uint i = 0; i < capacity; i++)
        {
            if (Directory.Exists(Path.Combine(dir, i.ToString(System.Globalization.CultureInfo.InvariantCulture)))) list.Add(i);
        }

        return [.. list];
    }

    private bool RemoveLocked(string name)
    {
        if (!_collections.TryRemove(name, out var collection)) return false;
        if (_aliases.ContainsValue(name))
        {
            // As in Qdrant, a deleted collection takes its aliases with it: none is left pointing at nothing.
            var remaining = new SortedDictionary<string, string>(_aliases, StringComparer.Ordinal);
            AliasMap.RemoveCollection(remaining, name);
            SaveAliases(remaining);
            _aliases = remaining;
        }
        collection.Dispose();
        // Remove config.json first: a crash mid-delete leaves a folder that is not loaded back.
        File.Delete(Path.Combine(collection.Directory, ConfigFile));
        Directory.Delete(collection.Directory, recursive: true);
        return true;
    }

    private static void WriteConfig(Collection collection, CollectionConfig config)
    {
        string path = Path.Combine(collection.Directory, ConfigFile);
        string tmp = path + ".tmp";
        using (var f = new FileStream(tmp, FileMode.Create, FileAccess.Write))
        {
            f.Write(config.ToPersistedJson());
            f.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
    }

    private async Task FlushLoopAsync()
    {
        var period = TimeSpan.FromSeconds(Math.Max(1, Options.Storage.FlushIntervalSec));
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false)) FlushAll(paced: true);
        }
        catch (OperationCanceledException) { }
    }

    /// <inheritdoc />
    public IReadOnlyList<CollectionTelemetry> GetCollections()
    {
        var list = new List<CollectionTelemetry>();
        foreach (var c in _collections.Values)
        {
            long points = c.PointsCount;
            list.Add(new CollectionTelemetry(c.Name, points, new Dictionary<string, long> { [""] = points },
                c.LocalShards.Count == 0 ? null : 1, c.LocalShards.Count == 0 ? null : 1, 0, 0, 0));
        }
        return list;
    }

    /// <summary>Flushes every dirty shard of every collection (<paramref name="paced"/>: see <see cref="LocalShard.Flush"/>).</summary>
    public void FlushAll(bool paced = false)
    {
        foreach (var c in _collections.Values)
        {
            try { c.Flush(paced); }
            catch (Exception e) when (e is IOException or ObjectDisposedException or UnauthorizedAccessException)
            {
                _logger.LogWarning(e, "Flush of collection {Name} failed; its WAL is kept", c.Name);
            }
        }
    }

    private int _disposed;

    /// <inheritdoc />
    public void Dispose()
    {
        // The container disposes this once per registration it is exposed under (it is also the collections
        // telemetry source), so a second call must be a no-op.
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _stop.Cancel();
        try { _flushLoop.Wait(TimeSpan.FromSeconds(30)); }
        catch (AggregateException) { }
        lock (_metaLock)
        {
            foreach (var c in _collections.Values)
            {
                try { c.Flush(); }
                catch (IOException e) { _logger.LogWarning(e, "Final flush of collection {Name} failed; its WAL is kept", c.Name); }
                c.Dispose();
            }
            _collections.Clear();
        }
        _stop.Dispose();
    }
}

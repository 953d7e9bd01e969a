using System.Globalization;
using AspireVector.Node.Points;
using AspireVector.Node.Storage;
using Microsoft.Extensions.Logging;

namespace AspireVector.Node.Collections;

/// <summary>
/// A named collection: its configuration and its shards. Points are routed to shards by a stable hash of
/// their id; reads fan out to every shard and merge.
/// </summary>
/// <remarks>
/// In single-node mode every shard is local. In cluster mode only the shards with a replica on this peer are
/// opened here; the others (and the other replicas of local ones) are reached through <see cref="Replicas"/>.
/// </remarks>
public sealed partial class Collection : IDisposable
{
    // Indexed by shard id; replaced by larger copies (under _shardsLock) when a shard key adds shards.
    private LocalShard?[] _shards;
    private string?[] _shardFailures;
    private SemaphoreSlim[] _orderingGates;
    private readonly StorageFaults? _faults;
    private readonly StorageTelemetry? _telemetry;
    private readonly Lock _shardsLock = new();
    private readonly ILogger<LocalShard>? _shardLogger;
    private CollectionConfig _config;

    /// <summary>
    /// Opens (or creates) the local shards of collection <paramref name="name"/> under <paramref name="directory"/>:
    /// all of them (<see cref="CollectionConfig.ShardIds"/>), or only <paramref name="localShards"/> when given (cluster mode). A shard whose stored data is
    /// damaged is not opened: it is recorded in <see cref="ShardFailure"/> and every request touching it is refused,
    /// while the other shards (and collections) are served.
    /// </summary>
    public Collection(string name, string directory, CollectionConfig config, ILoggerFactory? loggerFactory = null,
        IShardReplicas? replicas = null, IReadOnlyCollection<uint>? localShards = null, StorageFaults? faults = null,
        StorageTelemetry? telemetry = null)
    {
        _faults = faults;
        _telemetry = telemetry;
        Name = name;
        Directory = directory;
        _config = config;
        Replicas = replicas;
        _shardLogger = loggerFactory?.CreateLogger<LocalShard>();
        int capacity = Math.Max(config.ShardCapacity, localShards is { Count: > 0 } ? (int)localShards.Max() + 1 : 0);
        _shards = new LocalShard?[capacity];
        _shardFailures = new string?[capacity];
        _orderingGates = new SemaphoreSlim[capacity];
        for (int i = 0; i < _orderingGates.Length; i++) _orderingGates[i] = new SemaphoreSlim(1, 1);
        try
        {
            foreach (uint i in localShards ?? config.ShardIds) _shards[i] = OpenShardOrRecordFailure(i);
        }
        catch
        {
            foreach (var s in _shards) s?.Dispose();
            throw;
        }
    }

    /// <summary>Collection name.</summary>
    public string Name { get; }

    /// <summary>Folder holding config.json and the shard folders.</summary>
    public string Directory { get; }

    /// <summary>Current configuration (replaced as a whole on update; indexing and quantization follow it).</summary>
    public CollectionConfig Config
    {
        get => _config;
        internal set
        {
            EnsureCapacity(value.ShardCapacity);
            _config = value;
            var segmentConfig = value.ToSegmentConfig();
            foreach (var shard in LocalShards)
            {
                if (VectorSpacesDiffer(shard.Segment.Config, segmentConfig)) shard.ReconfigureVectors(segmentConfig);
                else shard.Segment.ApplyQuantization(segmentConfig);
                shard.Segment.SetIndexingPaused(value.IndexingDisabled);
            }
        }
    }

    /// <summary>True when a vector name was added or deleted (or a name's size or distance differs) between two segment configs.</summary>
    private static bool VectorSpacesDiffer(SegmentConfig current, SegmentConfig next)
    {
        if (current.Vectors.Count != next.Vectors.Count || !current.SparseVectors.SequenceEqual(next.SparseVectors)) return true;
        for (int i = 0; i < next.Vectors.Count; i++)
        {
            var (name, v) = next.Vectors[i];
            if (current.Vectors[i].Key != name || current.Vectors[i].Value.Dimension != v.Dimension || current.Vectors[i].Value.Distance != v.Distance) return true;
        }

        return false;
    }

    /// <summary>The cluster's replicas, or null in single-node mode.</summary>
    public IShardReplicas? Replicas { get; }

    /// <summary>Raft index of the entry that created this collection (0 in single-node mode).</summary>
    public ulong CreatedIndex { get; internal set; }

    /// <summary>
    /// Size of the per-shard tables: every shard id is below it. With auto sharding the number of shards; with custom
    /// sharding one more than the highest shard id seen (ids of dropped keys leave holes: see <see cref="CollectionConfig.ShardIds"/>).
    /// </summary>
    public int ShardCount => _shards.Length;

    /// <summary>The shards stored on this node.</summary>
    public IReadOnlyList<LocalShard> LocalShards
    {
        get
        {
            var list = new List<LocalShard>(_shards.Length);
            foreach (var s in _shards) if (s is not null) list.Add(s);
            return list;
        }
    }

    /// <summary>Live points over the local shards.</summary>
    public long PointsCount
    {
        get
        {
            long n = 0;
            foreach (var s in _shards) if (s is not null) n += s.Segment.PointCount;
            return n;
        }
    }

    /// <summary>Vectors reachable through a graph index, over the local shards.</summary>
    public long IndexedVectorsCount
    {
        get
        {
            long n = 0;
            foreach (var s in _shards) if (s is not null) n += s.Segment.IndexedCount;
            return n;
        }
    }

    /// <summary>The local replica of <paramref name="shardId"/>, or null when this node holds none.</summary>
    public LocalShard? LocalShard(uint shardId)
    {
        var shards = _shards;
        return shardId < shards.Length ? Volatile.Read(ref shards[shardId]) : null;
    }

    /// <summary>
    /// Why the local replica of <paramref name="shardId"/> could not be opened at start-up (its stored data is damaged),
    /// or null. Cleared when the replica is dropped or reset (a transfer refills it).
    /// </summary>
    public string? ShardFailure(uint shardId)
    {
        var failures = _shardFailures;
        return shardId < failures.Length ? Volatile.Read(ref failures[shardId]) : null;
    }

    /// <summary>The first failed local shard's message, or null when every local shard is open.</summary>
    public string? FirstShardFailure
    {
        get
        {
            foreach (var f in _shardFailures) if (f is not null) return f;
            return null;
        }
    }

    /// <summary>Opens the local replica of <paramref name="shardId"/> (creating an empty one) if it is not open yet.</summary>
    public LocalShard EnsureLocalShard(uint shardId)
    {
        lock (_shardsLock)
        {
            EnsureCapacity((int)shardId + 1);
            if (_shardFailures[shardId] is { } failure) throw new CollectionException(500, failure);
            return _shards[shardId] ??= OpenShard(shardId);
        }
    }

    /// <summary>
    /// Closes the local replica of <paramref name="shardId"/> and deletes its files (the replica moved away, or its shard
    /// key was dropped). Files without an open replica (a failed one, or leftovers of a crash) go too.
    /// </summary>
    public void DropLocalShard(uint shardId)
    {
        LocalShard? shard = null;
        lock (_shardsLock)
        {
            if (shardId < _shards.Length)
            {
                shard = _shards[shardId];
                _shards[shardId] = null;
                _shardFailures[shardId] = null;
            }
        }

        shard?.Dispose();
        string dir = ShardDirectory(shardId);
        if (System.IO.Directory.Exists(dir)) System.IO.Directory.Delete(dir, recursive: true);
    }

    /// <summary>Replaces the local replica of <paramref name="shardId"/> by an empty one (before a transfer refills it).</summary>
    public LocalShard ResetLocalShard(uint shardId)
    {
        DropLocalShard(shardId);
        return EnsureLocalShard(shardId);
    }

    /// <summary>
    /// The shard of <paramref name="group"/> (all shards with auto sharding, one key's shards with custom sharding) a point
    /// id belongs to: stable across restarts and nodes.
    /// </summary>
    public static uint ShardOf(PointId id, IReadOnlyList<uint> group)
    {
        if (group.Count == 1) return group[0];
        ulong h = id.IsUuid ? (ulong)id.Uuid.GetHashCode() ^ 0x9E3779B97F4A7C15UL : id.Number;
        // SplitMix64 finaliser: spreads sequential ids evenly over shards.
        h ^= h >> 30; h *= 0xBF58476D1CE4E5B9UL;
        h ^= h >> 27; h *= 0x94D049BB133111EBUL;
        h ^= h >> 31;
        return group[(int)(h % (ulong)group.Count)];
    }

    /// <summary>Grows the per-shard tables to hold ids below <paramref name="capacity"/> (a shard key added shards).</summary>
    private void EnsureCapacity(int capacity)
    {
        lock (_shardsLock)
        {
            if (capacity <= _shards.Length) return;
            var shards = new LocalShard?[capacity];
            var failures = new string?[capacity];
            var gates = new SemaphoreSlim[capacity];
            Array.Copy(_shards, shards, _shards.Length);
            Array.Copy(_shardFailures, failures, _shardFailures.Length);
            Array.Copy(_orderingGates, gates, _orderingGates.Length);
            for (int i = _orderingGates.Length; i < capacity; i++) gates[i] = new SemaphoreSlim(1, 1);
            _orderingGates = gates;
            _shardFailures = failures;
            _shards = shards;
        }
    }

    /// <summary>Flushes every dirty local shard (<paramref name="paced"/>: see <see cref="LocalShard.Flush"/>).</summary>
    public void Flush(bool paced = false)
    {
        foreach (var s in _shards) s?.Flush(paced: paced);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_shardsLock)
        {
            foreach (var s in _shards) s?.Dispose();
        }
    }

    private string ShardDirectory(uint shardId) => Path.Combine(Directory, shardId.ToString(CultureInfo.InvariantCulture));

    private LocalShard OpenShard(uint shardId)
    {
        var shard = new LocalShard(shardId, ShardDirectory(shardId), Config.ToSegmentConfig(), Config.WalCapacityMb, _shardLogger, _faults, _telemetry);
        shard.Segment.SetIndexingPaused(Config.IndexingDisabled);
        return shard;
    }

    private LocalShard? OpenShardOrRecordFailure(uint shardId)
    {
        try
        {
            return OpenShard(shardId);
        }
        catch (InvalidDataException e)
        {
            // Qdrant keeps such a shard as a "dummy shard" that answers errors; so does this collection.
            _shardFailures[shardId] = $"Service internal error: Failed to load local shard {shardId} of collection `{Name}`: {e.Message}. "
                + "The shard serves no reads or writes until it is restored (from another replica, or by deleting and re-creating the collection)";
            _shardLogger?.LogError(e, "Collection {Name}: shard {Shard} failed to load and is out of service", Name, shardId);
            return null;
        }
    }
}

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
    private readonly LocalShard?[] _shards;
    private readonly Lock _shardsLock = new();
    private readonly SemaphoreSlim[] _orderingGates;
    private readonly ILogger<LocalShard>? _shardLogger;

    /// <summary>
    /// Opens (or creates) the local shards of collection <paramref name="name"/> under <paramref name="directory"/>:
    /// all of them, or only <paramref name="localShards"/> when given (cluster mode).
    /// </summary>
    public Collection(string name, string directory, CollectionConfig config, ILoggerFactory? loggerFactory = null,
        IShardReplicas? replicas = null, IReadOnlyCollection<uint>? localShards = null)
    {
        Name = name;
        Directory = directory;
        Config = config;
        Replicas = replicas;
        _shardLogger = loggerFactory?.CreateLogger<LocalShard>();
        _shards = new LocalShard?[config.ShardNumber];
        _orderingGates = new SemaphoreSlim[config.ShardNumber];
        for (int i = 0; i < _orderingGates.Length; i++) _orderingGates[i] = new SemaphoreSlim(1, 1);
        try
        {
            for (uint i = 0; i < _shards.Length; i++)
            {
                if (localShards is null || localShards.Contains(i)) _shards[i] = OpenShard(i);
            }
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

    /// <summary>Current configuration (replaced as a whole on update).</summary>
    public CollectionConfig Config { get; internal set; }

    /// <summary>The cluster's replicas, or null in single-node mode.</summary>
    public IShardReplicas? Replicas { get; }

    /// <summary>Raft index of the entry that created this collection (0 in single-node mode).</summary>
    public ulong CreatedIndex { get; internal set; }

    /// <summary>Number of shards of the collection (local or not).</summary>
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
            foreach (var s in _shards) if (s is not null) n += s.Segment.Index.IndexedCount;
            return n;
        }
    }

    /// <summary>The local replica of <paramref name="shardId"/>, or null when this node holds none.</summary>
    public LocalShard? LocalShard(uint shardId) => shardId < _shards.Length ? Volatile.Read(ref _shards[shardId]) : null;

    /// <summary>Opens the local replica of <paramref name="shardId"/> (creating an empty one) if it is not open yet.</summary>
    public LocalShard EnsureLocalShard(uint shardId)
    {
        lock (_shardsLock)
        {
            return _shards[shardId] ??= OpenShard(shardId);
        }
    }

    /// <summary>Closes the local replica of <paramref name="shardId"/> and deletes its files (the replica moved away).</summary>
    public void DropLocalShard(uint shardId)
    {
        LocalShard? shard;
        lock (_shardsLock)
        {
            shard = _shards[shardId];
            _shards[shardId] = null;
        }

        if (shard is null) return;
        shard.Dispose();
        System.IO.Directory.Delete(shard.Directory, recursive: true);
    }

    /// <summary>Replaces the local replica of <paramref name="shardId"/> by an empty one (before a transfer refills it).</summary>
    public LocalShard ResetLocalShard(uint shardId)
    {
        DropLocalShard(shardId);
        return EnsureLocalShard(shardId);
    }

    /// <summary>Shard a point id belongs to (stable across restarts and nodes).</summary>
    public int ShardOf(PointId id)
    {
        if (_shards.Length == 1) return 0;
        ulong h = id.IsUuid ? (ulong)id.Uuid.GetHashCode() ^ 0x9E3779B97F4A7C15UL : id.Number;
        // SplitMix64 finaliser: spreads sequential ids evenly over shards.
        h ^= h >> 30; h *= 0xBF58476D1CE4E5B9UL;
        h ^= h >> 27; h *= 0x94D049BB133111EBUL;
        h ^= h >> 31;
        return (int)(h % (ulong)_shards.Length);
    }

    /// <summary>Flushes every dirty local shard.</summary>
    public void Flush()
    {
        foreach (var s in _shards) s?.Flush();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_shardsLock)
        {
            foreach (var s in _shards) s?.Dispose();
        }
    }

    private LocalShard OpenShard(uint shardId) =>
        new(shardId, Path.Combine(Directory, shardId.ToString(CultureInfo.InvariantCulture)), Config.ToSegmentConfig(), Config.WalCapacityMb, _shardLogger);
}

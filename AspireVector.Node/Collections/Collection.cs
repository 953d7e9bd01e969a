using AspireVector.Node.Points;
using AspireVector.Node.Storage;
using Microsoft.Extensions.Logging;

namespace AspireVector.Node.Collections;

/// <summary>
/// A named collection: its configuration and its shards. Points are routed to shards by a stable hash of
/// their id; reads fan out to every shard and merge.
/// </summary>
/// <remarks>All shards are local in single-node mode; the cluster layer replaces some by remote replica sets.</remarks>
public sealed partial class Collection : IDisposable
{
    private readonly LocalShard[] _shards;

    /// <summary>Opens (or creates) the shards of collection <paramref name="name"/> under <paramref name="directory"/>.</summary>
    public Collection(string name, string directory, CollectionConfig config, ILoggerFactory? loggerFactory = null)
    {
        Name = name;
        Directory = directory;
        Config = config;
        var segmentConfig = config.ToSegmentConfig();
        var logger = loggerFactory?.CreateLogger<LocalShard>();
        _shards = new LocalShard[config.ShardNumber];
        try
        {
            for (int i = 0; i < _shards.Length; i++)
                _shards[i] = new LocalShard((uint)i, Path.Combine(directory, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), segmentConfig, config.WalCapacityMb, logger);
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

    /// <summary>The local shards, by shard id.</summary>
    public IReadOnlyList<LocalShard> Shards => _shards;

    /// <summary>Live points over all shards.</summary>
    public long PointsCount
    {
        get
        {
            long n = 0;
            foreach (var s in _shards) n += s.Segment.PointCount;
            return n;
        }
    }

    /// <summary>Vectors reachable through a graph index.</summary>
    public long IndexedVectorsCount
    {
        get
        {
            long n = 0;
            foreach (var s in _shards) n += s.Segment.Index.IndexedCount;
            return n;
        }
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

    /// <summary>Flushes every dirty shard.</summary>
    public void Flush()
    {
        foreach (var s in _shards) s.Flush();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var s in _shards) s.Dispose();
    }
}

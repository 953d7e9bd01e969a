using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Node.Configuration;

namespace AspireVector.Node.Collections;

/// <summary>
/// The node config's collection defaults (<c>storage.collection.*</c>, <c>storage.hnsw_index.*</c>,
/// <c>storage.optimizers.*</c>, <c>storage.wal.*</c>, <c>storage.on_disk_payload</c>), applied to a new collection
/// for every field its create request leaves out, as Qdrant does.
/// </summary>
public static class CollectionDefaults
{
    /// <summary>Fills what <paramref name="body"/> leaves out; <paramref name="peers"/> is the default shard number in cluster mode.</summary>
    public static void Apply(CollectionConfig config, JsonElement body, StorageOptions storage, int? peers = null)
    {
        if (!body.TryGetProperty("shard_number", out _) && (storage.DefaultShardNumber ?? peers) is int shards) config.ShardNumber = Math.Max(1, shards);
        if (!body.TryGetProperty("replication_factor", out _)) config.ReplicationFactor = Math.Max(1, storage.DefaultReplicationFactor);
        if (!body.TryGetProperty("write_consistency_factor", out _)) config.WriteConsistencyFactor = Math.Max(1, storage.DefaultWriteConsistencyFactor);
        if (!body.TryGetProperty("on_disk_payload", out _)) config.OnDiskPayload = storage.OnDiskPayload;

        var hnsw = Section(body, "hnsw_config");
        Fill(config.Hnsw, hnsw, "m", storage.HnswM);
        Fill(config.Hnsw, hnsw, "ef_construct", storage.HnswEfConstruct);
        Fill(config.Hnsw, hnsw, "full_scan_threshold", storage.HnswFullScanThresholdKb);
        if (storage.HnswMaxIndexingThreads is int threads) Fill(config.Hnsw, hnsw, "max_indexing_threads", threads);

        var optimizers = Section(body, "optimizers_config");
        Fill(config.Optimizers, optimizers, "flush_interval_sec", storage.FlushIntervalSec);
        Fill(config.Optimizers, optimizers, "indexing_threshold", storage.IndexingThresholdKb);

        var wal = Section(body, "wal_config");
        Fill(config.Wal, wal, "wal_capacity_mb", storage.WalCapacityMb);
        Fill(config.Wal, wal, "wal_segments_ahead", storage.WalSegmentsAhead);
    }

    private static JsonElement? Section(JsonElement body, string name) =>
        body.TryGetProperty(name, out var section) && section.ValueKind == JsonValueKind.Object ? section : null;

    private static void Fill(JsonObject target, JsonElement? given, string key, int value)
    {
        if (given is { } section && section.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null) return;
        target[key] = value;
    }
}

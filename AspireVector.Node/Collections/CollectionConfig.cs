using System.Text.Json.Nodes;
using AspireVector.Node.Filters;
using AspireVector.Node.Index;
using AspireVector.Node.Storage;

namespace AspireVector.Node.Collections;

/// <summary>
/// A collection's configuration as Qdrant models it: vector params, sharding/replication, payload storage and
/// the hnsw/optimizer/wal/quantization sections, plus the payload index schema.
/// </summary>
/// <remarks>Mutated only under the table of contents' lock (PATCH, payload index changes), then persisted.</remarks>
public sealed partial class CollectionConfig
{
    /// <summary>Upper bound on <c>vectors.size</c> (Qdrant's limit).</summary>
    public const int MaxDimension = 65_536;

    /// <summary>Vector size (of the first named vector in a collection with named vectors).</summary>
    public int VectorSize { get; set; }

    /// <summary>Similarity function.</summary>
    public Distance Distance { get; set; }

    /// <summary><c>vectors.on_disk</c>, echoed when given.</summary>
    public bool? VectorsOnDisk { get; set; }

    /// <summary>Number of shards the collection's points are routed to.</summary>
    public int ShardNumber { get; set; } = 1;

    /// <summary>Copies of each shard (meaningful in cluster mode).</summary>
    public int ReplicationFactor { get; set; } = 1;

    /// <summary>Replicas that must log a write before it is acknowledged.</summary>
    public int WriteConsistencyFactor { get; set; } = 1;

    /// <summary><c>on_disk_payload</c>.</summary>
    public bool OnDiskPayload { get; set; } = true;

    /// <summary><c>hnsw_config</c>.</summary>
    public JsonObject Hnsw { get; set; } = ConfigSection.Hnsw.Defaults();

    /// <summary><c>optimizers_config</c> (returned as <c>optimizer_config</c> in collection info).</summary>
    public JsonObject Optimizers { get; set; } = ConfigSection.Optimizers.Defaults();

    /// <summary><c>wal_config</c>.</summary>
    public JsonObject Wal { get; set; } = ConfigSection.Wal.Defaults();

    /// <summary><c>quantization_config</c> as given (null for none); the indexes follow it (see <see cref="ToSegmentConfig"/>).</summary>
    public JsonNode? Quantization { get; set; }

    /// <summary>Payload indexes: field name to <c>{"data_type": .., "params": ..}</c>.</summary>
    public JsonObject PayloadSchema { get; set; } = [];

    /// <summary>WAL capacity in MB.</summary>
    public int WalCapacityMb => Count(Wal, "wal_capacity_mb", 32);

    /// <summary>Flush interval of the optimizer config.</summary>
    public int FlushIntervalSec => Count(Optimizers, "flush_interval_sec", 5);

    /// <summary>
    /// True for <c>optimizers_config.indexing_threshold: 0</c>, which Qdrant documents as "disable vector indexing"
    /// (the bulk-load recipe: upload, then set it back). Other thresholds index as soon as the linker gets to it.
    /// </summary>
    public bool IndexingDisabled => PayloadValue.TryGetInteger(Optimizers["indexing_threshold"], out long v) && v == 0;

    /// <summary>
    /// A count from a config section. Defaults are built from <c>int</c>s, validated PATCH values are <c>long</c>s and
    /// persisted configs read back as JSON elements, so the node's CLR type must not matter.
    /// </summary>
    private static int Count(JsonObject section, string key, int fallback) =>
        PayloadValue.TryGetInteger(section[key], out long v) ? (int)v : fallback;

    /// <summary>Qdrant's name for a distance.</summary>
    public static string DistanceName(Distance d) => d switch
    {
        Distance.Cosine => "Cosine",
        Distance.Euclid => "Euclid",
        Distance.Dot => "Dot",
        _ => "Manhattan",
    };

    /// <summary>Parses Qdrant's distance name (exact spelling, as serde does).</summary>
    public static bool TryParseDistance(string? name, out Distance distance)
    {
        switch (name)
        {
            case "Cosine": distance = Distance.Cosine; return true;
            case "Euclid": distance = Distance.Euclid; return true;
            case "Dot": distance = Distance.Dot; return true;
            case "Manhattan": distance = Distance.Manhattan; return true;
            default: distance = default; return false;
        }
    }
}

using System.Text.Json.Nodes;
using AspireVector.Node.Collections;
using Q = Qdrant.Client.Grpc;

#pragma warning disable CS0612 // deprecated proto fields: older clients still send and read them

namespace AspireVector.Node.Api.Grpc;

/// <summary>
/// Collection settings between Qdrant's gRPC messages and the REST JSON bodies the node's config code reads
/// (<see cref="CollectionConfig.FromCreateRequest"/>, <see cref="CollectionConfig.WithUpdate"/>), so both APIs
/// validate the same way; and the stored config back to gRPC's <c>CollectionConfig</c>.
/// </summary>
public static partial class GrpcCollectionConfig
{
    /// <summary>The REST body of <c>PUT /collections/{name}</c> equivalent to <paramref name="request"/>.</summary>
    public static JsonObject CreateBody(Q.CreateCollection request)
    {
        var body = new JsonObject();
        if (request.VectorsConfig is { } vectors) body["vectors"] = Vectors(vectors);
        if (request.HasShardNumber) body["shard_number"] = request.ShardNumber;
        if (request.HasReplicationFactor) body["replication_factor"] = request.ReplicationFactor;
        if (request.HasWriteConsistencyFactor) body["write_consistency_factor"] = request.WriteConsistencyFactor;
        if (request.HasOnDiskPayload) body["on_disk_payload"] = request.OnDiskPayload;
        if (request.HnswConfig is { } hnsw) body["hnsw_config"] = Hnsw(hnsw);
        if (request.WalConfig is { } wal) body["wal_config"] = Wal(wal);
        if (request.OptimizersConfig is { } optimizers) body["optimizers_config"] = Optimizers(optimizers);
        if (request.QuantizationConfig is { } quantization) body["quantization_config"] = Quantization(quantization);
        if (request.SparseVectorsConfig is { Map.Count: > 0 } sparse) body["sparse_vectors"] = SparseVectors(sparse);
        if (request.HasShardingMethod) body["sharding_method"] = request.ShardingMethod == Q.ShardingMethod.Custom ? "custom" : "auto";
        if (request.StrictModeConfig is { } strict) body["strict_mode_config"] = StrictModeBody(strict);
        if (request.Metadata.Count > 0) body["metadata"] = MetadataBody(request.Metadata);
        return body;
    }

    /// <summary>The REST body of <c>PATCH /collections/{name}</c> equivalent to <paramref name="request"/>.</summary>
    public static JsonObject UpdateBody(Q.UpdateCollection request)
    {
        var body = new JsonObject();
        if (request.Params is { } p)
        {
            var json = new JsonObject();
            if (p.HasReplicationFactor) json["replication_factor"] = p.ReplicationFactor;
            if (p.HasWriteConsistencyFactor) json["write_consistency_factor"] = p.WriteConsistencyFactor;
            if (p.HasOnDiskPayload) json["on_disk_payload"] = p.OnDiskPayload;
            if (p.HasReadFanOutFactor) json["read_fan_out_factor"] = p.ReadFanOutFactor; // refused by WithUpdate, as in REST
            body["params"] = json;
        }
        if (request.HnswConfig is { } hnsw) body["hnsw_config"] = Hnsw(hnsw);
        if (request.OptimizersConfig is { } optimizers) body["optimizers_config"] = Optimizers(optimizers);
        if (request.QuantizationConfig is { } q) body["quantization_config"] = QuantizationDiff(q);
        if (request.VectorsConfig is { } vectors)
        {
            var json = new JsonObject();
            switch (vectors.ConfigCase)
            {
                case Q.VectorsConfigDiff.ConfigOneofCase.Params: json[""] = VectorParamsDiff(vectors.Params); break;
                case Q.VectorsConfigDiff.ConfigOneofCase.ParamsMap:
                    foreach (var (name, diff) in vectors.ParamsMap.Map) json[name] = VectorParamsDiff(diff);
                    break;
            }
            body["vectors"] = json;
        }
        if (request.SparseVectorsConfig is { Map.Count: > 0 } sparse) body["sparse_vectors"] = SparseVectors(sparse);
        if (request.StrictModeConfig is { } strict) body["strict_mode_config"] = StrictModeBody(strict);
        if (request.Metadata.Count > 0) body["metadata"] = MetadataBody(request.Metadata);
        return body;
    }

    /// <summary>A <c>quantization_config</c> diff: <c>Disabled</c> removes it.</summary>
    private static JsonNode? QuantizationDiff(Q.QuantizationConfigDiff q) => q.QuantizationCase switch
    {
        Q.QuantizationConfigDiff.QuantizationOneofCase.Disabled => null,
        Q.QuantizationConfigDiff.QuantizationOneofCase.Scalar => new JsonObject { ["scalar"] = Scalar(q.Scalar) },
        Q.QuantizationConfigDiff.QuantizationOneofCase.Product => new JsonObject { ["product"] = Product(q.Product) },
        Q.QuantizationConfigDiff.QuantizationOneofCase.Binary => new JsonObject { ["binary"] = Binary(q.Binary) },
        var other => throw CollectionException.WrongInput($"quantization `{other}` is not supported by this node"),
    };

    /// <summary>One vector's PATCH diff (hnsw_config, quantization_config, on_disk).</summary>
    private static JsonObject VectorParamsDiff(Q.VectorParamsDiff diff)
    {
        var json = new JsonObject();
        if (diff.HnswConfig is { } hnsw) json["hnsw_config"] = Hnsw(hnsw);
        if (diff.QuantizationConfig is { } q) json["quantization_config"] = q.QuantizationCase == Q.QuantizationConfigDiff.QuantizationOneofCase.Disabled ? "Disabled" : QuantizationDiff(q);
        if (diff.HasOnDisk) json["on_disk"] = diff.OnDisk;
        return json;
    }

    /// <summary>The stored config as gRPC's <c>CollectionConfig</c>.</summary>
    public static Q.CollectionConfig ToGrpc(CollectionConfig config)
    {
        var vectors = new Q.VectorsConfig();
        if (config.NamedVectors is { } named)
        {
            var map = new Q.VectorParamsMap();
            foreach (var (name, v) in named) map.Map[name] = NamedVectorParams(v);
            vectors.ParamsMap = map;
        }
        else
        {
            vectors.Params = new Q.VectorParams { Size = (ulong)config.VectorSize, Distance = Distance(config.Distance) };
            if (config.VectorsOnDisk is bool onDisk) vectors.Params.OnDisk = onDisk;
            if (config.UnnamedMultivector) vectors.Params.MultivectorConfig = MaxSim();
        }
        var result = new Q.CollectionConfig
        {
            Params = new Q.CollectionParams
            {
                ShardNumber = (uint)config.ShardNumber,
                OnDiskPayload = config.OnDiskPayload,
                VectorsConfig = vectors,
                SparseVectorsConfig = SparseVectorsToGrpc(config),
                ReplicationFactor = (uint)config.ReplicationFactor,
                WriteConsistencyFactor = (uint)config.WriteConsistencyFactor,
            },
            HnswConfig = new Q.HnswConfigDiff(),
            OptimizerConfig = new Q.OptimizersConfigDiff(),
            WalConfig = new Q.WalConfigDiff(),
        };
        if (config.ShardingMethod is { } method) result.Params.ShardingMethod = method == "custom" ? Q.ShardingMethod.Custom : Q.ShardingMethod.Auto;
        var h = config.Hnsw;
        if (Count(h, "m") is { } m) result.HnswConfig.M = m;
        if (Count(h, "ef_construct") is { } ef) result.HnswConfig.EfConstruct = ef;
        if (Count(h, "full_scan_threshold") is { } fst) result.HnswConfig.FullScanThreshold = fst;
        if (Count(h, "max_indexing_threads") is { } threads) result.HnswConfig.MaxIndexingThreads = threads;
        if (Flag(h, "on_disk") is { } hnswOnDisk) result.HnswConfig.OnDisk = hnswOnDisk;
        if (Count(h, "payload_m") is { } payloadM) result.HnswConfig.PayloadM = payloadM;
        if (Flag(h, "inline_storage") is { } inline) result.HnswConfig.InlineStorage = inline;
        var o = config.Optimizers;
        if (Number(o, "deleted_threshold") is { } deleted) result.OptimizerConfig.DeletedThreshold = deleted;
        if (Count(o, "vacuum_min_vector_number") is { } vacuum) result.OptimizerConfig.VacuumMinVectorNumber = vacuum;
        if (Count(o, "default_segment_number") is { } segments) result.OptimizerConfig.DefaultSegmentNumber = segments;
        if (Count(o, "max_segment_size") is { } maxSegment) result.OptimizerConfig.MaxSegmentSize = maxSegment;
        if (Count(o, "memmap_threshold") is { } memmap) result.OptimizerConfig.MemmapThreshold = memmap;
        if (Count(o, "indexing_threshold") is { } indexing) result.OptimizerConfig.IndexingThreshold = indexing;
        if (Count(o, "flush_interval_sec") is { } flush) result.OptimizerConfig.FlushIntervalSec = flush;
        if (Count(o, "max_optimization_threads") is { } optThreads) result.OptimizerConfig.MaxOptimizationThreads = new Q.MaxOptimizationThreads { Value = optThreads };
        if (Flag(o, "prevent_unoptimized") is { } prevent) result.OptimizerConfig.PreventUnoptimized = prevent;
        if (Count(config.Wal, "wal_capacity_mb") is { } capacity) result.WalConfig.WalCapacityMb = capacity;
        if (Count(config.Wal, "wal_segments_ahead") is { } ahead) result.WalConfig.WalSegmentsAhead = ahead;
        if (Count(config.Wal, "wal_retain_closed") is { } retain) result.WalConfig.WalRetainClosed = retain;
        if (QuantizationToGrpc(config.Quantization) is { } quantization) result.QuantizationConfig = quantization;
        if (config.StrictMode is { } strict) result.StrictModeConfig = StrictModeToGrpc(strict);
        PayloadValues.CopyTo(config.Metadata, result.Metadata);
        return result;
    }

    private static Q.QuantizationConfig? QuantizationToGrpc(JsonNode? quantization)
    {
        if (quantization?["binary"] is JsonObject binary)
        {
            var b = new Q.BinaryQuantization();
            if (Flag(binary, "always_ram") is { } binaryAlwaysRam) b.AlwaysRam = binaryAlwaysRam;
            if (binary["encoding"] is JsonValue encoding && encoding.TryGetValue(out string? e) && e == "one_bit") b.Encoding = Q.BinaryQuantizationEncoding.OneBit;
            if (binary["query_encoding"] is JsonValue queryEncoding && queryEncoding.TryGetValue(out string? q))
            {
                b.QueryEncoding = new Q.BinaryQuantizationQueryEncoding
                {
                    Setting = q == "binary" ? Q.BinaryQuantizationQueryEncoding.Types.Setting.Binary : Q.BinaryQuantizationQueryEncoding.Types.Setting.Default,
                };
            }
            return new Q.QuantizationConfig { Binary = b };
        }
        if (quantization?["product"] is JsonObject product)
        {
            var p = new Q.ProductQuantization();
            if (product["compression"] is JsonValue c && c.TryGetValue(out string? ratio) && Enum.TryParse(ratio, ignoreCase: true, out Q.CompressionRatio compression))
                p.Compression = compression;
            if (Flag(product, "always_ram") is { } productAlwaysRam) p.AlwaysRam = productAlwaysRam;
            return new Q.QuantizationConfig { Product = p };
        }
        if (quantization?["scalar"] is not JsonObject scalar) return null;
        var s = new Q.ScalarQuantization { Type = Q.QuantizationType.Int8 };
        if (Number(scalar, "quantile") is { } quantile) s.Quantile = (float)quantile;
        if (Flag(scalar, "always_ram") is { } alwaysRam) s.AlwaysRam = alwaysRam;
        return new Q.QuantizationConfig { Scalar = s };
    }

    private static Q.VectorParams NamedVectorParams(Collections.VectorParams v)
    {
        var p = new Q.VectorParams { Size = (ulong)v.Size, Distance = Distance(v.Distance) };
        if (v.OnDisk is bool onDisk) p.OnDisk = onDisk;
        if (v.Multivector) p.MultivectorConfig = MaxSim();
        if (v.Hnsw is { } h)
        {
            p.HnswConfig = new Q.HnswConfigDiff();
            if (Count(h, "m") is { } m) p.HnswConfig.M = m;
            if (Count(h, "ef_construct") is { } ef) p.HnswConfig.EfConstruct = ef;
            if (Count(h, "full_scan_threshold") is { } fst) p.HnswConfig.FullScanThreshold = fst;
            if (Count(h, "max_indexing_threads") is { } threads) p.HnswConfig.MaxIndexingThreads = threads;
            if (Flag(h, "on_disk") is { } hnswOnDisk) p.HnswConfig.OnDisk = hnswOnDisk;
        }
        if (QuantizationToGrpc(v.Quantization) is { } quantization) p.QuantizationConfig = quantization;
        return p;
    }

    /// <summary>gRPC's name of a distance.</summary>
    public static Q.Distance Distance(Index.Distance d) => d switch
    {
        Index.Distance.Cosine => Q.Distance.Cosine,
        Index.Distance.Euclid => Q.Distance.Euclid,
        Index.Distance.Dot => Q.Distance.Dot,
        Index.Distance.Manhattan => Q.Distance.Manhattan,
        _ => Q.Distance.UnknownDistance,
    };

    /// <summary>The payload schema type of a stored index's <c>data_type</c>.</summary>
    public static Q.PayloadSchemaType SchemaType(string? dataType) => dataType switch
    {
        "keyword" => Q.PayloadSchemaType.Keyword,
        "integer" => Q.PayloadSchemaType.Integer,
        "float" => Q.PayloadSchemaType.Float,
        "geo" => Q.PayloadSchemaType.Geo,
        "text" => Q.PayloadSchemaType.Text,
        "bool" => Q.PayloadSchemaType.Bool,
        "datetime" => Q.PayloadSchemaType.Datetime,
        "uuid" => Q.PayloadSchemaType.Uuid,
        _ => Q.PayloadSchemaType.UnknownType,
    };

    private static JsonObject Vectors(Q.VectorsConfig vectors)
    {
        switch (vectors.ConfigCase)
        {
            case Q.VectorsConfig.ConfigOneofCase.Params:
                return VectorParams(vectors.Params);
            case Q.VectorsConfig.ConfigOneofCase.ParamsMap:
                var map = vectors.ParamsMap.Map;
                if (map.Count == 1 && map.TryGetValue("", out var unnamed)) return VectorParams(unnamed);
                // Named vectors: the REST reader refuses them with its own message.
                var named = new JsonObject();
                foreach (var (name, p) in map) named[name] = VectorParams(p);
                return named;
            default:
                throw CollectionException.BadJson("missing field `vectors`");
        }
    }

    private static Q.MultiVectorConfig MaxSim() => new() { Comparator = Q.MultiVectorComparator.MaxSim };

    private static JsonObject VectorParams(Q.VectorParams p)
    {
        if (p.HasDatatype && p.Datatype is not (Q.Datatype.Default or Q.Datatype.Float32))
            throw CollectionException.WrongInput($"vector datatype `{p.Datatype}` is not supported by this node, only float32");
        var json = new JsonObject { ["size"] = p.Size, ["distance"] = p.Distance.ToString() };
        if (p.HasOnDisk) json["on_disk"] = p.OnDisk;
        if (p.HnswConfig is { } hnsw) json["hnsw_config"] = Hnsw(hnsw);
        if (p.QuantizationConfig is { } q) json["quantization_config"] = Quantization(q);
        if (p.MultivectorConfig is { } multi)
        {
            json["multivector_config"] = multi.Comparator == Q.MultiVectorComparator.MaxSim
                ? new JsonObject { ["comparator"] = "max_sim" }
                : throw CollectionException.BadJson($"unknown variant `{multi.Comparator}`, expected `max_sim` in `multivector_config.comparator`");
        }

        return json;
    }

    private static JsonObject Hnsw(Q.HnswConfigDiff h)
    {
        var json = new JsonObject();
        if (h.HasM) json["m"] = h.M;
        if (h.HasEfConstruct) json["ef_construct"] = h.EfConstruct;
        if (h.HasFullScanThreshold) json["full_scan_threshold"] = h.FullScanThreshold;
        if (h.HasMaxIndexingThreads) json["max_indexing_threads"] = h.MaxIndexingThreads;
        if (h.HasOnDisk) json["on_disk"] = h.OnDisk;
        if (h.HasPayloadM) json["payload_m"] = h.PayloadM;
        if (h.HasInlineStorage) json["inline_storage"] = h.InlineStorage;
        return json;
    }

    private static JsonObject Wal(Q.WalConfigDiff w)
    {
        var json = new JsonObject();
        if (w.HasWalCapacityMb) json["wal_capacity_mb"] = w.WalCapacityMb;
        if (w.HasWalSegmentsAhead) json["wal_segments_ahead"] = w.WalSegmentsAhead;
        if (w.HasWalRetainClosed) json["wal_retain_closed"] = w.WalRetainClosed;
        return json;
    }

    private static JsonObject Optimizers(Q.OptimizersConfigDiff o)
    {
        var json = new JsonObject();
        if (o.HasDeletedThreshold) json["deleted_threshold"] = o.DeletedThreshold;
        if (o.HasVacuumMinVectorNumber) json["vacuum_min_vector_number"] = o.VacuumMinVectorNumber;
        if (o.HasDefaultSegmentNumber) json["default_segment_number"] = o.DefaultSegmentNumber;
        if (o.HasMaxSegmentSize) json["max_segment_size"] = o.MaxSegmentSize;
        if (o.HasMemmapThreshold) json["memmap_threshold"] = o.MemmapThreshold;
        if (o.HasIndexingThreshold) json["indexing_threshold"] = o.IndexingThreshold;
        if (o.HasFlushIntervalSec) json["flush_interval_sec"] = o.FlushIntervalSec;
        if (o.MaxOptimizationThreads is { VariantCase: Q.MaxOptimizationThreads.VariantOneofCase.Value } threads) json["max_optimization_threads"] = threads.Value;
        if (o.HasPreventUnoptimized) json["prevent_unoptimized"] = o.PreventUnoptimized;
        return json;
    }

    private static JsonObject Quantization(Q.QuantizationConfig q) => q.QuantizationCase switch
    {
        Q.QuantizationConfig.QuantizationOneofCase.Scalar => new JsonObject { ["scalar"] = Scalar(q.Scalar) },
        Q.QuantizationConfig.QuantizationOneofCase.Product => new JsonObject { ["product"] = Product(q.Product) },
        Q.QuantizationConfig.QuantizationOneofCase.Binary => new JsonObject { ["binary"] = Binary(q.Binary) },
        var other => throw CollectionException.WrongInput($"quantization `{other}` is not supported by this node"),
    };

    private static JsonObject Scalar(Q.ScalarQuantization s)
    {
        if (s.Type != Q.QuantizationType.Int8) throw CollectionException.BadJson($"unknown variant `{s.Type}`, expected `int8` in `quantization_config.scalar.type`");
        var json = new JsonObject { ["type"] = "int8" };
        if (s.HasQuantile) json["quantile"] = s.Quantile;
        if (s.HasAlwaysRam) json["always_ram"] = s.AlwaysRam;
        return json;
    }

    private static JsonObject Product(Q.ProductQuantization p)
    {
        var json = new JsonObject { ["compression"] = p.Compression.ToString().ToLowerInvariant() };
        if (p.HasAlwaysRam) json["always_ram"] = p.AlwaysRam;
        return json;
    }

    private static JsonObject Binary(Q.BinaryQuantization b)
    {
        var json = new JsonObject();
        if (b.HasAlwaysRam) json["always_ram"] = b.AlwaysRam;
        if (b.HasEncoding)
        {
            json["encoding"] = b.Encoding switch
            {
                Q.BinaryQuantizationEncoding.OneBit => "one_bit",
                Q.BinaryQuantizationEncoding.TwoBits => "two_bits",
                Q.BinaryQuantizationEncoding.OneAndHalfBits => "one_and_half_bits",
                var other => other.ToString(),
            };
        }
        if (b.QueryEncoding is { HasSetting: true } query)
        {
            json["query_encoding"] = query.Setting switch
            {
                Q.BinaryQuantizationQueryEncoding.Types.Setting.Default => "default",
                Q.BinaryQuantizationQueryEncoding.Types.Setting.Binary => "binary",
                Q.BinaryQuantizationQueryEncoding.Types.Setting.Scalar4Bits => "scalar4bits",
                Q.BinaryQuantizationQueryEncoding.Types.Setting.Scalar8Bits => "scalar8bits",
                var other => other.ToString(),
            };
        }
        return json;
    }

    private static ulong? Count(JsonObject o, string key) =>
        o[key] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number
            && ulong.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    private static double? Number(JsonObject o, string key) =>
        o[key] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number ? double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) : null;

    private static bool? Flag(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue(out bool b) ? b : null;
}

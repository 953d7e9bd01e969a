using System.Globalization;

namespace AspireVector.Node.Configuration;

/// <summary>
/// The settings a node understands, by Qdrant's dotted key names, with the parser that applies each one to
/// <see cref="NodeOptions"/>. Keys of Qdrant's own config file that have no effect here are accepted and ignored,
/// so a Qdrant config file works unchanged; any other key is an error.
/// </summary>
internal static class NodeConfigKeys
{
    private static readonly Dictionary<string, Action<NodeOptions, string?, string>> Setters = new(StringComparer.Ordinal)
    {
        ["log_level"] = (o, v, k) => o.LogLevel = OneOf(k, v, "TRACE", "DEBUG", "INFO", "WARN", "ERROR"),

        ["service.host"] = (o, v, k) => o.Service.Host = Required(k, v),
        ["service.http_port"] = (o, v, k) => o.Service.HttpPort = Port(k, v),
        ["service.grpc_port"] = (o, v, k) => o.Service.GrpcPort = v is null ? null : Port(k, v),
        ["service.max_request_size_mb"] = (o, v, k) => o.Service.MaxRequestSizeMb = Int(k, v, 1, 4096),
        ["service.enable_cors"] = (o, v, k) => o.Service.EnableCors = Bool(k, v),
        ["service.api_key"] = (o, v, _) => o.Service.ApiKey = Empty(v),
        ["service.read_only_api_key"] = (o, v, _) => o.Service.ReadOnlyApiKey = Empty(v),
        ["service.jwt_rbac"] = (o, v, k) => o.Service.JwtRbac = Bool(k, v),
        ["service.metrics_prefix"] = (o, v, _) => o.Service.MetricsPrefix = Empty(v),
        ["service.enable_tls"] = (o, v, k) => o.Service.EnableTls = Bool(k, v),
        ["service.verify_https_client_certificate"] = (o, v, k) => o.Service.VerifyHttpsClientCertificate = Bool(k, v),
        ["service.max_search_limit"] = (o, v, k) => o.Service.MaxSearchLimit = Int(k, v, 1, int.MaxValue),
        ["service.max_batch_size"] = (o, v, k) => o.Service.MaxBatchSize = Int(k, v, 1, int.MaxValue),

        ["storage.storage_path"] = (o, v, k) => o.Storage.StoragePath = Required(k, v),
        ["storage.snapshots_path"] = (o, v, k) => o.Storage.SnapshotsPath = Required(k, v),
        ["storage.on_disk_payload"] = (o, v, k) => o.Storage.OnDiskPayload = Bool(k, v),
        ["storage.node_type"] = (o, v, k) => o.Storage.NodeType = OneOf(k, v, "Normal", "Listener"),
        ["storage.wal.wal_capacity_mb"] = (o, v, k) => o.Storage.WalCapacityMb = Int(k, v, 1, 1 << 20),
        ["storage.wal.wal_segments_ahead"] = (o, v, k) => o.Storage.WalSegmentsAhead = Int(k, v, 0, 1024),
        ["storage.optimizers.flush_interval_sec"] = (o, v, k) => o.Storage.FlushIntervalSec = Int(k, v, 1, 86_400),
        ["storage.optimizers.indexing_threshold_kb"] = (o, v, k) => o.Storage.IndexingThresholdKb = Int(k, v, 0, int.MaxValue),
        ["storage.hnsw_index.m"] = (o, v, k) => o.Storage.HnswM = Int(k, v, 0, 1024),
        ["storage.hnsw_index.ef_construct"] = (o, v, k) => o.Storage.HnswEfConstruct = Int(k, v, 4, 100_000),
        ["storage.hnsw_index.full_scan_threshold_kb"] = (o, v, k) => o.Storage.HnswFullScanThresholdKb = Int(k, v, 0, int.MaxValue),
        ["storage.hnsw_index.max_indexing_threads"] = (o, v, k) => o.Storage.HnswMaxIndexingThreads = v is null ? null : Int(k, v, 0, 1024),
        ["storage.collection.replication_factor"] = (o, v, k) => o.Storage.DefaultReplicationFactor = Int(k, v, 1, 64),
        ["storage.collection.write_consistency_factor"] = (o, v, k) => o.Storage.DefaultWriteConsistencyFactor = Int(k, v, 1, 64),
        ["storage.collection.shard_number"] = (o, v, k) => o.Storage.DefaultShardNumber = v is null ? null : Int(k, v, 1, 65_536),
        ["storage.max_collections"] = (o, v, k) => o.Storage.MaxCollections = v is null ? int.MaxValue : Int(k, v, 0, int.MaxValue),
        ["storage.max_vector_dimension"] = (o, v, k) => o.Storage.MaxVectorDimension = Int(k, v, 1, 1 << 20),
        ["storage.shard_transfer_method"] = (o, v, k) => o.Storage.ShardTransferMethod = v is null ? null : OneOf(k, v, "stream_records", "snapshot", "wal_delta"),
        ["storage.fault_injection_file"] = (o, v, _) => o.Storage.FaultInjectionFile = Empty(v),
        ["storage.performance.incoming_shard_transfers_limit"] = (o, v, k) => o.Storage.IncomingShardTransfersLimit = Int(k, v, 1, 1024),
        ["storage.performance.outgoing_shard_transfers_limit"] = (o, v, k) => o.Storage.OutgoingShardTransfersLimit = Int(k, v, 1, 1024),

        ["cluster.enabled"] = (o, v, k) => o.Cluster.Enabled = Bool(k, v),
        ["cluster.p2p.port"] = (o, v, k) => o.Cluster.P2pPort = Port(k, v),
        ["cluster.p2p.enable_tls"] = (o, v, k) => o.Cluster.P2pEnableTls = Bool(k, v),
        ["cluster.p2p.connection_pool_size"] = (o, v, k) => o.Cluster.P2pConnectionPoolSize = Int(k, v, 1, 64),
        ["cluster.p2p.fault_injection_file"] = (o, v, k) => o.Cluster.P2pFaultInjectionFile = v,
        ["cluster.p2p.api_key"] = (o, v, _) => o.Cluster.P2pApiKey = Empty(v),
        ["cluster.grpc_timeout_ms"] = (o, v, k) => o.Cluster.GrpcTimeoutMs = Int(k, v, 1, int.MaxValue),
        ["cluster.connection_timeout_ms"] = (o, v, k) => o.Cluster.ConnectionTimeoutMs = Int(k, v, 1, int.MaxValue),
        ["cluster.consensus.tick_period_ms"] = (o, v, k) => o.Cluster.TickPeriodMs = Int(k, v, 1, 60_000),
        ["cluster.consensus.bootstrap_timeout_sec"] = (o, v, k) => o.Cluster.BootstrapTimeoutSec = Int(k, v, 1, 3_600),
        ["cluster.consensus.max_message_queue_size"] = (o, v, k) => o.Cluster.MaxMessageQueueSize = Int(k, v, 1, 1_000_000),
        ["cluster.consensus.compact_wal_entries"] = (o, v, k) => o.Cluster.CompactWalEntries = Int(k, v, 1, int.MaxValue),
        ["cluster.replica_write_grace_ms"] = (o, v, k) => o.Cluster.ReplicaWriteGraceMs = Int(k, v, 0, 600_000),
        ["cluster.read_hedge_delay_ms"] = (o, v, k) => o.Cluster.ReadHedgeDelayMs = Int(k, v, 0, 600_000),
        ["cluster.self_healing.enabled"] = (o, v, k) => o.Cluster.SelfHealing = Bool(k, v),
        ["cluster.self_healing.peer_dead_after_sec"] = (o, v, k) => o.Cluster.PeerDeadAfterSec = Int(k, v, 1, 86_400),

        ["tls.cert"] = (o, v, _) => o.Tls.Cert = Empty(v),
        ["tls.key"] = (o, v, _) => o.Tls.Key = Empty(v),
        ["tls.ca_cert"] = (o, v, _) => o.Tls.CaCert = Empty(v),
        ["tls.cert_ttl"] = (o, v, k) => o.Tls.CertTtl = Int(k, v, 0, int.MaxValue),
    };

    /// <summary>Qdrant settings with no effect on this implementation: accepted so Qdrant config files load.</summary>
    private static readonly string[] IgnoredQdrantPrefixes =
    [
        "logger.", "telemetry_disabled", "audit.", "gpu.", "inference.", "debugger.", "feature_flags.",
        "storage.snapshots_config.", "storage.temp_path", "storage.update_concurrency", "storage.payload.",
        "storage.low_memory_mode", "storage.performance.", "storage.optimizers.", "storage.optimizers_overwrite.",
        "storage.hnsw_index.on_disk", "storage.hnsw_index.payload_m", "storage.collection.vectors.",
        "storage.collection.quantization", "storage.collection.strict_mode.", "storage.collection.shard_number_per_node",
        "storage.quotas.", "service.max_workers", "service.hide_jwt_dashboard", "service.enforce_internal_auth",
        "service.hardware_reporting", "service.enable_snapshot_url_recovery", "service.static_content_dir",
        "service.enable_static_content", "cluster.p2p.max_transfer_concurrency", "cluster.resharding_enabled",
    ];

    /// <summary>Applies one setting; throws <see cref="NodeConfigException"/> naming the key when it is wrong.</summary>
    public static void Apply(NodeOptions options, string key, string? value)
    {
        if (Setters.TryGetValue(key, out var setter))
        {
            setter(options, value, key);
            return;
        }
        foreach (var prefix in IgnoredQdrantPrefixes)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal)) return;
        }
        throw new NodeConfigException(key, "unknown setting");
    }

    private static string Required(string key, string? value) =>
        string.IsNullOrWhiteSpace(value) ? throw new NodeConfigException(key, "a value is required") : value;

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static int Port(string key, string? value) => Int(key, value, 0, 65_535);

    private static int Int(string key, string? value, int min, int max)
    {
        if (!int.TryParse(Required(key, value), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            throw new NodeConfigException(key, $"expected an integer, got \"{value}\"");
        if (n < min || n > max) throw new NodeConfigException(key, $"{n} is out of range [{min}, {max}]");
        return n;
    }

    private static bool Bool(string key, string? value) => Required(key, value).ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => throw new NodeConfigException(key, $"expected true or false, got \"{value}\""),
    };

    private static string OneOf(string key, string? value, params string[] allowed)
    {
        var v = Required(key, value);
        foreach (var a in allowed)
        {
            if (string.Equals(a, v, StringComparison.OrdinalIgnoreCase)) return a;
        }
        throw new NodeConfigException(key, $"expected one of {string.Join(", ", allowed)}, got \"{v}\"");
    }
}

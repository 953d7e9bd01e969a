namespace AspireVector.Node.Configuration;

/// <summary>
/// A node's settings, with Qdrant's key names (<c>service.http_port</c>, <c>storage.storage_path</c>, ...).
/// Filled by <see cref="NodeConfigLoader"/> from the YAML file, then <c>AV__SECTION__KEY</c> /
/// <c>QDRANT__SECTION__KEY</c> environment variables, then command-line flags.
/// </summary>
public sealed class NodeOptions
{
    public string LogLevel { get; set; } = "INFO";
    public ServiceOptions Service { get; set; } = new();
    public StorageOptions Storage { get; set; } = new();
    public ClusterOptions Cluster { get; set; } = new();
    public TlsOptions Tls { get; set; } = new();

    /// <summary><c>--uri</c>: this peer's own P2P address, e.g. <c>http://node-1:6335</c>.</summary>
    public string? Uri { get; set; }

    /// <summary><c>--bootstrap</c>: P2P address of an existing peer to join through.</summary>
    public string? Bootstrap { get; set; }

    /// <summary>
    /// <c>--snapshot path:collection</c> (repeatable): collection snapshots restored before the node serves (single node).
    /// </summary>
    public List<(string File, string Collection)> StartupSnapshots { get; } = [];

    /// <summary><c>--storage-snapshot path</c>: a full storage snapshot restored before the node serves (single node).</summary>
    public string? StartupStorageSnapshot { get; set; }

    /// <summary><c>--force-snapshot</c>: startup snapshots replace collections that already exist (else those are kept).</summary>
    public bool ForceSnapshot { get; set; }

    /// <summary>The config file actually read, if any.</summary>
    public string? ConfigPath { get; set; }
}

public sealed class ServiceOptions
{
    public string Host { get; set; } = "0.0.0.0";
    public int HttpPort { get; set; } = 6333;
    /// <summary>Public gRPC port; 0 or null disables it.</summary>
    public int? GrpcPort { get; set; } = 6334;
    public int MaxRequestSizeMb { get; set; } = 32;
    public bool EnableCors { get; set; } = true;
    public string? ApiKey { get; set; }
    public string? ReadOnlyApiKey { get; set; }
    public bool JwtRbac { get; set; }
    public string? MetricsPrefix { get; set; }
    public bool EnableTls { get; set; }
    public bool VerifyHttpsClientCertificate { get; set; }
    /// <summary>Upper bound on a search/query/scroll <c>limit</c>.</summary>
    public int MaxSearchLimit { get; set; } = 100_000;
    /// <summary>Upper bound on points in one upsert request.</summary>
    public int MaxBatchSize { get; set; } = 100_000;
}

public sealed class StorageOptions
{
    public string StoragePath { get; set; } = "./storage";
    public string SnapshotsPath { get; set; } = "./snapshots";
    public bool OnDiskPayload { get; set; } = true;
    /// <summary><c>Normal</c> or <c>Listener</c> (receives updates, never serves reads).</summary>
    public string NodeType { get; set; } = "Normal";
    public int WalCapacityMb { get; set; } = 32;
    public int WalSegmentsAhead { get; set; }
    /// <summary>Flush segments and truncate the WAL at most this often.</summary>
    public int FlushIntervalSec { get; set; } = 5;
    public int HnswM { get; set; } = 16;
    public int HnswEfConstruct { get; set; } = 100;
    public int HnswFullScanThresholdKb { get; set; } = 10_000;
    public int? HnswMaxIndexingThreads { get; set; }
    public int IndexingThresholdKb { get; set; } = 10_000;
    public int DefaultReplicationFactor { get; set; } = 1;
    public int DefaultWriteConsistencyFactor { get; set; } = 1;
    public int? DefaultShardNumber { get; set; }
    public int MaxCollections { get; set; } = 10_000;
    public int MaxVectorDimension { get; set; } = 65_536;
    public string? ShardTransferMethod { get; set; }
    public int IncomingShardTransfersLimit { get; set; } = 1;
    public int OutgoingShardTransfersLimit { get; set; } = 1;
    /// <summary>
    /// Testing aid (ours): a file whose lines <c>wal</c> / <c>flush</c> make WAL writes / segment flushes fail as on a
    /// full disk (see <see cref="Storage.StorageFaults"/>). Unset in production.
    /// </summary>
    public string? FaultInjectionFile { get; set; }
}

public sealed class ClusterOptions
{
    public bool Enabled { get; set; }
    public int P2pPort { get; set; } = 6335;
    public bool P2pEnableTls { get; set; }
    public int P2pConnectionPoolSize { get; set; } = 1;
    public int GrpcTimeoutMs { get; set; } = 5_000;
    public int ConnectionTimeoutMs { get; set; } = 5_000;
    public int TickPeriodMs { get; set; } = 100;
    public int BootstrapTimeoutSec { get; set; } = 15;
    public int MaxMessageQueueSize { get; set; } = 100;
    public int CompactWalEntries { get; set; } = 128;
    /// <summary>
    /// Testing aid (ours): a file of <c>drop URI</c> / <c>delay URI MS</c> lines applied to this node's outgoing P2P
    /// calls, so fault tests can partition peers or slow them down on loopback. Unset in production.
    /// </summary>
    public string? P2pFaultInjectionFile { get; set; }

    /// <summary>Internal key every P2P call must carry (ours; Qdrant has none).</summary>
    public string? P2pApiKey { get; set; }
    /// <summary>
    /// How long a write acknowledged by <c>write_consistency_factor</c> replicas waits for the slower ones before they are
    /// marked dead (ours; they are recovered by a transfer). Every acknowledged write is on every replica still active.
    /// </summary>
    public int ReplicaWriteGraceMs { get; set; } = 5_000;

    /// <summary>
    /// Hedged reads (ours): when the chosen remote replica has not answered a read within this time, the same read goes to
    /// the next readable replica and the first answer wins. 0 turns hedging off (replicas are then tried one after another).
    /// </summary>
    public int ReadHedgeDelayMs { get; set; } = 200;

    /// <summary>Self-healing: recover dead replicas and restore replication factor (ours).</summary>
    public bool SelfHealing { get; set; }
    /// <summary>How long a peer may be unreachable before its replicas are re-created elsewhere.</summary>
    public int PeerDeadAfterSec { get; set; } = 60;
}

public sealed class TlsOptions
{
    public string? Cert { get; set; }
    public string? Key { get; set; }
    public string? CaCert { get; set; }
    public int CertTtl { get; set; } = 3600;
}

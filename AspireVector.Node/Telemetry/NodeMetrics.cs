using System.Diagnostics;
using System.Diagnostics.Metrics;
using AspireVector.ServiceDefaults.Metrics;

namespace AspireVector.Node.Telemetry;

/// <summary>
/// The node's instruments on the <c>AspireVector.Node</c> meter, named as Qdrant's <c>/metrics</c> families
/// plus ours (P2P, Raft, WAL, HNSW). A singleton: inject it and call the <c>Record*</c> methods.
/// </summary>
/// <remarks>
/// Every <c>Record*</c> method is lock-free and allocation-free for label values the caller already holds
/// (the SDK finds an existing series without locking). Gauges are observed at scrape time from
/// <see cref="ICollectionsTelemetrySource"/> and <see cref="IClusterTelemetrySource"/>.
/// </remarks>
public sealed partial class NodeMetrics : IMeterOwner
{
    /// <summary>The meter every node instrument lives on.</summary>
    public const string Name = "AspireVector.Node";

    private static readonly object[] BoxedGrpcStatus = CreateBoxedGrpcStatus();

    private readonly Counter<long> _grpcResponses;
    private readonly Counter<long> _grpcFailures;
    private readonly Histogram<double> _grpcDuration;
    private readonly Counter<long> _p2pSendFailures;
    private readonly Counter<long> _raftLeaderChanges;
    private readonly Histogram<double> _walFlushDuration;
    private readonly Histogram<double> _hnswSearchDuration;

    /// <summary>Creates the instruments on a meter from the host's <paramref name="meterFactory"/>.</summary>
    /// <param name="meterFactory">The host's meter factory.</param>
    /// <param name="services">Where the telemetry sources are looked up at each scrape (lazily, to allow cycles).</param>
    public NodeMetrics(IMeterFactory meterFactory, IServiceProvider services)
    {
        _services = services;
        var meter = meterFactory.Create(Name);
        var latency = new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets.LatencySeconds };

        _grpcResponses = meter.CreateCounter<long>("grpc_responses_total", description: "total number of responses");
        _grpcFailures = meter.CreateCounter<long>("grpc_responses_fail_total", description: "total number of failed responses");
        _grpcDuration = meter.CreateHistogram("grpc_responses_duration_seconds", "s", "response duration", null, latency);
        _p2pSendFailures = meter.CreateCounter<long>("p2p_message_send_failures_total",
            description: "messages to a peer that could not be delivered, per peer address");
        _raftLeaderChanges = meter.CreateCounter<long>("raft_leader_changes_total",
            description: "times this peer saw the Raft leader change");
        _walFlushDuration = meter.CreateHistogram("wal_flush_duration_seconds", "s", "duration of WAL flushes (fsync)", null, latency);
        _hnswSearchDuration = meter.CreateHistogram("hnsw_search_duration_seconds", "s", "duration of HNSW graph searches", null, latency);

        CreateCollectionGauges(meter);
        CreateClusterGauges(meter);
    }

    /// <inheritdoc />
    public string MeterName => Name;

    /// <summary>Records one answered public gRPC call.</summary>
    /// <param name="endpoint">Full method name, e.g. <c>/qdrant.Points/Search</c>.</param>
    /// <param name="grpcStatus">The <c>grpc-status</c> code sent (0 = OK).</param>
    /// <param name="elapsed">Time spent answering.</param>
    public void RecordGrpcResponse(string endpoint, int grpcStatus, TimeSpan elapsed)
    {
        var status = (uint)grpcStatus < (uint)BoxedGrpcStatus.Length ? BoxedGrpcStatus[grpcStatus] : grpcStatus;
        var tags = new TagList { { "endpoint", endpoint }, { "status", status } };
        _grpcResponses.Add(1, tags);
        if (grpcStatus != 0)
        {
            _grpcFailures.Add(1, tags);
        }

        _grpcDuration.Record(elapsed.TotalSeconds, tags);
    }

    /// <summary>Counts a P2P message that could not be delivered to <paramref name="peerUri"/>.</summary>
    public void RecordP2pSendFailure(string peerUri) =>
        _p2pSendFailures.Add(1, new KeyValuePair<string, object?>("peer_uri", peerUri));

    /// <summary>Counts a change of Raft leader observed by this peer.</summary>
    public void RecordRaftLeaderChange() => _raftLeaderChanges.Add(1);

    /// <summary>Records how long one WAL flush (including fsync) took.</summary>
    public void RecordWalFlush(TimeSpan elapsed) => _walFlushDuration.Record(elapsed.TotalSeconds);

    /// <summary>Records how long one HNSW search took.</summary>
    public void RecordHnswSearch(TimeSpan elapsed) => _hnswSearchDuration.Record(elapsed.TotalSeconds);

    /// <summary>Records the WAL commits and vector searches <paramref name="storage"/> reports from now on.</summary>
    public void Observe(Storage.StorageTelemetry storage)
    {
        storage.WalCommitted += RecordWalFlush;
        storage.VectorSearched += RecordHnswSearch;
    }

    private static object[] CreateBoxedGrpcStatus()
    {
        // gRPC status codes are 0..16.
        var boxes = new object[17];
        for (var i = 0; i < boxes.Length; i++)
        {
            boxes[i] = i;
        }

        return boxes;
    }
}

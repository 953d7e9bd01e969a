using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using AspireVector.Node.Consensus;
using AspireVector.Node.P2P;
using AspireVector.Node.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AspireVector.Node.Cluster;

/// <summary>
/// This node as a cluster member: its peer id, its Raft driver over P2P, the replicated <see cref="ClusterMetadata"/>,
/// joining through <c>--bootstrap</c>, and the leader's duties (promoting caught-up learners to voters).
/// </summary>
/// <remarks>
/// Starts before the REST server (hosted services start first), so requests only ever see a running driver.
/// Joining runs in the background and retries until it succeeds: a node started before its bootstrap peer
/// simply waits, and <c>/readyz</c> says so.
/// </remarks>
public sealed partial class ClusterNode : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan DutyPeriod = TimeSpan.FromMilliseconds(250);
    private readonly NodeOptions _options;
    private readonly P2PClient _client;
    private readonly MessageSendFailures _failures;
    private readonly TimeProvider _time;
    private readonly NodeMetrics? _metrics;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly string _raftDirectory;
    private RaftFileStorage? _storage;
    private ConsensusDriver? _driver;
    private Task? _duties;
    private bool _wasMember;
    private DateTimeOffset? _leaderlessSince;
    private volatile bool _removed;

    /// <summary>Creates the member; loads (or creates) the peer id right away. Leader changes count in <paramref name="metrics"/>.</summary>
    public ClusterNode(NodeOptions options, P2PClient client, MessageSendFailures failures, ILoggerFactory loggerFactory, TimeProvider time, NodeMetrics? metrics = null)
    {
        _options = options;
        _client = client;
        _failures = failures;
        _time = time;
        _metrics = metrics;
        _logger = loggerFactory.CreateLogger<ClusterNode>();
        _raftDirectory = Path.Combine(Path.GetFullPath(options.Storage.StoragePath), "raft");
        PeerId = PeerIdentity.LoadOrCreate(_raftDirectory);
        SelfUri = MessageSendFailures.Key(options.Uri ?? $"http://{System.Net.Dns.GetHostName()}:{options.Cluster.P2pPort}");
        Transport = new RaftP2PTransport(client, id => Metadata.Current.Peers.TryGetValue(id, out var uri) ? uri : null,
            options.Cluster.MaxMessageQueueSize, loggerFactory.CreateLogger<RaftP2PTransport>());
    }

    /// <summary>This peer's id.</summary>
    public ulong PeerId { get; }

    /// <summary>This peer's P2P uri as announced to the others.</summary>
    public string SelfUri { get; }

    /// <summary>
    /// The commit index persisted before this start: entries up to it are a replay of history this peer already acted
    /// on, so local storage must not follow the intermediate states (it would drop replicas that later came back).
    /// </summary>
    public ulong StartupCommit { get; private set; }

    /// <summary>The replicated metadata.</summary>
    public ClusterMetadata Metadata { get; } = new();

    /// <summary>How Raft messages reach the other peers.</summary>
    public RaftP2PTransport Transport { get; }

    /// <summary>Failed sends per peer uri.</summary>
    public MessageSendFailures SendFailures => _failures;

    /// <summary>The consensus status as of the last loop turn.</summary>
    public RaftStatus Status => _driver?.Status ?? throw new InvalidOperationException("cluster node not started");

    /// <summary>True once this peer is in the agreed peer list.</summary>
    public bool IsMember => Metadata.Current.Peers.ContainsKey(PeerId);

    /// <summary>True when this peer was removed from the cluster and stopped participating.</summary>
    public bool IsRemoved => _removed;

    /// <summary>
    /// Ready to serve: a member that knows its leader and has applied everything it knows to be committed.
    /// </summary>
    public bool IsCaughtUp
    {
        get
        {
            if (!CanRoute) return false;
            var s = _driver!.Status;
            return s.Leader != 0 && s.ThreadState == ConsensusThreadState.Working;
        }
    }

    /// <summary>
    /// Safe to route requests by this peer's metadata: since it started, it heard from a leader (so it learned how far
    /// the log goes) and then applied everything up to there. Stays true afterwards: a peer in step with the leader lags
    /// by at most the entry being applied, and during a later election nothing new can be committed anyway.
    /// </summary>
    public bool CanRoute
    {
        get
        {
            return _driver is not null && !_removed && _caughtUpOnce && IsMember;
        }
    }

    /// <summary>Set by the duties loop once this peer applied the leader's commit index as the leader reported it.</summary>
    private volatile bool _caughtUpOnce;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _storage = new RaftFileStorage(Path.Combine(_raftDirectory, "log"));
        var persisted = _storage.Load();
        bool fresh = persisted.Snapshot is null && persisted.Entries.Count == 0 && persisted.HardState.Term == 0;
        StartupCommit = persisted.HardState.Commit;
        bool founder = fresh && _options.Bootstrap is null;
        var config = new RaftConfig { Id = PeerId, InitialVoters = founder ? [PeerId] : [] };
        _driver = new ConsensusDriver(config, new Random(unchecked((int)PeerId ^ Environment.TickCount)), _storage, Metadata, Transport,
            _time, TimeSpan.FromMilliseconds(Math.Max(1, _options.Cluster.TickPeriodMs)), _options.Cluster.CompactWalEntries);
        if (_metrics is { } metrics) _driver.LeaderChanged += _ => metrics.RecordRaftLeaderChange();
        await _driver.StartAsync(cancellationToken).ConfigureAwait(false);
        if (founder) _driver.Campaign();
        _logger.LogInformation("Cluster peer {PeerId} at {Uri} started ({Mode})", PeerId, SelfUri,
            founder ? "first peer" : fresh ? $"joining through {_options.Bootstrap}" : "resuming");
        _duties = Task.Run(DutiesLoopAsync, CancellationToken.None);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stop.IsCancellationRequested) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_duties is not null) await _duties.ConfigureAwait(false);
        if (_driver is not null) await _driver.DisposeAsync().ConfigureAwait(false);
        await Transport.DisposeAsync().ConfigureAwait(false);
        _storage?.Dispose();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>
    /// Proposes <paramref name="command"/> and waits until this peer applied it. Refusals by the state machine
    /// surface as their <see cref="CollectionException"/>; no quorum or a timeout as 503/504.
    /// </summary>
    public async Task ProposeAsync(ClusterCommand command, CancellationToken cancellationToken = default)
    {
        var driver = _driver ?? throw new CollectionException(503, "Service unavailable: consensus is not running");
        var started = _time.GetUtcNow();
        var deadline = started + TimeSpan.FromSeconds(Math.Max(1, _options.Cluster.BootstrapTimeoutSec));
        var leaderDeadline = started + TimeSpan.FromSeconds(Math.Min(5, Math.Max(1, _options.Cluster.BootstrapTimeoutSec)));
        byte[] bytes = command.Encode();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        var attempts = new List<Task>();
        try
        {
            while (true)
            {
                if (_removed) throw new CollectionException(503, "Service unavailable: this peer was removed from the cluster");
                ulong leader = driver.Status.Leader;
                if (leader == 0)
                {
                    // An election is under way: wait a little for its outcome rather than refuse at once.
                    if (_time.GetUtcNow() >= leaderDeadline)
                        throw new CollectionException(503, "Service unavailable: No leader elected: the cluster has no quorum right now, try again later");
                    await Task.Delay(TimeSpan.FromMilliseconds(20), _time, stop.Token).ConfigureAwait(false);
                    continue;
                }

                // Re-proposing the same command (same request id) is safe: the state machine applies it once. It is how
                // a proposal forwarded to a leader that just died gets through to its successor.
                attempts.Add(driver.ProposeAsync(bytes, stop.Token));
                var attemptStarted = _time.GetUtcNow();
                while (true)
                {
                    var tick = Task.Delay(TimeSpan.FromMilliseconds(25), _time, stop.Token);
                    var done = await Task.WhenAny([.. attempts, tick]).ConfigureAwait(false);
                    if (done != tick)
                    {
                        if (done.Exception?.GetBaseException() is ConsensusException)
                        {
                            attempts.Remove(done); // not taken (no leader at that moment): propose again
                            break;
                        }

                        await done.ConfigureAwait(false);
                        return;
                    }

                    var now = _time.GetUtcNow();
                    if (now >= deadline)
                        throw new CollectionException(504, "Timeout: the operation was not committed by the cluster in time (no quorum?); it may still be applied later");
                    ulong current = driver.Status.Leader;
                    if ((current != 0 && current != leader) || now - attemptStarted > TimeSpan.FromSeconds(3)) break;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CollectionException(503, "Service unavailable: consensus is stopping");
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            foreach (var a in attempts) _ = a.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Proposes <paramref name="command"/>, then waits (a few seconds at most) until every reachable peer has applied
    /// it too, so a client that created a collection through one node finds it on all of them.
    /// </summary>
    public async Task ProposeAndSyncAsync(ClusterCommand command, CancellationToken cancellationToken = default)
    {
        await ProposeAsync(command, cancellationToken).ConfigureAwait(false);
        ulong index = Metadata.AppliedIndex;
        var waits = new List<Task>();
        var failing = _failures.Snapshot();
        foreach (var (id, uri) in Metadata.Current.Peers)
        {
            if (id == PeerId) continue;
            // Peers this one failed to reach lately get a short wait: they may be back and coordinating writes already.
            waits.Add(_client.WaitOnCommitAsync(uri, index, 0, TimeSpan.FromSeconds(failing.ContainsKey(uri) ? 2 : 5), cancellationToken));
        }

        try
        {
            await Task.WhenAll(waits).ConfigureAwait(false);
        }
        catch (Exception e) when (e is P2P.Grpc.GrpcException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            _logger.LogDebug("Not every peer confirmed entry {Index} in time: {Error}", index, e.Message);
        }
    }

    /// <summary>Proposes a membership change on the leader and waits until it is applied here.</summary>
    private async Task ChangeMembershipAsync(ConfChange change, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, _options.Cluster.BootstrapTimeoutSec)));
        try
        {
            await _driver!.ProposeConfChangeAsync(change, timeout.Token).ConfigureAwait(false);
        }
        catch (ConsensusException e)
        {
            throw new CollectionException(503, "Service unavailable: " + e.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CollectionException(504, "Timeout: the membership change was not committed in time");
        }
    }

    /// <summary>Removes <paramref name="peerId"/>: from Raft membership first, then from the peer list (with its replicas when forced).</summary>
    public async Task RemovePeerAsync(ulong peerId, bool force, CancellationToken cancellationToken)
    {
        var state = Metadata.Current;
        if (!state.Peers.ContainsKey(peerId)) throw new CollectionException(404, $"Not found: Peer {peerId} is not part of the cluster");
        if (!force)
        {
            foreach (var (name, c) in state.Collections)
            {
                foreach (var (shardId, replicas) in c.Shards)
                {
                    if (replicas.ContainsKey(peerId))
                        throw new CollectionException(400, $"Bad request: Cannot remove peer {peerId} as there are shards on it (shard {shardId} of collection `{name}`); move them away first or use ?force=true");
                }
            }
        }

        var status = Status;
        if (status.Voters.Contains(peerId) && status.Voters.Count == 1)
            throw new CollectionException(400, "Bad request: Cannot remove the only voter of the cluster");

        // The agreed peer list is the source of truth: once the removal is committed there, the leader takes the peer
        // out of Raft membership (see the leader's duties), whichever node took this request, the removed one included.
        await ProposeAsync(new RemovePeerCommand(peerId, force), cancellationToken).ConfigureAwait(false);
        if (peerId != PeerId)
        {
            var deadline = _time.GetUtcNow() + TimeSpan.FromSeconds(Math.Max(1, _options.Cluster.BootstrapTimeoutSec));
            while (Status.Voters.Contains(peerId) || Status.Learners.Contains(peerId))
            {
                if (_time.GetUtcNow() >= deadline || _removed) break; // committed anyway; membership follows
                await Task.Delay(TimeSpan.FromMilliseconds(20), _time, cancellationToken).ConfigureAwait(false);
            }
        }

        if (state.Peers.TryGetValue(peerId, out var uri)) _failures.Forget(uri);
    }
}

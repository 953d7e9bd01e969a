using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Threading.Channels;

namespace AspireVector.Node.Consensus;

/// <summary>
/// Runs one <see cref="RaftNode"/>: a single loop task drains a mailbox (peer messages, proposals, ticks), persists
/// each Ready before sending its messages, applies committed entries to the <see cref="IRaftStateMachine"/>, and
/// compacts the log every <c>compactEntries</c> applied entries.
/// </summary>
/// <remarks>
/// Thread-safe: <see cref="Deliver"/>, <see cref="ProposeAsync"/> and friends only enqueue, so P2P handlers never
/// touch Raft state. Proposals complete when this peer applies them, so a caller sees its own write afterwards.
/// </remarks>
public sealed partial class ConsensusDriver : IAsyncDisposable
{
    private readonly Channel<object> _mailbox = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<ulong, TaskCompletionSource> _pendingProposals = new();
    private readonly List<(ConfChange Change, TaskCompletionSource Done)> _pendingConfChanges = [];
    private readonly RaftNode _node;
    private readonly IRaftStorage _storage;
    private readonly IRaftStateMachine _stateMachine;
    private readonly IRaftTransport _transport;
    private readonly TimeProvider _time;
    private readonly TimeSpan _tickPeriod;
    private readonly int _compactEntries;
    private readonly CancellationTokenSource _stop = new();
    private int _disposed;
    private ITimer? _ticker;
    private Task? _loop;
    private ulong _proposalSeq;
    private ulong _lastLeader;
    private volatile RaftStatus _status;

    /// <summary>Loads persisted state and prepares the node; call <see cref="StartAsync"/> to run it.</summary>
    public ConsensusDriver(
        RaftConfig config, Random random, IRaftStorage storage, IRaftStateMachine stateMachine, IRaftTransport transport,
        TimeProvider time, TimeSpan tickPeriod, int compactEntries)
    {
        _storage = storage;
        _stateMachine = stateMachine;
        _transport = transport;
        _time = time;
        _tickPeriod = tickPeriod;
        _compactEntries = Math.Max(1, compactEntries);
        _node = new RaftNode(config, random, storage.Load());

        // Proposal ids must not repeat across restarts, or a stale entry could complete a new caller's proposal.
        _proposalSeq = (ulong)time.GetUtcNow().ToUnixTimeMilliseconds() << 20;
        _status = BuildStatus(ConsensusThreadState.Stopped, null);
    }

    /// <summary>This peer's id.</summary>
    public ulong PeerId => _node.Id;

    /// <summary>Latest published status (safe from any thread).</summary>
    public RaftStatus Status => _status;

    /// <summary>
    /// Raised on the loop when this peer learns of a leader other than the last one it knew (the first one included);
    /// the argument is the new leader. Handlers must return quickly: the loop waits for them.
    /// </summary>
    public event Action<ulong>? LeaderChanged;

    /// <summary>Restores the state machine from the persisted snapshot and starts the loop and the ticker.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_node.LatestSnapshot is { } snapshot)
        {
            await _stateMachine.RestoreAsync(snapshot.Data, cancellationToken).ConfigureAwait(false);
        }

        _status = BuildStatus(ConsensusThreadState.Working, null);
        _loop = Task.Run(RunAsync, CancellationToken.None);
        _ticker = _time.CreateTimer(_ => _mailbox.Writer.TryWrite(TickCommand.Instance), null, _tickPeriod, _tickPeriod);
    }

    /// <summary>Hands an encoded message from a peer to the loop.</summary>
    public void Deliver(byte[] payload) => _mailbox.Writer.TryWrite(RaftCodec.DecodeMessage(payload));

    /// <summary>Starts an election right away (e.g. a lone first peer should not wait a timeout).</summary>
    public void Campaign() => _mailbox.Writer.TryWrite(CampaignCommand.Instance);

    /// <summary>
    /// Proposes <paramref name="command"/> and completes once this peer has applied it; fails fast when no leader is known.
    /// Cancel through <paramref name="cancellationToken"/> to bound the wait (the command may still apply later).
    /// </summary>
    public async Task ProposeAsync(ReadOnlyMemory<byte> command, CancellationToken cancellationToken)
    {
        var seq = Interlocked.Increment(ref _proposalSeq);
        var envelope = new byte[16 + command.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(envelope, PeerId);
        BinaryPrimitives.WriteUInt64LittleEndian(envelope.AsSpan(8), seq);
        command.Span.CopyTo(envelope.AsSpan(16));
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pendingProposals[seq] = done;
        try
        {
            if (!_mailbox.Writer.TryWrite(new ProposeCommand(seq, envelope, done)))
            {
                throw new ConsensusException("Consensus is stopped");
            }

            await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pendingProposals.TryRemove(seq, out _);
        }
    }

    /// <summary>Proposes a membership change and completes once this peer has applied it.</summary>
    public Task ProposeConfChangeAsync(ConfChange change, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_mailbox.Writer.TryWrite(new ConfChangeCommand(change, done)))
        {
            throw new ConsensusException("Consensus is stopped");
        }

        return done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Runs <paramref name="query"/> on the loop with exclusive access to the node (e.g. read leader progress).</summary>
    public Task<T> QueryAsync<T>(Func<RaftNode, T> query, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_mailbox.Writer.TryWrite(new QueryCommand(node => done.TrySetResult(query(node)))))
        {
            throw new ConsensusException("Consensus is stopped");
        }

        return done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Stops the ticker and the loop; pending proposals fail. Idempotent: a removed peer stops its
    /// consensus early, and the host stops it again on shutdown.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_ticker is not null)
        {
            await _ticker.DisposeAsync().ConfigureAwait(false);
        }

        _mailbox.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        FailPending("Consensus is stopped");
        _stop.Dispose();
    }

    private RaftStatus BuildStatus(ConsensusThreadState state, string? error) => new()
    {
        PeerId = _node.Id,
        Term = _node.Term,
        Commit = _node.Commit,
        Applied = _node.Applied,
        PendingOperations = _pendingProposals.Count + _pendingConfChanges.Count,
        Leader = _node.LeaderId,
        Role = _node.Role,
        IsVoter = _node.IsVoter,
        Voters = [.. _node.Voters],
        Learners = [.. _node.Learners],
        ThreadState = state,
        LastUpdate = _time.GetUtcNow(),
        Error = error,
    };

    private void FailPending(string reason)
    {
        foreach (var (_, done) in _pendingProposals)
        {
            done.TrySetException(new ConsensusException(reason));
        }

        foreach (var (_, done) in _pendingConfChanges)
        {
            done.TrySetException(new ConsensusException(reason));
        }
    }

    private sealed record TickCommand
    {
        public static readonly TickCommand Instance = new();
    }

    private sealed record CampaignCommand
    {
        public static readonly CampaignCommand Instance = new();
    }

    private sealed record ProposeCommand(ulong Seq, byte[] Envelope, TaskCompletionSource Done);

    private sealed record ConfChangeCommand(ConfChange Change, TaskCompletionSource Done);

    private sealed record QueryCommand(Action<RaftNode> Run);
}

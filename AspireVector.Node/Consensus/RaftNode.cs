namespace AspireVector.Node.Consensus;

/// <summary>
/// A pure Raft state machine in the style of etcd-raft's RawNode: feed it <see cref="Step"/> and <see cref="Tick"/>,
/// submit <see cref="Propose"/> / <see cref="ProposeConfChange"/>, then drain <see cref="Ready"/> and call
/// <see cref="Advance"/>. It does no I/O and reads no clock; its only randomness is the injected <see cref="Random"/>
/// used for election timeouts, so a seeded run is fully reproducible.
/// </summary>
/// <remarks>Not thread-safe: one owner calls every member, and calls <see cref="Advance"/> before the next Step/Tick.</remarks>
public sealed partial class RaftNode
{
    private readonly RaftConfig _config;
    private readonly Random _random;
    private readonly RaftLog _log = new();
    private readonly SortedSet<ulong> _voters = [];
    private readonly SortedSet<ulong> _learners = [];
    private readonly Dictionary<ulong, Progress> _progress = [];
    private readonly Dictionary<ulong, bool> _votes = [];
    private List<RaftMessage> _messages = [];
    private HardState _persistedHardState;
    private RaftSnapshot? _snapshot;
    private RaftSnapshot? _snapshotToInstall;
    private int _electionElapsed;
    private int _heartbeatElapsed;
    private int _randomizedElectionTimeout;
    private ulong _pendingConfIndex;

    /// <summary>Creates a node from what was persisted (or <see cref="RaftPersistentState.Empty"/> for a new one).</summary>
    public RaftNode(RaftConfig config, Random random, RaftPersistentState persisted)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Id == 0)
        {
            throw new ArgumentException("peer id must be non-zero", nameof(config));
        }

        _config = config;
        _random = random;
        _snapshot = persisted.Snapshot;
        _log.Load(persisted.Snapshot, persisted.Entries, persisted.HardState.Commit);
        if (persisted.Snapshot is { } snap)
        {
            SetConf(snap.Conf);
        }

        Term = persisted.HardState.Term;
        Vote = persisted.HardState.Vote;
        _persistedHardState = persisted.HardState;

        var empty = persisted.Snapshot is null && persisted.Entries.Count == 0 && persisted.HardState == default;
        if (empty && config.InitialVoters.Count > 0)
        {
            Bootstrap(config.InitialVoters);
        }
        else
        {
            // Membership changes that are committed are safe to adopt now; re-applying them later is idempotent.
            // Without this, a restarted peer would campaign with the stale membership of its snapshot.
            for (var i = _log.FirstIndex; i <= _log.Committed; i++)
            {
                var e = _log.Entry(i);
                if (e.Type == LogEntryType.ConfChange)
                {
                    ApplyConfChange(RaftCodec.DecodeConfChange(e.Data));
                }
            }
        }

        BecomeFollower(Term, 0);
    }

    /// <summary>This peer's id.</summary>
    public ulong Id => _config.Id;

    /// <summary>Current term.</summary>
    public ulong Term { get; private set; }

    /// <summary>Peer voted for in the current term (0 when none).</summary>
    public ulong Vote { get; private set; }

    /// <summary>Known leader of the current term (0 when unknown).</summary>
    public ulong LeaderId { get; private set; }

    /// <summary>Current role.</summary>
    public RaftRole Role { get; private set; }

    /// <summary>Highest committed index.</summary>
    public ulong Commit => _log.Committed;

    /// <summary>Highest applied index.</summary>
    public ulong Applied => _log.Applied;

    /// <summary>Index of the last log entry.</summary>
    public ulong LastIndex => _log.LastIndex;

    /// <summary>Index covered by the latest snapshot (entries up to it are compacted).</summary>
    public ulong SnapshotIndex => _log.SnapshotIndex;

    /// <summary>Latest snapshot (taken locally or installed from the leader).</summary>
    public RaftSnapshot? LatestSnapshot => _snapshot;

    /// <summary>Current voters.</summary>
    public IReadOnlyCollection<ulong> Voters => _voters;

    /// <summary>Current learners.</summary>
    public IReadOnlyCollection<ulong> Learners => _learners;

    /// <summary>True when this peer votes and may campaign.</summary>
    public bool IsVoter => _voters.Contains(Id);

    /// <summary>Current membership.</summary>
    public ConfState Conf => new([.. _voters], [.. _learners]);

    /// <summary>Hard state as of now (persisted or not).</summary>
    public HardState HardState => new(Term, Vote, _log.Committed);

    /// <summary>True when <see cref="Ready"/> has something for the owner.</summary>
    public bool HasReady =>
        _messages.Count > 0 || _log.HasUnstable || HardState != _persistedHardState ||
        _snapshotToInstall is not null || _log.HasNextCommitted;

    /// <summary>Term of the entry at <paramref name="index"/>, if retained.</summary>
    public bool TryGetTerm(ulong index, out ulong term) => _log.TryTerm(index, out term);

    /// <summary>Retained entry at <paramref name="index"/> (between <see cref="SnapshotIndex"/> and <see cref="LastIndex"/>).</summary>
    public LogEntry GetEntry(ulong index) => _log.Entry(index);

    /// <summary>Leader only: highest index known replicated on <paramref name="peer"/>, or null when not tracked.</summary>
    public ulong? MatchIndexOf(ulong peer) =>
        Role == RaftRole.Leader && _progress.TryGetValue(peer, out var pr) ? pr.Match : null;

    /// <summary>Advances logical time by one tick (elections, heartbeats, check-quorum).</summary>
    public void Tick()
    {
        if (Role == RaftRole.Leader)
        {
            TickLeader();
        }
        else
        {
            TickElection();
        }
    }

    /// <summary>Starts a (pre-)election now, as if the election timeout had elapsed.</summary>
    public void Campaign() => Hup();

    /// <summary>
    /// Proposes application data. On the leader it is appended; a follower forwards it to a known leader.
    /// Returns false when there is nobody to take it (no leader known). Acceptance is not commitment.
    /// </summary>
    public bool Propose(byte[] data) => ProposeEntry(LogEntryType.Normal, data);

    /// <summary>
    /// Proposes a single-server membership change. Refused (false) while another change is still unapplied.
    /// </summary>
    public bool ProposeConfChange(ConfChange change) =>
        ProposeEntry(LogEntryType.ConfChange, RaftCodec.EncodeConfChange(change));

    private bool ProposeEntry(LogEntryType type, byte[] data)
    {
        var entry = new LogEntry(0, 0, type, data);
        if (Role == RaftRole.Leader)
        {
            return AppendProposals([entry]);
        }

        if (Role == RaftRole.Follower && LeaderId != 0)
        {
            Send(new RaftMessage { Type = RaftMessageType.Propose, To = LeaderId, From = Id, Entries = [entry] });
            return true;
        }

        return false;
    }

    /// <summary>Collects the pending work; the owner must handle it and then call <see cref="Advance"/>.</summary>
    public Ready Ready()
    {
        var hs = HardState;
        var ready = new Ready
        {
            Messages = _messages,
            Entries = _log.UnstableEntries(),
            HardState = hs != _persistedHardState ? hs : null,
            Snapshot = _snapshotToInstall,
            CommittedEntries = _log.NextCommitted(_config.MaxCommittedPerReady),
        };
        _messages = [];
        return ready;
    }

    /// <summary>Acknowledges that <paramref name="ready"/> was persisted, sent and applied.</summary>
    public void Advance(Ready ready)
    {
        ArgumentNullException.ThrowIfNull(ready);
        if (ready.Snapshot is not null && ReferenceEquals(ready.Snapshot, _snapshotToInstall))
        {
            _snapshotToInstall = null;
        }

        if (ready.Entries.Count > 0)
        {
            var last = ready.Entries[^1];
            _log.StableTo(last.Index, last.Term);
        }

        if (ready.HardState is { } hs)
        {
            _persistedHardState = hs;
        }

        foreach (var e in ready.CommittedEntries)
        {
            if (e.Index <= _log.Applied)
            {
                continue;
            }

            if (e.Type == LogEntryType.ConfChange)
            {
                ApplyConfChange(RaftCodec.DecodeConfChange(e.Data));
            }

            _log.Applied = e.Index;
        }
    }

    private void Send(RaftMessage message) => _messages.Add(message);
}

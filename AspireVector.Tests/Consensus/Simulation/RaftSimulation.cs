using AspireVector.Node.Consensus;

namespace AspireVector.Tests.Consensus.Simulation;

/// <summary>
/// Runs a whole Raft cluster in one thread under a seeded adversarial schedule: message loss, duplication and
/// reordering, partitions, crashes with restarts from "disk", proposals and membership changes. Safety invariants
/// are checked after every step; at the end the network heals and a final proposal must commit everywhere.
/// </summary>
internal sealed partial class RaftSimulation
{
    private readonly SimulationOptions _options;
    private readonly Random _random;
    private readonly List<SimulatedPeer> _peers = [];
    private readonly List<RaftMessage> _network = [];
    private readonly Dictionary<ulong, int> _partitionSide = [];
    private ulong _proposalCounter;
    private int _step;

    public RaftSimulation(SimulationOptions options)
    {
        _options = options;
        _random = new Random(options.Seed);
        var voters = Enumerable.Range(1, options.Voters).Select(i => (ulong)i).ToArray();
        foreach (var id in voters)
        {
            AddPeer(id, voters);
        }
    }

    public SafetyMonitor Monitor { get; } = new();

    public int MessagesDelivered { get; private set; }

    public int SnapshotsInstalled { get; private set; }

    public int PeersJoined => _peers.Count - _options.Voters;

    public void Enqueue(RaftMessage message) => _network.Add(message);

    /// <summary>Runs the schedule; throws <see cref="SimulationFailure"/> naming the seed and step on any violation.</summary>
    public void Run()
    {
        try
        {
            for (_step = 0; _step < _options.Steps; _step++)
            {
                RandomAction();
                Monitor.Check(_peers);
                if (_step % 32 == 0)
                {
                    SafetyMonitor.CheckLogMatching(_peers);
                }
            }

            SafetyMonitor.CheckLogMatching(_peers);
            CheckLiveness();
        }
        catch (Exception ex) when (ex is not SimulationFailure)
        {
            throw new SimulationFailure($"{_options} step={_step}: {ex}");
        }
        catch (SimulationFailure ex)
        {
            throw new SimulationFailure($"{_options} step={_step}: {ex.Message}");
        }
    }

    private SimulatedPeer AddPeer(ulong id, IReadOnlyList<ulong> initialVoters)
    {
        var config = new RaftConfig { Id = id, ElectionTick = 10, HeartbeatTick = 2, InitialVoters = initialVoters, MaxEntriesPerMessage = 8 };
        var peer = new SimulatedPeer(id, config, _options.CompactEvery);
        _peers.Add(peer);
        peer.Start(new Random(_random.Next()));
        peer.ProcessReady(this);
        return peer;
    }

    private IEnumerable<SimulatedPeer> Live => _peers.Where(p => p.Node is not null);

    private SimulatedPeer? Pick(IEnumerable<SimulatedPeer> candidates)
    {
        var list = candidates.ToList();
        return list.Count == 0 ? null : list[_random.Next(list.Count)];
    }

    private void RandomAction()
    {
        var roll = _random.Next(100);
        if (roll < 45)
        {
            DeliverOne();
        }
        else if (roll < 80)
        {
            if (Pick(Live) is { } peer)
            {
                peer.Node!.Tick();
                peer.ProcessReady(this);
            }
        }
        else if (roll < 90)
        {
            if (Pick(Live) is { } peer)
            {
                peer.Node!.Propose(NextPayload());
                peer.ProcessReady(this);
            }
        }
        else if (roll < 95 && _options.Crashes)
        {
            CrashOrRestart();
        }
        else if (roll < 98 && _options.Partitions)
        {
            Repartition();
        }
        else if (_options.MembershipChanges)
        {
            ChangeMembership();
        }
    }

    private byte[] NextPayload() => BitConverter.GetBytes(++_proposalCounter);

    private void DeliverOne()
    {
        if (_network.Count == 0)
        {
            return;
        }

        // Picking any in-flight message reorders; keeping it sometimes duplicates; dropping it loses it.
        var i = _random.Next(_network.Count);
        var message = _network[i];
        var duplicate = _random.NextDouble() < _options.DuplicateRate;
        if (!duplicate)
        {
            _network[i] = _network[^1];
            _network.RemoveAt(_network.Count - 1);
        }

        if (_random.NextDouble() < _options.LossRate)
        {
            return;
        }

        Deliver(message);
    }

    private void Deliver(RaftMessage message)
    {
        var target = _peers.Find(p => p.Id == message.To);
        if (target?.Node is null || !Connected(message.From, message.To))
        {
            return;
        }

        // Every delivery crosses the wire codec, so the simulation also exercises encoding.
        var decoded = RaftCodec.DecodeMessage(RaftCodec.EncodeMessage(message));
        MessagesDelivered++;
        if (decoded.Type == RaftMessageType.Snapshot)
        {
            SnapshotsInstalled++;
        }

        target.Node.Step(decoded);
        target.ProcessReady(this);
    }

    private bool Connected(ulong a, ulong b) =>
        _partitionSide.GetValueOrDefault(a) == _partitionSide.GetValueOrDefault(b);

    private void CrashOrRestart()
    {
        var down = _peers.Where(p => p.Node is null && !p.Retired).ToList();
        if (down.Count > 0 && _random.Next(2) == 0)
        {
            var peer = down[_random.Next(down.Count)];
            peer.Start(new Random(_random.Next()));
            peer.ProcessReady(this);
        }
        else if (Pick(Live) is { } victim)
        {
            victim.Crash();
        }
    }

    private void Repartition()
    {
        _partitionSide.Clear();
        if (_random.Next(2) == 0)
        {
            return; // healed
        }

        foreach (var peer in _peers)
        {
            _partitionSide[peer.Id] = _random.Next(2);
        }
    }
}

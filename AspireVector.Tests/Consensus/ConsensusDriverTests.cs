using System.Diagnostics;
using System.Text;
using AspireVector.Node.Consensus;

namespace AspireVector.Tests.Consensus;

/// <summary>Real drivers (loop, ticker, file storage) over the in-memory transport.</summary>
public sealed class ConsensusDriverTests : IAsyncLifetime
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "av-driver-" + Guid.NewGuid().ToString("N"));
    private readonly InMemoryRaftNetwork _network = new();
    private readonly Dictionary<ulong, (ConsensusDriver Driver, ListStateMachine Machine, RaftFileStorage Storage)> _peers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var id in _peers.Keys.ToList())
        {
            await StopAsync(id);
        }

        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private async Task<ConsensusDriver> StartAsync(ulong id, IReadOnlyList<ulong> initialVoters, int compactEntries = 128)
    {
        var storage = new RaftFileStorage(Path.Combine(_root, id.ToString()));
        var machine = new ListStateMachine();
        var config = new RaftConfig { Id = id, InitialVoters = initialVoters };
        var driver = new ConsensusDriver(config, new Random((int)id), storage, machine, new InMemoryRaftTransport(id, _network),
            TimeProvider.System, Tick, compactEntries);
        _network.Register(driver);
        await driver.StartAsync(CancellationToken.None);
        _peers[id] = (driver, machine, storage);
        return driver;
    }

    private async Task StopAsync(ulong id)
    {
        if (_peers.Remove(id, out var peer))
        {
            _network.Unregister(id);
            await peer.Driver.DisposeAsync();
            peer.Storage.Dispose();
        }
    }

    private static async Task WaitUntil(Func<bool> condition, string what, int seconds = 20)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > TimeSpan.FromSeconds(seconds))
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Yield();
            await Task.Delay(Tick);
        }
    }

    private ulong AgreedLeader()
    {
        var leaders = _peers.Values.Select(p => p.Driver.Status).Where(s => s.Role == RaftRole.Leader).ToList();
        return leaders.Count == 1 && _peers.Values.All(p => p.Driver.Status.Leader == leaders[0].PeerId) ? leaders[0].PeerId : 0;
    }

    private static async Task ProposeWithRetry(ConsensusDriver driver, string command)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await driver.ProposeAsync(Encoding.UTF8.GetBytes(command), cts.Token);
                return;
            }
            catch (Exception ex) when (ex is ConsensusException or OperationCanceledException && sw.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(Tick);
            }
        }
    }

    [Fact]
    public async Task DisposingTwiceIsHarmless()
    {
        // A removed peer stops its consensus itself; the host stopping the node later disposes the driver again.
        var driver = await StartAsync(1, [1]);
        await driver.DisposeAsync();
        await driver.DisposeAsync();
    }

    [Fact]
    public async Task ThreePeersElectReplicateAndSurviveLeaderLoss()
    {
        ulong[] voters = [1, 2, 3];
        foreach (var id in voters)
        {
            await StartAsync(id, voters);
        }

        await WaitUntil(() => AgreedLeader() != 0, "a leader all peers agree on");

        // Proposals through a follower are forwarded to the leader and complete once applied locally.
        var follower = _peers.Values.First(p => p.Driver.Status.Role != RaftRole.Leader);
        await ProposeWithRetry(follower.Driver, "create a");
        Assert.Contains("create a", follower.Machine.Applied);
        await WaitUntil(() => _peers.Values.All(p => p.Machine.Applied.Contains("create a")), "replication to every peer");

        var oldLeader = AgreedLeader();
        var oldTerm = _peers[oldLeader].Driver.Status.Term;
        await StopAsync(oldLeader);
        await WaitUntil(() => AgreedLeader() != 0, "a new leader");
        Assert.True(_peers[AgreedLeader()].Driver.Status.Term > oldTerm);
        await ProposeWithRetry(_peers.Values.First().Driver, "create b");

        // The old leader restarts from its files, follows, and catches up.
        await StartAsync(oldLeader, voters);
        await WaitUntil(() => _peers[oldLeader].Machine.Applied.SequenceEqual(["create a", "create b"]), "the restarted peer to catch up");
        Assert.Equal(RaftRole.Follower, _peers[oldLeader].Driver.Status.Role);
        Assert.All(_peers.Values, p => Assert.Equal(["create a", "create b"], p.Machine.Applied));
    }

    [Fact]
    public async Task JoinerBecomesLearnerThenVoterAndCatchesUpBySnapshot()
    {
        var first = await StartAsync(1, [1]);
        await WaitUntil(() => first.Status.Role == RaftRole.Leader, "the lone peer to lead");
        for (var i = 0; i < 40; i++)
        {
            await first.ProposeAsync(Encoding.UTF8.GetBytes($"op{i}"), CancellationToken.None);
        }

        // compact every 16 entries on the leader, so the joiner cannot be served from the log.
        await StopAsync(1);
        first = await StartAsync(1, [1], compactEntries: 16);
        await WaitUntil(() => first.Status.Role == RaftRole.Leader, "the lone peer to lead again");
        await first.ProposeAsync("op40"u8.ToArray(), CancellationToken.None);
        Assert.True(await first.QueryAsync(n => n.SnapshotIndex, CancellationToken.None) > 0);

        var joiner = await StartAsync(2, []);
        await first.ProposeConfChangeAsync(new ConfChange(ConfChangeType.AddLearner, 2), CancellationToken.None);
        await WaitUntil(() => _peers[2].Machine.Applied.Count == 41, "the learner to catch up");
        Assert.True(_peers[2].Machine.Restores > 0, "the learner was served a snapshot");
        Assert.False(joiner.Status.IsVoter);

        await first.ProposeConfChangeAsync(new ConfChange(ConfChangeType.AddVoter, 2), CancellationToken.None);
        await WaitUntil(() => joiner.Status.IsVoter && joiner.Status.Voters.Count == 2, "promotion to voter");
        await first.ProposeAsync("op41"u8.ToArray(), CancellationToken.None);
        await WaitUntil(() => _peers[2].Machine.Applied.Count == 42, "replication to the new voter");
    }

    [Fact]
    public async Task ProposalFailsFastWithoutLeaderAndApplyErrorsReachTheProposer()
    {
        var lone = await StartAsync(1, [1, 2, 3]);
        var ex = await Assert.ThrowsAsync<ConsensusException>(() => lone.ProposeAsync("x"u8.ToArray(), CancellationToken.None));
        Assert.Contains("No leader", ex.Message);

        await StopAsync(1);
        var single = await StartAsync(4, [4]);
        await WaitUntil(() => single.Status.Role == RaftRole.Leader, "leadership");
        await Assert.ThrowsAsync<InvalidOperationException>(() => single.ProposeAsync("fail"u8.ToArray(), CancellationToken.None));
        await single.ProposeAsync("ok"u8.ToArray(), CancellationToken.None);
        Assert.Equal(["ok"], _peers[4].Machine.Applied);
    }
}

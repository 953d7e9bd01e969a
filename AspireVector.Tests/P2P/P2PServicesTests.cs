using System.Collections.Concurrent;
using System.Net;
using AspireVector.Node.P2P;
using AspireVector.Node.P2P.Grpc;
using Microsoft.Extensions.Logging.Abstractions;

namespace AspireVector.Tests.P2P;

/// <summary>The p2p.proto services end to end: <see cref="P2PClient"/> -> <see cref="P2PServer"/> -> handler interfaces.</summary>
public sealed class P2PServicesTests : IAsyncLifetime
{
    private readonly FakeRaft _raft = new();
    private P2PServer _server = null!;
    private PeerChannels _channels = null!;
    private P2PClient _client = null!;
    private string _peer = null!;

    public async Task InitializeAsync()
    {
        var registry = new GrpcServiceRegistry().MapHealthService().MapRaftService(_raft).MapConsensusService(_raft);
        _server = P2PServer.Create(new P2PServerOptions { BindAddress = IPAddress.Loopback, Port = 0 }, registry, NullLoggerFactory.Instance);
        await _server.StartAsync();
        _peer = _server.LoopbackAddress.ToString();
        _channels = new PeerChannels(new P2PChannelOptions(), poolSize: 2, new MessageSendFailures());
        _client = new P2PClient(_channels);
    }

    public async Task DisposeAsync()
    {
        _channels.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Raft_messages_arrive_byte_for_byte_in_the_mailbox()
    {
        byte[] payload = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        await _client.SendRaftMessageAsync(_peer, payload);
        await _client.SendRaftMessageAsync(_peer, ReadOnlyMemory<byte>.Empty);

        Assert.True(_raft.Mailbox.TryDequeue(out byte[]? first));
        Assert.Equal(payload, first);
        Assert.True(_raft.Mailbox.TryDequeue(out byte[]? second));
        Assert.Empty(second!);
    }

    [Fact]
    public async Task WhoIs_resolves_known_peers_and_reports_unknown_ones_as_not_found()
    {
        Assert.Equal("http://peer-7:6335", await _client.WhoIsAsync(_peer, 7));
        var ex = await Assert.ThrowsAsync<GrpcException>(() => _client.WhoIsAsync(_peer, 8));
        Assert.Equal(GrpcStatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task AddPeerToKnown_returns_every_peer_and_the_first_one()
    {
        KnownPeers known = await _client.AddPeerToKnownAsync(_peer, 42, "http://joiner:6335");
        Assert.Equal(7UL, known.FirstPeerId);
        Assert.Equal("http://joiner:6335", known.Peers[42]);
        Assert.Equal("http://peer-7:6335", known.Peers[7]);

        var ex = await Assert.ThrowsAsync<GrpcException>(() => _client.AddPeerToKnownAsync(_peer, 0, "not a uri"));
        Assert.Equal(GrpcStatusCode.InvalidArgument, ex.StatusCode);
    }

    [Fact]
    public async Task Consensus_commit_is_queried_and_waited_on()
    {
        Assert.Equal(new ConsensusCommit(3, 17, 7), await _client.GetCommitAsync(_peer));
        Assert.True(await _client.WaitOnCommitAsync(_peer, 17, 3, TimeSpan.FromSeconds(1)));
        Assert.False(await _client.WaitOnCommitAsync(_peer, 18, 3, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Ping_answers_with_the_node_version()
    {
        Assert.False(string.IsNullOrEmpty(await _client.PingAsync(_peer)));
    }

    [Fact]
    public async Task Send_failures_are_counted_per_peer_and_cleared_by_a_success()
    {
        string dead = $"http://127.0.0.1:{FreePort()}";
        await Assert.ThrowsAsync<GrpcException>(() => _client.PingAsync(dead));
        await Assert.ThrowsAsync<GrpcException>(() => _client.PingAsync(dead));

        MessageSendErrors errors = _channels.Failures.Snapshot()[dead + "/"];
        Assert.Equal(2, errors.Count);
        Assert.StartsWith("status: Unavailable", errors.LatestError);
        Assert.NotNull(errors.LatestErrorTimestamp);

        // An application-level answer (NOT_FOUND) proves delivery: no failure recorded for the live peer.
        await Assert.ThrowsAsync<GrpcException>(() => _client.WhoIsAsync(_peer, 8));
        Assert.DoesNotContain(MessageSendFailures.Key(_peer), _channels.Failures.Snapshot().Keys);

        _channels.Failures.RecordFailure(_peer, "transient");
        await _client.PingAsync(_peer);
        Assert.DoesNotContain(MessageSendFailures.Key(_peer), _channels.Failures.Snapshot().Keys);
    }

    [Fact]
    public void Pool_hands_out_its_channels_round_robin()
    {
        P2PChannel a = _channels.Get(_peer);
        P2PChannel b = _channels.Get(_peer);
        Assert.NotSame(a, b);
        Assert.Same(a, _channels.Get(_peer));
        Assert.Same(b, _channels.Get(_peer));
    }

    private static int FreePort()
    {
        return TestPorts.Free();
    }

    private sealed class FakeRaft : IRaftP2PHandler, IConsensusP2PHandler
    {
        private readonly ConcurrentDictionary<ulong, string> _peers = new() { [7] = "http://peer-7:6335" };

        public ConcurrentQueue<byte[]> Mailbox { get; } = new();

        public ValueTask ReceiveAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
        {
            Mailbox.Enqueue(message.ToArray());
            return ValueTask.CompletedTask;
        }

        public ValueTask<string?> WhoIsAsync(ulong peerId, CancellationToken cancellationToken) =>
            ValueTask.FromResult(_peers.TryGetValue(peerId, out string? uri) ? uri : null);

        public Task<KnownPeers> AddPeerToKnownAsync(ulong peerId, string uri, CancellationToken cancellationToken)
        {
            _peers[peerId] = uri;
            return Task.FromResult(new KnownPeers(new Dictionary<ulong, string>(_peers), 7));
        }

        public ConsensusCommit GetCommit() => new(3, 17, 7);

        public Task<bool> WaitOnCommitAsync(ulong commit, ulong term, TimeSpan timeout, CancellationToken cancellationToken) =>
            Task.FromResult(term == 3 && commit <= 17);
    }
}

using AspireVector.Node.P2P.Grpc;
using AspireVector.Node.P2P.Protos;
using Google.Protobuf;

namespace AspireVector.Node.P2P;

/// <summary>Typed calls to the P2P services of other peers, over <see cref="PeerChannels"/>.</summary>
/// <remarks>Every method throws <see cref="GrpcException"/> on a non-OK outcome and records it in message_send_failures.</remarks>
public sealed class P2PClient
{
    private readonly PeerChannels _channels;

    /// <summary>Creates a client over <paramref name="channels"/>.</summary>
    public P2PClient(PeerChannels channels) => _channels = channels;

    /// <summary>The pool the calls go through.</summary>
    public PeerChannels Channels => _channels;

    /// <summary>Delivers one encoded Raft message to <paramref name="peerUri"/>.</summary>
    public Task SendRaftMessageAsync(string peerUri, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default) =>
        _channels.CallAsync(peerUri, P2PMethods.RaftSend, new RaftMessageBytes { Message = UnsafeByteOperations.UnsafeWrap(message) }, Empty.Parser, null, cancellationToken);

    /// <summary>Asks <paramref name="peerUri"/> for the uri of peer <paramref name="peerId"/>.</summary>
    public async Task<string> WhoIsAsync(string peerUri, ulong peerId, CancellationToken cancellationToken = default)
    {
        UriReply reply = await _channels.CallAsync(peerUri, P2PMethods.RaftWhoIs, new PeerIdRequest { Id = peerId }, UriReply.Parser, null, cancellationToken).ConfigureAwait(false);
        return reply.Uri;
    }

    /// <summary>Announces this peer (<paramref name="selfId"/> at <paramref name="selfUri"/>) to <paramref name="peerUri"/>.</summary>
    public async Task<KnownPeers> AddPeerToKnownAsync(string peerUri, ulong selfId, string selfUri, P2PCallOptions? options = null, CancellationToken cancellationToken = default)
    {
        AllPeers reply = await _channels.CallAsync(peerUri, P2PMethods.RaftAddPeerToKnown, new AddPeerRequest { Id = selfId, Uri = selfUri }, AllPeers.Parser, options, cancellationToken).ConfigureAwait(false);
        var peers = new Dictionary<ulong, string>(reply.Peers.Count);
        foreach (PeerEntry peer in reply.Peers)
        {
            peers[peer.Id] = peer.Uri;
        }

        return new KnownPeers(peers, reply.FirstPeerId);
    }

    /// <summary>Pings <paramref name="peerUri"/>; returns its version.</summary>
    public async Task<string> PingAsync(string peerUri, P2PCallOptions? options = null, CancellationToken cancellationToken = default)
    {
        PingReply reply = await _channels.CallAsync(peerUri, P2PMethods.HealthPing, new PingRequest(), PingReply.Parser, options, cancellationToken).ConfigureAwait(false);
        return reply.Version;
    }

    /// <summary>The term, commit and leader <paramref name="peerUri"/> reports.</summary>
    public async Task<ConsensusCommit> GetCommitAsync(string peerUri, CancellationToken cancellationToken = default)
    {
        GetCommitReply reply = await _channels.CallAsync(peerUri, P2PMethods.ConsensusGetCommit, new GetCommitRequest(), GetCommitReply.Parser, null, cancellationToken).ConfigureAwait(false);
        return new ConsensusCommit(reply.Term, reply.Commit, reply.Leader == 0 ? null : reply.Leader);
    }

    /// <summary>Waits until <paramref name="peerUri"/> applied <paramref name="commit"/> in <paramref name="term"/>; false on its timeout.</summary>
    public async Task<bool> WaitOnCommitAsync(string peerUri, ulong commit, ulong term, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var request = new WaitOnCommitRequest { Commit = commit, Term = term, Timeout = (ulong)Math.Ceiling(timeout.TotalSeconds) };
        // The call's own deadline leaves the peer time to answer "false" after its wait.
        var options = new P2PCallOptions { Timeout = timeout + TimeSpan.FromSeconds(2) };
        WaitOnCommitReply reply = await _channels.CallAsync(peerUri, P2PMethods.ConsensusWaitOnCommit, request, WaitOnCommitReply.Parser, options, cancellationToken).ConfigureAwait(false);
        return reply.Ok;
    }
}
